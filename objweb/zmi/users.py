"""The Users tab of `acl_users`: list, add, edit, reset the password of, and delete users.

Groups are managed here too, since local roles and user records name them.
No page ever shows a password or its hash; a new password is typed twice.
"""

from dataclasses import dataclass

import webob

from objweb.content.userfolder import UserFolder
from objweb.errors import NameInUseError, NotFoundError, ValidationError
from objweb.security.permissions import AUTOMATIC_ROLES, OWNER
from objweb.security.passwords import PasswordPolicy, WeakPasswordError
from objweb.security.protections import MANAGE_USERS
from objweb.security.rolemap import valid_roles
from objweb.traversal.location import path_of
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen


@dataclass(frozen=True)
class UserRow:
    """A user or group as the list shows it."""

    id: str
    title: str
    roles: tuple
    groups: tuple = ()


def _passwords(request, user_id: str) -> str:
    """Return the new password typed twice, if the site's password policy accepts it.

    Raises `ValidationError` naming the field at fault.
    """
    post = request.POST
    password = post.get("password") or ""
    if not password:
        raise ValidationError("type a password", "password")
    if password != (post.get("confirm") or ""):
        raise ValidationError("the two passwords differ", "confirm")
    settings = request.limits
    policy = PasswordPolicy(settings.password_min_length, settings.password_common_refused)
    try:
        policy.check(password, user_id=user_id)
    except WeakPasswordError as error:
        raise ValidationError(str(error), "password") from None
    return password


class UserFolderScreen(Screen):
    """What the screens of a user folder share: the roles and groups to offer."""

    @property
    def password_rule(self) -> str:
        """The site's password policy, as the password field's help says it."""
        settings = self.request.limits
        rule = f"At least {settings.password_min_length} characters"
        if settings.password_common_refused:
            rule += ", not one of the most common passwords, nor the user name"
        return rule + "."

    @property
    def roles(self) -> list[str]:
        """The roles a user or group may be given here."""
        place = self.context.__parent__ or self.context
        return [role for role in valid_roles(place)
                if role not in AUTOMATIC_ROLES and role != OWNER]

    @property
    def groups(self) -> list[str]:
        """The groups defined in this user folder."""
        return self.context.group_names()


@screen(UserFolder, "manage_users", title="Users", order=10, action=MANAGE_USERS)
class UsersScreen(UserFolderScreen):
    """The users and groups of a user folder, and the forms to add them."""

    template = "users.pt"

    @property
    def user_rows(self) -> list[UserRow]:
        """Every user, by name."""
        rows = []
        for name in self.context.user_names():
            user = self.context.get_user(name)
            rows.append(UserRow(name, user.title, tuple(user.roles), tuple(user.groups)))
        return rows

    @property
    def group_rows(self) -> list[UserRow]:
        """Every group, by name."""
        rows = []
        for name in self.context.group_names():
            group = self.context.get_group(name)
            rows.append(UserRow(name, group.title, tuple(group.roles)))
        return rows

    def back(self, message: str) -> webob.Response:
        """Redirect to this screen with `message`."""
        return self.redirect(self.url(screen=self.name), message)

    @command("add_user")
    def add_user(self) -> webob.Response:
        """Add a user with a password, roles and groups."""
        post = self.request.POST
        name = (post.get("name") or "").strip()
        password = _passwords(self.request, name)
        try:
            self.context.add_user(name, password, roles=post.getall("roles"),
                                  groups=post.getall("groups"),
                                  title=post.get("title", "").strip())
        except NameInUseError:
            raise ValidationError(f"there is a user or group {name!r} already", "name") from None
        self.note(f"Added the user {name} to {path_of(self.context)}")
        return self.back(f"Added the user {name!r}.")

    @command("delete_users")
    def delete_users(self) -> webob.Response:
        """Delete the ticked users (never the one logged in)."""
        names = self.request.POST.getall("users")
        if not names:
            raise ValidationError("tick the users to delete first", "users")
        if self.user_id in names:
            raise ValidationError("you cannot delete the user you are logged in as", "users")
        for name in names:
            self.context.delete_user(name)
        self.note(f"Deleted the users {', '.join(names)} from {path_of(self.context)}")
        return self.back(f"Deleted {', '.join(names)}.")

    @command("add_group")
    def add_group(self) -> webob.Response:
        """Add a group with roles."""
        post = self.request.POST
        name = (post.get("group_name") or "").strip()
        try:
            self.context.add_group(name, roles=post.getall("group_roles"),
                                   title=post.get("group_title", "").strip())
        except NameInUseError:
            raise ValidationError(f"there is a user or group {name!r} already",
                                  "group_name") from None
        except ValidationError as error:
            raise ValidationError(str(error), f"group_{error.field or 'name'}") from None
        self.note(f"Added the group {name} to {path_of(self.context)}")
        return self.back(f"Added the group {name!r}.")

    @command("delete_groups")
    def delete_groups(self) -> webob.Response:
        """Delete the ticked groups; their members leave them."""
        names = self.request.POST.getall("delete_groups")
        if not names:
            raise ValidationError("tick the groups to delete first", "delete_groups")
        for name in names:
            self.context.delete_group(name)
        self.note(f"Deleted the groups {', '.join(names)} from {path_of(self.context)}")
        return self.back(f"Deleted the groups {', '.join(names)}.")


@screen(UserFolder, "manage_user", action=MANAGE_USERS)
class UserScreen(UserFolderScreen):
    """One user: title, roles and groups, and a new password."""

    template = "user.pt"

    def get(self) -> webob.Response:
        """Render the user's forms. Raises `NotFoundError` for an unknown user."""
        self.user = self.found_user()
        return self.render()

    @property
    def heading(self) -> str:
        """The page heading: the user's name."""
        return f"User {self.user.id}"

    def found_user(self):
        """Return the user named by the `name` parameter. Raises `NotFoundError`."""
        user = self.context.get_user(self.request.params.get("name", ""))
        if user is None:
            raise NotFoundError("there is no such user here")
        return user

    def back(self, message: str) -> webob.Response:
        """Redirect to this user's page with `message`."""
        return self.redirect(self.url(screen=self.name, name=self.user.id), message)

    @command("save_user")
    def save(self) -> webob.Response:
        """Save the user's title, roles and groups."""
        self.user = user = self.found_user()
        post = self.request.POST
        self.context.update_user(user.id, roles=post.getall("roles"),
                                 groups=post.getall("groups"),
                                 title=post.get("title", "").strip())
        self.note(f"Changed the user {user.id} in {path_of(self.context)}")
        return self.back(f"Saved the user {user.id!r}.")

    @command("set_password")
    def set_password(self) -> webob.Response:
        """Give the user a new password."""
        self.user = user = self.found_user()
        self.context.set_password(user.id, _passwords(self.request, user.id))
        self.note(f"Reset the password of {user.id} in {path_of(self.context)}")
        return self.back(f"Set a new password for {user.id!r}.")
