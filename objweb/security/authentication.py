"""Finding the user behind a request among the user folders above an object.

User folders sit in containers under the name `acl_users`. A user defined in
one is known in that container's subtree, as in Zope; the nearest folder that
knows a login decides. The user folder protocol is small: `get_user(login)`
returns a record with `id`, `title`, `roles` and `groups` (or None),
`check_password(login, password)` answers yes or no, and `group_roles(group)`
returns a group's roles. A user record keeps its `password_hash`, which
sessions fingerprint (with the site's secret) so that a new password ends
them.
"""

from collections.abc import Iterator

from objweb.errors import NotFoundError
from objweb.security.credentials import VerifiedCredentials
from objweb.security.passwords import verify_password
from objweb.security.principals import Principal
from objweb.security.sessions import Session, credential_fingerprint, new_session
from objweb.security.signing import is_same_digest
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import child, find

USER_FOLDER_NAME = "acl_users"

# Basic credentials proven in the last minute, so that a program sending its
# password with every request does not pay a full hash each time.
verified_credentials = VerifiedCredentials()


def user_folders_above(obj) -> Iterator[tuple[object, object]]:
    """Yield (container, user folder) pairs from `obj` up to the root, nearest first."""
    for node in lineage(obj):
        user_folder = child(node, USER_FOLDER_NAME)
        if user_folder is not None and hasattr(user_folder, "check_password"):
            yield node, user_folder


def principal_for(user, user_folder, domain) -> Principal:
    """Return the principal of `user`, defined in `user_folder` inside `domain`.

    A user of the root's user folder is known everywhere (`domain` None).
    """
    roles = frozenset(user.roles)
    for group in user.groups:
        roles |= frozenset(user_folder.group_roles(group))
    if getattr(domain, "__parent__", None) is None:
        domain = None
    return Principal(id=user.id, title=user.title or user.id, roles=roles,
                     groups=frozenset(user.groups), domain=domain,
                     user_folder=path_of(user_folder))


def find_user(obj, login: str):
    """Return (user, user folder, domain) for the nearest folder that knows `login`, or None."""
    for domain, user_folder in user_folders_above(obj):
        user = user_folder.get_user(login)
        if user is not None:
            return user, user_folder, domain
    return None


def authenticate(obj, login: str, password: str) -> Principal | None:
    """Return the principal whose login and password these are, seen from `obj`.

    Returns None for an unknown login and for a wrong password alike, after
    the same amount of hashing work. Credentials proven right within the
    last minute are accepted without hashing again (see `credentials`).
    """
    found = find_user(obj, login)
    # A user with no password (one imported, or copied without it) cannot log in.
    if found is not None and found[0].password_hash is not None:
        user, user_folder, _domain = found
        where = path_of(user_folder)
        if verified_credentials.is_proven(where, login, password, user.password_hash):
            return principal_for(*found)
    if not _check_credentials(found, login, password):
        return None
    user, user_folder, _domain = found
    verified_credentials.remember(where, login, password, user.password_hash)
    return principal_for(*found)


def _check_credentials(found, login: str, password: str) -> bool:
    """Return whether `password` is right for the user `found`, hashing even for none."""
    if found is None:
        verify_password(None, password)
        return False
    _user, user_folder, _domain = found
    return user_folder.check_password(login, password)


def open_session(obj, login: str, password: str, *, secret: bytes, lifetime: int,
                 now: float | None = None) -> tuple[Principal, Session] | None:
    """Return the principal and a new session for these credentials, seen from `obj`.

    Refuses (None) exactly as `authenticate` does, after the same work.
    """
    found = find_user(obj, login)
    if not _check_credentials(found, login, password):
        return None
    user, user_folder, domain = found
    fingerprint = credential_fingerprint(secret, user.password_hash)
    session = new_session(user.id, path_of(domain), fingerprint, lifetime=lifetime, now=now)
    return principal_for(user, user_folder, domain), session


def session_principal(root, session: Session, secret: bytes) -> Principal | None:
    """Return the principal whose session this is, or None if it no longer holds.

    The session names the folder whose user folder defines the user; the
    user must still be there, with the password the session began under.
    """
    try:
        domain = find(root, session.domain_path)
    except (NotFoundError, ValueError):
        return None
    user_folder = child(domain, USER_FOLDER_NAME)
    if user_folder is None or not hasattr(user_folder, "check_password"):
        return None
    user = user_folder.get_user(session.user_id)
    if user is None:
        return None
    fingerprint = credential_fingerprint(secret, user.password_hash)
    if not is_same_digest(fingerprint, session.fingerprint):
        return None
    return principal_for(user, user_folder, domain)


def credential_of(root, principal: Principal, secret: bytes) -> str:
    """Return a keyed fingerprint of the password `principal` has now ("" if the user is gone).

    It changes whenever the password does, and reveals nothing of its hash.
    """
    domain = root if principal.domain is None else principal.domain
    user_folder = child(domain, USER_FOLDER_NAME)
    user = user_folder.get_user(principal.id) if user_folder is not None else None
    return credential_fingerprint(secret, user.password_hash) if user is not None else ""


def principal_by_login(obj, login: str) -> Principal | None:
    """Return the principal for `login` seen from `obj`, without a password.

    For credentials already proven, such as a signed session or trusted code.
    """
    found = find_user(obj, login)
    if found is None:
        return None
    user, user_folder, domain = found
    return principal_for(user, user_folder, domain)
