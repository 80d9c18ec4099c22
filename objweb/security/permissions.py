"""Permission and role names, and who holds each permission by default.

These strings are the contract's; everywhere else in objweb refers to the
constants below. Extensions add permissions of their own with
`add_permission`; `known_permissions` and `default_roles_of` answer for
objweb's and theirs alike.
"""

VIEW = "View"
ACCESS_CONTENTS = "Access contents information"
VIEW_MANAGEMENT = "View management screens"
CHANGE_PERMISSIONS = "Change permissions"
CHANGE_LOCAL_ROLES = "Change local roles"
MANAGE_USERS = "Manage users"
ADD_OBJECTS = "Add objects"
DELETE_OBJECTS = "Delete objects"
CHANGE_OBJECTS = "Change objects"
CHANGE_CODE = "Change scripts and templates"
UNDO_CHANGES = "Undo changes"
IMPORT_EXPORT = "Import/Export objects"
# HTML written without it (a Page's body) loses scripts, styles, frames, forms
# and event handlers: it is served from the origin of the management screens.
WRITE_UNFILTERED_HTML = "Write unfiltered HTML"
# Zope's WebDAV permissions: using the WebDAV door at all, taking and giving up
# a lock, and breaking (or clearing in the ZMI) a lock someone else holds.
WEBDAV_ACCESS = "WebDAV access"
WEBDAV_LOCK = "WebDAV Lock items"
WEBDAV_UNLOCK = "WebDAV Unlock items"
MANAGE_WEBDAV_LOCKS = "Manage WebDAV Locks"

ALL_PERMISSIONS = (
    VIEW, ACCESS_CONTENTS, VIEW_MANAGEMENT, CHANGE_PERMISSIONS, CHANGE_LOCAL_ROLES,
    MANAGE_USERS, ADD_OBJECTS, DELETE_OBJECTS, CHANGE_OBJECTS, CHANGE_CODE,
    UNDO_CHANGES, IMPORT_EXPORT, WRITE_UNFILTERED_HTML, WEBDAV_ACCESS, WEBDAV_LOCK,
    WEBDAV_UNLOCK, MANAGE_WEBDAV_LOCKS,
)

ANONYMOUS = "Anonymous"
AUTHENTICATED = "Authenticated"
OWNER = "Owner"
EDITOR = "Editor"
MANAGER = "Manager"

BUILTIN_ROLES = (ANONYMOUS, AUTHENTICATED, OWNER, EDITOR, MANAGER)

# Roles that describe how a user reached the site rather than what the site
# trusts them with: no user folder or local role may grant them.
AUTOMATIC_ROLES = frozenset({ANONYMOUS, AUTHENTICATED})

_EDITORS = frozenset({EDITOR, OWNER, MANAGER})
_MANAGERS = frozenset({MANAGER})

# What a site answers before anyone changes a setting, as in Zope: anyone may
# look, editors and owners may change content, owners may undo, managers hold
# the rest.
DEFAULT_ROLES: dict[str, frozenset] = {
    VIEW: frozenset({ANONYMOUS, MANAGER}),
    ACCESS_CONTENTS: frozenset({ANONYMOUS, MANAGER}),
    VIEW_MANAGEMENT: _EDITORS,
    CHANGE_PERMISSIONS: _MANAGERS,
    CHANGE_LOCAL_ROLES: frozenset({OWNER, MANAGER}),
    MANAGE_USERS: _MANAGERS,
    ADD_OBJECTS: _EDITORS,
    DELETE_OBJECTS: _EDITORS,
    CHANGE_OBJECTS: _EDITORS,
    CHANGE_CODE: frozenset({MANAGER}),
    # As in Zope: an undo rewrites whatever its transaction touched, so only
    # those trusted with a place undo there (and each undo is checked further).
    UNDO_CHANGES: frozenset({OWNER, MANAGER}),
    IMPORT_EXPORT: _MANAGERS,
    WRITE_UNFILTERED_HTML: _MANAGERS,
    # As in Zope: a WebDAV client must log in, so an anonymous one is asked to
    # (401) instead of browsing the site's tree; whoever may edit may lock.
    WEBDAV_ACCESS: frozenset({AUTHENTICATED, MANAGER}),
    WEBDAV_LOCK: _EDITORS,
    WEBDAV_UNLOCK: _EDITORS,
    MANAGE_WEBDAV_LOCKS: _MANAGERS,
}


# Permissions extensions added, with their default roles, in the order they came.
_added: dict[str, frozenset] = {}


def add_permission(name: str, default_roles) -> None:
    """Make `name` a permission held by `default_roles` where no setting says otherwise.

    Adding the same permission with the same roles again changes nothing.
    Raises `ValueError` for a name that is not text, one objweb or an
    extension already defines differently, or a role objweb does not know.
    """
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise ValueError(f"a permission is a name, not {name!r}")
    roles = frozenset(default_roles)
    unknown = sorted(role for role in roles if role not in BUILTIN_ROLES)
    if unknown:
        raise ValueError(f"permission {name!r}: unknown role {unknown[0]!r}; "
                         f"use some of {', '.join(BUILTIN_ROLES)}")
    if name in DEFAULT_ROLES:
        raise ValueError(f"permission {name!r} is one of objweb's own")
    if _added.get(name, roles) != roles:
        raise ValueError(f"permission {name!r} is already defined with other roles")
    _added[name] = roles


def remove_permission(name: str) -> None:
    """Forget a permission `add_permission` added (its package is gone); others stay."""
    _added.pop(name, None)


def known_permissions() -> tuple[str, ...]:
    """Return objweb's permissions, then those extensions added."""
    return ALL_PERMISSIONS + tuple(_added)


def is_known_permission(name: object) -> bool:
    """Return whether `name` is a permission objweb or an extension defines."""
    return name in DEFAULT_ROLES or name in _added


def default_roles_of(permission: str) -> frozenset:
    """Return the roles holding `permission` where no setting says otherwise."""
    return DEFAULT_ROLES.get(permission) or _added.get(permission, frozenset())
