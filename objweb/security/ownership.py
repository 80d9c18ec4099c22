"""Who owns an object: one user of one user folder, named for good, as Zope records it.

An object's owner is stored as a pair, the path of the user folder that
defines the user and the user's id, in the attribute `_owner` (Zope's
`_owner` holds the same pair). The pair is fixed when the owner is given:
if that user, or that user folder, goes, or the object is moved out from
under it, the owner is nobody, whose code can do only what anonymous
visitors can. It never falls through to a namesake in another user folder.

The records an object may carry:

- None: no owner. Objects made by trusted code with no user; their code is
  limited by the user running it only.
- `(path, id)`: the user `id` of the user folder at `path`.
- `(None, id)`: a user named by trusted code (`objweb.site(db, user=...)`,
  `change_owner`) where no user folder holds that name yet: the user `id`
  of the site's own user folder, if there is one, else nobody. Trusted code
  that adds the object to a folder later pins it to the nearest user folder
  above its new place that holds the name.
- `NOBODY`, `(None, None)`: made or written by an anonymous visitor.
- a bare id (text): what objweb stored before pairs. It counts only in the
  nearest user folder above the object, and is nobody when that one does not
  hold the id: never a user that the old lookup (the nearest folder holding
  the id) would not have picked.
"""

from objweb.security.authentication import USER_FOLDER_NAME, principal_for, user_folders_above
from objweb.security.principals import ANONYMOUS_PRINCIPAL, TRUSTED_CODE, Principal
from objweb.traversal.location import path_of

OWNER_ATTRIBUTE = "_owner"
# Where objweb kept a bare owner id before pairs; an old object's state still holds it.
LEGACY_ATTRIBUTE = "owner"
NOBODY = (None, None)
SITE_USER_FOLDER = "/" + USER_FOLDER_NAME
_MISSING = object()


def stored_ownership(obj):
    """Return the ownership record `obj` carries: None, a pair, or an old bare id."""
    record = getattr(obj, OWNER_ATTRIBUTE, _MISSING)
    if record is not _MISSING:
        return record
    return vars(obj).get(LEGACY_ATTRIBUTE) if hasattr(obj, "__dict__") else None


def owner_id(record) -> str | None:
    """Return the user id a record names (None for no owner and for nobody)."""
    if isinstance(record, tuple) and len(record) == 2:
        return record[1] if isinstance(record[1], str) else None
    return record if isinstance(record, str) else None


def is_well_formed(record) -> bool:
    """Return whether `record` is one of the records an object may carry."""
    if record is None or (isinstance(record, str) and record):
        return True
    if not isinstance(record, tuple) or len(record) != 2:
        return False
    path, user_id = record
    if user_id is None:
        return path is None
    if not isinstance(user_id, str) or not user_id:
        return False
    return path is None or (isinstance(path, str)
                            and path.endswith(SITE_USER_FOLDER) and path.startswith("/"))


def ownership_by_id(place, user_id: str) -> tuple:
    """Return the pair for `user_id` of the nearest user folder above `place` that holds it.

    `(None, user_id)` when none does, or when `place` is in no tree yet.
    """
    for _domain, users in user_folders_above(place):
        if users.get_user(user_id) is not None:
            return (path_of(users), user_id)
    return (None, user_id)


def ownership_of(principal: Principal, place=None):
    """Return the record of what `principal` makes or writes at `place`.

    A user of a user folder gets their pair; a user named by trusted code,
    the pair of the nearest user folder above `place` holding the name;
    trusted code with no user, None (no owner); an anonymous visitor, nobody.
    """
    if principal.id is None:
        return None if principal == TRUSTED_CODE else NOBODY
    if principal.user_folder is not None:
        return (principal.user_folder, principal.id)
    return ownership_by_id(place, principal.id)


def is_trusted(principal: Principal) -> bool:
    """Return whether `principal` is trusted code: no user, or a user named by the Python API.

    Requests only ever act for users of a user folder or for anonymous visitors.
    """
    return principal == TRUSTED_CODE or (principal.id is not None
                                         and principal.user_folder is None)


def pinned(obj, record):
    """Return `record` as a pair (or None): an old bare id resolved where `obj` is now.

    A record that is neither is nobody.
    """
    if record is None or (isinstance(record, tuple) and is_well_formed(record)):
        return record
    if not isinstance(record, str) or not record:
        return NOBODY
    nearest = next(user_folders_above(obj), None)
    if nearest is not None and nearest[1].get_user(record) is not None:
        return (path_of(nearest[1]), record)
    return NOBODY


def owner_principal(obj) -> Principal | None:
    """Return the principal who owns `obj`: None for no owner, the anonymous one for nobody."""
    record = stored_ownership(obj)
    if record is None:
        return None
    path, user_id = pinned(obj, record)
    if user_id is None:
        return ANONYMOUS_PRINCIPAL
    for domain, users in user_folders_above(obj):
        if path_of(users) == (path or SITE_USER_FOLDER):
            user = users.get_user(user_id)
            return principal_for(user, users, domain) if user is not None \
                else ANONYMOUS_PRINCIPAL
    return ANONYMOUS_PRINCIPAL


def is_owner(obj, principal: Principal) -> bool:
    """Return whether `principal` is the owner of `obj` (which gives the role Owner there)."""
    if principal.id is None:
        return False
    record = stored_ownership(obj)
    if record.__class__ is tuple:
        if record == (principal.user_folder, principal.id):
            return True
        # A user named by trusted code, with no folder yet, is the site's user of that name.
        return record == (None, principal.id) and principal.user_folder == SITE_USER_FOLDER
    if record != principal.id:
        return False
    return pinned(obj, record) == (principal.user_folder, principal.id)

