"""Which permission guards which action, declared by each type in one place.

A content type sets `protections`, a mapping from action names (the
words views, JSON verbs and management screens use) to permissions. The
tables of a type's bases apply unless the type overrides an entry, so a type
declares only what differs. An action that no table names is refused: the
policy fails closed.
"""

from objweb.security import permissions as p

VIEW = "view"
ACCESS = "access"
MANAGE = "manage"
CHANGE = "change"
ADD = "add"
DELETE = "delete"
CHANGE_PERMISSIONS = "change_permissions"
CHANGE_LOCAL_ROLES = "change_local_roles"
MANAGE_USERS = "manage_users"
UNDO = "undo"
IMPORT_EXPORT = "import_export"
PUBLIC = "public"
# Giving an object to another owner: a manager's right, as the contract says.
CHANGE_OWNER = "change_owner"
# Checked on the container, besides `add`, when an object of the type is made
# there: making a Script needs the right to change code, not only to add.
CREATE = "create"
# The WebDAV door, its locks, and another user's locks.
WEBDAV = "webdav"
LOCK = "lock"
UNLOCK = "unlock"
MANAGE_LOCKS = "manage_locks"

DEFAULT_PROTECTIONS = {
    VIEW: p.VIEW,
    ACCESS: p.ACCESS_CONTENTS,
    MANAGE: p.VIEW_MANAGEMENT,
    CHANGE: p.CHANGE_OBJECTS,
    CHANGE_PERMISSIONS: p.CHANGE_PERMISSIONS,
    CHANGE_LOCAL_ROLES: p.CHANGE_LOCAL_ROLES,
    UNDO: p.UNDO_CHANGES,
    CHANGE_OWNER: p.CHANGE_PERMISSIONS,
    IMPORT_EXPORT: p.IMPORT_EXPORT,
    # Reachable by everyone: the login form, the health check.
    PUBLIC: None,
    CREATE: None,
    WEBDAV: p.WEBDAV_ACCESS,
    LOCK: p.WEBDAV_LOCK,
    UNLOCK: p.WEBDAV_UNLOCK,
    MANAGE_LOCKS: p.MANAGE_WEBDAV_LOCKS,
}

CONTAINER_PROTECTIONS = {
    ADD: p.ADD_OBJECTS,
    DELETE: p.DELETE_OBJECTS,
}


# An action naming its permission outright, as an extension's view does:
# `permission:Publish news` is guarded by "Publish news" on every type.
PERMISSION_ACTION_PREFIX = "permission:"


def action_for_permission(permission: str) -> str:
    """Return the action guarded by `permission` itself, whatever the type."""
    return PERMISSION_ACTION_PREFIX + permission


class UnknownActionError(LookupError):
    """No protection table names this action: nobody may do it."""


def permission_for(obj_or_type, action: str) -> str | None:
    """Return the permission guarding `action` on an object or type (None: anyone may).

    Raises `UnknownActionError` for an action no table declares.
    """
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    try:
        return _known[cls, action]
    except KeyError:
        pass
    permission = _known[cls, action] = _look_up(cls, action)
    return permission


# The answers, per type and action: the tables are declared with the types
# and never change while the process runs, and every decision asks.
_known: dict[tuple[type, str], str | None] = {}


def _look_up(cls: type, action: str) -> str | None:
    if action.startswith(PERMISSION_ACTION_PREFIX):
        return action[len(PERMISSION_ACTION_PREFIX):]
    for base in cls.__mro__:
        table = base.__dict__.get("protections")
        if table is not None and action in table:
            return table[action]
    if action in DEFAULT_PROTECTIONS:
        return DEFAULT_PROTECTIONS[action]
    raise UnknownActionError(f"{cls.__name__} declares no permission for {action!r}")
