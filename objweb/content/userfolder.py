"""User folders (`acl_users`): the users and groups known in a subtree.

A user folder sits in a container under the name `acl_users`; its users are
known in that container and below, as in Zope. Passwords are kept only as
argon2id hashes, rehashed on login when the hashing parameters change, and
never leave this module in any form: a user record's `password_hash` is the
only place they live, and no view, export or log reads it.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from objweb.content.base import Item
from objweb.content.schema import TITLE
from objweb.errors import NameInUseError, NotFoundError, ValidationError
# The protected actions by name; `protections` is the class attribute that maps them.
from objweb.security import protections as actions
from objweb.security.passwords import hash_password, needs_rehash, verify_password
from objweb.security.permissions import AUTOMATIC_ROLES, MANAGE_USERS, OWNER

MAX_LOGIN_LENGTH = 100


def check_login(login: object) -> str:
    """Return `login` if it may name a user or a group.

    Raises `ValidationError` for an empty, overlong or unprintable name, or
    one with a colon (which HTTP Basic credentials cannot carry).
    """
    if not isinstance(login, str) or not login.strip():
        raise ValidationError("a user name cannot be empty", "name")
    if login != login.strip() or len(login) > MAX_LOGIN_LENGTH:
        raise ValidationError(
            f"a user name has no surrounding spaces and at most {MAX_LOGIN_LENGTH} characters",
            "name")
    if not login.isprintable() or ":" in login:
        raise ValidationError("a user name cannot contain ':' or control characters", "name")
    return login


def _check_roles(roles) -> tuple:
    if isinstance(roles, str) or not all(isinstance(role, str) and role for role in roles):
        raise ValidationError("roles are a list of role names", "roles")
    granted = set(roles) & (AUTOMATIC_ROLES | {OWNER})
    if granted:
        raise ValidationError(
            f"{', '.join(sorted(granted))} cannot be given to a user; it is computed", "roles")
    return tuple(sorted(set(roles)))


def _check_record(name, record, kind: type) -> None:
    check_login(name)
    if not isinstance(record, kind) or record.id != name or not isinstance(record.title, str) \
            or not isinstance(record.roles, tuple):
        raise ValidationError(f"{name!r} is not a {kind.__name__.lower()} record", "users")
    if kind is User and not (record.password_hash is None
                             or isinstance(record.password_hash, str)):
        raise ValidationError(f"the password of {name!r} is not a hash", "users")


class User(Persistent):
    """A user: login, title, roles, groups and the hash of the password."""

    def __init__(self, login: str, password_hash: str, roles=(), groups=(), title: str = ""):
        self.id = login
        self.title = title
        self.password_hash = password_hash
        self.roles = tuple(roles)
        self.groups = tuple(groups)

    def __repr__(self) -> str:
        # Never the hash: a repr ends up in logs and tracebacks.
        return f"<User {self.id!r} roles={list(self.roles)}>"


class Group(Persistent):
    """A group of users; its roles are given to every member."""

    def __init__(self, name: str, roles=(), title: str = ""):
        self.id = name
        self.title = title
        self.roles = tuple(roles)


class UserFolder(Item):
    """The users and groups known in the folder that holds this user folder."""

    type_name = "UserFolder"
    fields = (TITLE,)
    # Changing a user folder is the business of those who manage users: an
    # Editor may change content, not retitle or replace the users' home.
    protections = {actions.VIEW: MANAGE_USERS, actions.MANAGE_USERS: MANAGE_USERS,
                       actions.CREATE: MANAGE_USERS, actions.CHANGE: MANAGE_USERS}
    code_access = {"user_names": actions.MANAGE_USERS,
                       "group_names": actions.MANAGE_USERS}

    @classmethod
    def can_be_added_to(cls, container) -> bool:
        """A folder holds at most one user folder, named `acl_users`."""
        return getattr(container, "is_container", False) and "acl_users" not in container

    def __init__(self, title: str = "Users"):
        super().__init__(title)
        self._users = OOBTree()
        self._groups = OOBTree()

    # -- users ----------------------------------------------------------------

    def add_user(self, name: str, password: str, roles=(), groups=(), title: str = "") -> User:
        """Add a user and return it.

        Raises `NameInUseError` for a name taken by a user or group, and
        `ValidationError` for a bad name, password, role or unknown group.
        """
        check_login(name)
        if name in self._users or name in self._groups:
            raise NameInUseError(name, "acl_users")
        user = User(name, self._hash(password), _check_roles(roles),
                    self._check_groups(groups), title)
        self._users[name] = user
        return user

    def update_user(self, name: str, *, roles=None, groups=None, title: str | None = None) -> User:
        """Change a user's roles, groups or title; arguments left None stay.

        Raises `NotFoundError` for an unknown user and `ValidationError` for a
        bad role or unknown group.
        """
        user = self._user(name)
        new_roles = _check_roles(roles) if roles is not None else None
        new_groups = self._check_groups(groups) if groups is not None else None
        if new_roles is not None:
            user.roles = new_roles
        if new_groups is not None:
            user.groups = new_groups
        if title is not None:
            user.title = title
        return user

    def set_password(self, name: str, password: str) -> None:
        """Give a user a new password. Raises `NotFoundError` or `ValidationError`."""
        self._user(name).password_hash = self._hash(password)

    def delete_user(self, name: str) -> None:
        """Remove a user. Raises `NotFoundError` for an unknown user."""
        self._user(name)
        del self._users[name]

    def get_user(self, name: str) -> User | None:
        """Return the user `name`, or None."""
        return self._users.get(name) if isinstance(name, str) else None

    def has_users(self) -> bool:
        """Return whether any user is defined here (without listing them)."""
        return bool(self._users)

    def user_names(self) -> list[str]:
        """Return the users' names in order."""
        return list(self._users.keys())

    def check_password(self, name: str, password: str) -> bool:
        """Return whether `password` is the password of user `name`.

        An unknown user costs as much hashing as a known one. A hash made
        with older parameters is replaced on success.
        """
        user = self.get_user(name)
        if not verify_password(user.password_hash if user else None, password):
            return False
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return True

    # -- groups ---------------------------------------------------------------

    def add_group(self, name: str, roles=(), title: str = "") -> Group:
        """Add a group and return it. Raises as `add_user`."""
        check_login(name)
        if name in self._users or name in self._groups:
            raise NameInUseError(name, "acl_users")
        group = Group(name, _check_roles(roles), title)
        self._groups[name] = group
        return group

    def update_group(self, name: str, *, roles=None, title: str | None = None) -> Group:
        """Change a group's roles or title. Raises `NotFoundError` or `ValidationError`."""
        group = self._group(name)
        if roles is not None:
            group.roles = _check_roles(roles)
        if title is not None:
            group.title = title
        return group

    def delete_group(self, name: str) -> None:
        """Remove a group and its members' membership. Raises `NotFoundError`."""
        self._group(name)
        del self._groups[name]
        for user in self._users.values():
            if name in user.groups:
                user.groups = tuple(group for group in user.groups if group != name)

    def get_group(self, name: str) -> Group | None:
        """Return the group `name`, or None."""
        return self._groups.get(name) if isinstance(name, str) else None

    def group_names(self) -> list[str]:
        """Return the groups' names in order."""
        return list(self._groups.keys())

    def group_roles(self, name: str) -> tuple:
        """Return the roles of group `name` (none for an unknown group)."""
        group = self.get_group(name)
        return group.roles if group is not None else ()

    # -- state from elsewhere -----------------------------------------------------

    def check_stored_state(self) -> None:
        """Check the users and groups as `add_user` and `add_group` would have.

        For a user folder read from an export file. Raises `ValidationError`
        for a record that is not a user or group, a bad name, a role no user
        folder may give, or an unknown group.
        """
        super().check_stored_state()
        if not isinstance(self._users, OOBTree) or not isinstance(self._groups, OOBTree):
            raise ValidationError("the users are not a user folder's", "users")
        for name, group in self._groups.items():
            _check_record(name, group, Group)
            group.roles = _check_roles(group.roles)
        for name, user in self._users.items():
            _check_record(name, user, User)
            if name in self._groups:
                raise ValidationError(f"{name!r} is a user and a group", "users")
            if not isinstance(user.groups, tuple):
                raise ValidationError(f"the groups of {name!r} are not a list", "groups")
            user.roles = _check_roles(user.roles)
            user.groups = self._check_groups(user.groups)

    def forget_passwords(self) -> None:
        """Take every user's password away: none of them can log in until given a new one."""
        for user in self._users.values():
            if user.password_hash is not None:
                user.password_hash = None

    # -- helpers ----------------------------------------------------------------

    @staticmethod
    def _hash(password: str) -> str:
        try:
            return hash_password(password)
        except ValueError as error:
            raise ValidationError(str(error), "password") from None

    def _check_groups(self, groups) -> tuple:
        if isinstance(groups, str):
            raise ValidationError("groups are a list of group names", "groups")
        unknown = [group for group in groups if group not in self._groups]
        if unknown:
            raise ValidationError(f"unknown group(s): {', '.join(map(str, unknown))}", "groups")
        return tuple(sorted(set(groups)))

    def _user(self, name: str) -> User:
        user = self.get_user(name)
        if user is None:
            raise NotFoundError(f"no user {name!r}")
        return user

    def _group(self, name: str) -> Group:
        group = self.get_group(name)
        if group is None:
            raise NotFoundError(f"no group {name!r}")
        return group
