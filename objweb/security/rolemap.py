"""The role map an object carries: which roles have each permission here, and local roles.

An object holds its role map in a small persistent record, created the first
time something is set, so that the millions of objects that only inherit cost
nothing. Each permission maps to a set of roles plus an explicit `acquire`
flag (Zope told the two apart by list versus tuple; objweb says it outright).
Every change to who may see or do what sends `objweb.events.SecurityChanged`
from here, so no door that changes settings can leave it out.
"""

from dataclasses import dataclass

from persistent import Persistent

from objweb.events import SecurityChanged, notify
from objweb.security.permissions import (
    AUTOMATIC_ROLES, BUILTIN_ROLES, OWNER, is_known_permission, known_permissions)
from objweb.traversal.location import lineage

ROLE_MAP_ATTRIBUTE = "_security"


@dataclass(frozen=True)
class PermissionSetting:
    """The roles given a permission on one object, and whether to add the parent's."""

    roles: frozenset
    acquire: bool = True


class RoleMap(Persistent):
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


# Where records written by earlier versions name these classes: databases and
# export files keep them. `objweb.security` makes the former module importable.
FORMER_MODULE = "objweb.security.settings"
FORMER_NAMES = {(FORMER_MODULE, "SecuritySettings"): RoleMap,
                (FORMER_MODULE, "PermissionSetting"): PermissionSetting}
SecuritySettings = RoleMap


def role_map_of(obj) -> RoleMap | None:
    """Return the role map `obj` carries, or None if it only inherits."""
    return getattr(obj, ROLE_MAP_ATTRIBUTE, None)


def editable_role_map(obj) -> RoleMap:
    """Return the role map of `obj`, creating it on first change."""
    role_map = role_map_of(obj)
    if role_map is None:
        role_map = RoleMap()
        setattr(obj, ROLE_MAP_ATTRIBUTE, role_map)
    return role_map


def check_role_map(obj) -> None:
    """Check the role map `obj` carries as if it had been set by the functions below.

    For state that did not come through them (an import file). Raises
    `ValueError` for a record of the wrong type or shape.
    """
    role_map = role_map_of(obj)
    if role_map is None:
        return
    if not isinstance(role_map, RoleMap) \
            or not isinstance(getattr(role_map, "permissions", None), dict) \
            or not isinstance(getattr(role_map, "local_roles", None), dict) \
            or not _are_roles(getattr(role_map, "defined_roles", None)) \
            or not isinstance(getattr(role_map, "block_local_roles", None), bool):
        raise ValueError("the role map is not a role map record")
    for permission, setting in role_map.permissions.items():
        if not isinstance(permission, str) or not isinstance(setting, PermissionSetting) \
                or not _are_roles(setting.roles) or not isinstance(setting.acquire, bool):
            raise ValueError(f"the setting of the permission {permission!r} is not one")
    for principal_id, roles in role_map.local_roles.items():
        if not isinstance(principal_id, str) or not principal_id or not _are_roles(roles) \
                or roles & AUTOMATIC_ROLES:
            raise ValueError(f"the local roles of {principal_id!r} are not roles one may give")


def _are_roles(roles) -> bool:
    return isinstance(roles, frozenset) and all(isinstance(role, str) for role in roles)


def carries_role_map(obj) -> tuple[bool, bool]:
    """Return (whether `obj` sets permissions, roles or a block; whether it gives local roles)."""
    role_map = role_map_of(obj)
    if role_map is None:
        return False, False
    changes_permissions = bool(role_map.permissions or role_map.defined_roles
                               or role_map.block_local_roles)
    return changes_permissions, bool(role_map.local_roles)


def valid_roles(obj) -> list[str]:
    """Return the roles known at `obj`: the built-in ones and those defined above."""
    defined = set()
    for node in lineage(obj):
        role_map = role_map_of(node)
        if role_map is not None:
            defined |= role_map.defined_roles
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
    if not is_known_permission(permission):
        raise ValueError(f"unknown permission: {permission!r}")
    roles = _check_roles(obj, roles, allow_automatic=True)
    editable_role_map(obj).set_permission(permission, roles, acquire)
    notify(SecurityChanged(obj))


def set_local_roles(obj, principal_id: str, roles) -> None:
    """Give a user or group exactly `roles` on `obj` and below.

    Raises `ValueError` for an unknown role, an automatic one, or an empty id.
    """
    if not principal_id or not isinstance(principal_id, str):
        raise ValueError("a local role needs a user or group id")
    roles = _check_roles(obj, roles, allow_automatic=False)
    editable_role_map(obj).set_local_roles(principal_id, roles)
    notify(SecurityChanged(obj))


def local_roles_of(obj) -> dict[str, frozenset]:
    """Return the local roles set on `obj` itself, owner's `Owner` role included."""
    role_map = role_map_of(obj)
    found = dict(role_map.local_roles) if role_map is not None else {}
    owner = getattr(obj, "owner", None)
    if owner:
        found[owner] = found.get(owner, frozenset()) | {OWNER}
    return found


def set_block_local_roles(obj, blocked: bool) -> None:
    """Stop (or resume) inheriting local roles from above `obj`."""
    editable_role_map(obj).block_local_roles = bool(blocked)
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
    role_map = editable_role_map(obj)
    role_map.defined_roles = role_map.defined_roles | {role}


def remove_role(obj, role: str) -> None:
    """Forget a role defined on `obj` itself, and every grant of it here.

    Raises `ValueError` for a built-in role or one not defined on `obj`.
    """
    role_map = role_map_of(obj)
    if role_map is None or role not in role_map.defined_roles:
        raise ValueError(f"the role {role!r} is not defined here")
    role_map.defined_roles = role_map.defined_roles - {role}
    for permission, setting in list(role_map.permissions.items()):
        if role in setting.roles:
            role_map.set_permission(permission, setting.roles - {role}, setting.acquire)
    for principal_id, roles in list(role_map.local_roles.items()):
        if role in roles:
            role_map.set_local_roles(principal_id, roles - {role})
    notify(SecurityChanged(obj))


def permission_setting(obj, permission: str) -> PermissionSetting:
    """Return the setting of `permission` on `obj` itself (acquire-all if unset)."""
    role_map = role_map_of(obj)
    if role_map is not None and permission in role_map.permissions:
        return role_map.permissions[permission]
    return PermissionSetting(frozenset(), True)


def permission_matrix(obj) -> dict[str, PermissionSetting]:
    """Return the setting of every permission on `obj` itself, for a Security screen."""
    return {permission: permission_setting(obj, permission) for permission in known_permissions()}
