"""The security settings an object carries: permission map and local roles.

An object holds its settings in a small persistent record, created the first
time something is set, so that the millions of objects that only inherit cost
nothing. Each permission maps to a set of roles plus an explicit `acquire`
flag (Zope told the two apart by list versus tuple; objweb says it outright).
Every change to who may see or do what sends `objweb.events.SecurityChanged`
from here, so no door that changes settings can leave it out.
"""

from dataclasses import dataclass

from persistent import Persistent

from objweb.events import SecurityChanged, notify
from objweb.security.permissions import ALL_PERMISSIONS, AUTOMATIC_ROLES, BUILTIN_ROLES, OWNER
from objweb.traversal.location import lineage

SETTINGS_ATTRIBUTE = "_security"


@dataclass(frozen=True)
class PermissionSetting:
    """The roles given a permission on one object, and whether to add the parent's."""

    roles: frozenset
    acquire: bool = True


class SecuritySettings(Persistent):
    """Permission map, local roles, defined roles and inheritance block of one object."""

    def __init__(self):
        self.permissions: dict[str, PermissionSetting] = {}
        self.local_roles: dict[str, frozenset] = {}
        self.defined_roles: frozenset = frozenset()
        self.block_local_roles = False

    def set_permission(self, permission: str, roles, acquire: bool) -> None:
        """Give `permission` to `roles` here, adding the parent's roles if `acquire`."""
        setting = PermissionSetting(frozenset(roles), bool(acquire))
        if setting == PermissionSetting(frozenset(), True):
            self.permissions.pop(permission, None)
        else:
            self.permissions[permission] = setting
        self._p_changed = True

    def set_local_roles(self, principal_id: str, roles) -> None:
        """Give `principal_id` exactly `roles` here (none removes the entry)."""
        roles = frozenset(roles)
        if roles:
            self.local_roles[principal_id] = roles
        else:
            self.local_roles.pop(principal_id, None)
        self._p_changed = True


def settings_of(obj) -> SecuritySettings | None:
    """Return the settings `obj` carries, or None if it only inherits."""
    return getattr(obj, SETTINGS_ATTRIBUTE, None)


def editable_settings(obj) -> SecuritySettings:
    """Return the settings of `obj`, creating them on first change."""
    settings = settings_of(obj)
    if settings is None:
        settings = SecuritySettings()
        setattr(obj, SETTINGS_ATTRIBUTE, settings)
    return settings


def check_settings(obj) -> None:
    """Check the settings `obj` carries as if they had been set by the functions below.

    For state that did not come through them (an import file). Raises
    `ValueError` for a record of the wrong type or shape.
    """
    settings = settings_of(obj)
    if settings is None:
        return
    if not isinstance(settings, SecuritySettings) \
            or not isinstance(getattr(settings, "permissions", None), dict) \
            or not isinstance(getattr(settings, "local_roles", None), dict) \
            or not _are_roles(getattr(settings, "defined_roles", None)) \
            or not isinstance(getattr(settings, "block_local_roles", None), bool):
        raise ValueError("the security settings are not a settings record")
    for permission, setting in settings.permissions.items():
        if not isinstance(permission, str) or not isinstance(setting, PermissionSetting) \
                or not _are_roles(setting.roles) or not isinstance(setting.acquire, bool):
            raise ValueError(f"the setting of the permission {permission!r} is not one")
    for principal_id, roles in settings.local_roles.items():
        if not isinstance(principal_id, str) or not principal_id or not _are_roles(roles) \
                or roles & AUTOMATIC_ROLES:
            raise ValueError(f"the local roles of {principal_id!r} are not roles one may give")


def _are_roles(roles) -> bool:
    return isinstance(roles, frozenset) and all(isinstance(role, str) for role in roles)


def carries_settings(obj) -> tuple[bool, bool]:
    """Return (whether `obj` sets permissions, roles or a block; whether it gives local roles)."""
    settings = settings_of(obj)
    if settings is None:
        return False, False
    changes_permissions = bool(settings.permissions or settings.defined_roles
                               or settings.block_local_roles)
    return changes_permissions, bool(settings.local_roles)


def valid_roles(obj) -> list[str]:
    """Return the roles known at `obj`: the built-in ones and those defined above."""
    defined = set()
    for node in lineage(obj):
        settings = settings_of(node)
        if settings is not None:
            defined |= settings.defined_roles
    return list(BUILTIN_ROLES) + sorted(defined - set(BUILTIN_ROLES))


def _check_roles(obj, roles, *, allow_automatic: bool) -> frozenset:
    roles = frozenset(roles)
    known = set(valid_roles(obj))
    unknown = roles - known
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    if not allow_automatic and roles & AUTOMATIC_ROLES:
        raise ValueError(f"{', '.join(sorted(roles & AUTOMATIC_ROLES))} cannot be granted")
    return roles


def set_permission(obj, permission: str, roles=(), acquire: bool = True) -> None:
    """Map `permission` to `roles` on `obj`, as Zope's `manage_permission`.

    Raises `ValueError` for an unknown permission or role.
    """
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission: {permission!r}")
    roles = _check_roles(obj, roles, allow_automatic=True)
    editable_settings(obj).set_permission(permission, roles, acquire)
    notify(SecurityChanged(obj))


def set_local_roles(obj, principal_id: str, roles) -> None:
    """Give a user or group exactly `roles` on `obj` and below.

    Raises `ValueError` for an unknown role, an automatic one, or an empty id.
    """
    if not principal_id or not isinstance(principal_id, str):
        raise ValueError("a local role needs a user or group id")
    roles = _check_roles(obj, roles, allow_automatic=False)
    editable_settings(obj).set_local_roles(principal_id, roles)
    notify(SecurityChanged(obj))


def local_roles_of(obj) -> dict[str, frozenset]:
    """Return the local roles set on `obj` itself, owner's `Owner` role included."""
    settings = settings_of(obj)
    found = dict(settings.local_roles) if settings is not None else {}
    owner = getattr(obj, "owner", None)
    if owner:
        found[owner] = found.get(owner, frozenset()) | {OWNER}
    return found


def set_block_local_roles(obj, blocked: bool) -> None:
    """Stop (or resume) inheriting local roles from above `obj`."""
    editable_settings(obj).block_local_roles = bool(blocked)
    notify(SecurityChanged(obj))


def define_role(obj, role: str) -> None:
    """Make `role` known on `obj` and below.

    Raises `ValueError` for a name in use or not fit to be a role.
    """
    role = role.strip() if isinstance(role, str) else ""
    if not role or len(role) > 100 or not role.isprintable():
        raise ValueError("a role needs a printable name of at most 100 characters")
    if role in valid_roles(obj):
        raise ValueError(f"the role {role!r} already exists here")
    settings = editable_settings(obj)
    settings.defined_roles = settings.defined_roles | {role}


def remove_role(obj, role: str) -> None:
    """Forget a role defined on `obj` itself, and every grant of it here.

    Raises `ValueError` for a built-in role or one not defined on `obj`.
    """
    settings = settings_of(obj)
    if settings is None or role not in settings.defined_roles:
        raise ValueError(f"the role {role!r} is not defined here")
    settings.defined_roles = settings.defined_roles - {role}
    for permission, setting in list(settings.permissions.items()):
        if role in setting.roles:
            settings.set_permission(permission, setting.roles - {role}, setting.acquire)
    for principal_id, roles in list(settings.local_roles.items()):
        if role in roles:
            settings.set_local_roles(principal_id, roles - {role})
    notify(SecurityChanged(obj))


def permission_setting(obj, permission: str) -> PermissionSetting:
    """Return the setting of `permission` on `obj` itself (acquire-all if unset)."""
    settings = settings_of(obj)
    if settings is not None and permission in settings.permissions:
        return settings.permissions[permission]
    return PermissionSetting(frozenset(), True)


def permission_matrix(obj) -> dict[str, PermissionSetting]:
    """Return the setting of every permission on `obj` itself, for a Security screen."""
    return {permission: permission_setting(obj, permission) for permission in ALL_PERMISSIONS}
