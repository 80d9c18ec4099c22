"""Who may do what: permissions, roles, role maps, principals and the policy."""

import sys

from objweb.security import rolemap

from objweb.security.permissions import (
    ACCESS_CONTENTS, ADD_OBJECTS, ALL_PERMISSIONS, ANONYMOUS, AUTHENTICATED, BUILTIN_ROLES,
    CHANGE_CODE, CHANGE_LOCAL_ROLES, CHANGE_OBJECTS, CHANGE_PERMISSIONS, DELETE_OBJECTS,
    EDITOR, IMPORT_EXPORT, MANAGE_USERS, MANAGER, OWNER, UNDO_CHANGES, VIEW,
    VIEW_MANAGEMENT, WRITE_UNFILTERED_HTML)
from objweb.security.policy import Decision, SecurityPolicy, TrustedPolicy
from objweb.security.principals import (
    ANONYMOUS_PRINCIPAL, Principal, acting_as, current_principal, current_user_id)

# Records stored before the role map's module was renamed name it
# `objweb.security.settings`: ZODB finds their classes there.
sys.modules.setdefault(rolemap.FORMER_MODULE, rolemap)

__all__ = [
    "ACCESS_CONTENTS", "ADD_OBJECTS", "ALL_PERMISSIONS", "ANONYMOUS", "ANONYMOUS_PRINCIPAL",
    "AUTHENTICATED", "BUILTIN_ROLES", "CHANGE_CODE", "CHANGE_LOCAL_ROLES", "CHANGE_OBJECTS",
    "CHANGE_PERMISSIONS", "DELETE_OBJECTS", "Decision", "EDITOR", "IMPORT_EXPORT",
    "MANAGER", "MANAGE_USERS", "OWNER", "Principal", "SecurityPolicy", "TrustedPolicy",
    "UNDO_CHANGES", "VIEW", "VIEW_MANAGEMENT", "WRITE_UNFILTERED_HTML", "acting_as",
    "current_principal", "current_user_id",
]
