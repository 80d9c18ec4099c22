"""The Security tab: who may do what here.

It shows and changes, as Zope's Security tab does, the permission × role
matrix with an "acquire" box per permission (an explicit flag in objweb),
the local roles given to users and groups here, whether local roles are
inherited from above, the roles defined here, and the object's owner.
"""

from dataclasses import dataclass

import webob

from objweb.content.base import Item
from objweb.errors import ValidationError
from objweb.security import rolemap
from objweb.security.authentication import user_folders_above
from objweb.security.ownership import owner_principal, ownership_of
from objweb.security.permissions import AUTOMATIC_ROLES, MANAGER, OWNER, known_permissions
from objweb.security.protections import CHANGE_LOCAL_ROLES, CHANGE_PERMISSIONS
from objweb.traversal.location import path_of
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen


@dataclass(frozen=True)
class MatrixRow:
    """One permission in the matrix: roles given here, acquire, and roles holding it in effect."""

    index: int
    permission: str
    roles: frozenset
    acquire: bool
    effective: frozenset


@screen(Item, "manage_security", title="Security", order=40, action=CHANGE_PERMISSIONS)
class SecurityScreen(Screen):
    """The permission matrix, local roles, inheritance and ownership of an object."""

    template = "security.pt"

    @property
    def roles(self) -> list[str]:
        """The roles known here: the matrix's columns."""
        return rolemap.valid_roles(self.context)

    @property
    def grantable_roles(self) -> list[str]:
        """The roles a local role may give (not the automatic ones)."""
        return [role for role in self.roles if role not in AUTOMATIC_ROLES]

    @property
    def matrix(self) -> list[MatrixRow]:
        """One row per permission: the roles set here, acquire, and who holds it in effect."""
        rows = []
        for index, permission in enumerate(known_permissions()):
            setting = rolemap.permission_setting(self.context, permission)
            effective = self.request.policy.roles_of_permission(permission, self.context)
            rows.append(MatrixRow(index, permission, setting.roles, setting.acquire, effective))
        return rows

    @property
    def local_roles(self) -> list[tuple[str, list[str]]]:
        """(user or group id, roles) pairs set on this object, owner included."""
        found = rolemap.local_roles_of(self.context)
        return [(principal, sorted(found[principal])) for principal in sorted(found)]

    @property
    def is_blocked(self) -> bool:
        """Whether local roles from above are not inherited here."""
        record = rolemap.role_map_of(self.context)
        return bool(record is not None and record.block_local_roles)

    @property
    def principals(self) -> list[str]:
        """The users and groups known here, for the local role form's suggestions."""
        found = set()
        for _, users in user_folders_above(self.context):
            found.update(users.user_names())
            found.update(users.group_names())
        return sorted(found)

    @property
    def users(self) -> list[str]:
        """The users known here (who may own the object)."""
        found = set()
        for _, users in user_folders_above(self.context):
            found.update(users.user_names())
        return sorted(found)

    @property
    def ownership(self) -> str:
        """Who owns the object, with the user folder that defines them."""
        owner_id = self.context.owner
        principal = owner_principal(self.context)
        if principal is None:
            return "no one"
        if principal.id is not None:
            return f"{principal.id} of {principal.user_folder}"
        if owner_id is None:
            return "nobody (an anonymous visitor)"
        return f"nobody ({owner_id} is no longer a user of the user folder that defined them)"

    def back(self, message: str) -> webob.Response:
        """Redirect to this screen with `message`."""
        return self.redirect(self.url(screen=self.name), message)

    # -- commands ---------------------------------------------------------------

    @command("permissions")
    def save_permissions(self) -> webob.Response:
        """Save the whole matrix: each permission's roles and acquire flag."""
        post = self.request.POST
        for index, permission in enumerate(known_permissions()):
            roles = post.getall(f"roles-{index}")
            try:
                rolemap.set_permission(self.context, permission, roles,
                                        f"acquire-{index}" in post)
            except ValueError as error:
                raise ValidationError(f"{permission}: {error}", "permissions") from None
        self.note(f"Changed the permissions of {path_of(self.context)}")
        return self.back("Saved the permissions.")

    @command("local_roles", action=CHANGE_LOCAL_ROLES)
    def save_local_roles(self) -> webob.Response:
        """Give one user or group exactly the ticked roles here."""
        post = self.request.POST
        principal = (post.get("principal") or "").strip()
        if principal not in self.principals:
            raise ValidationError(f"there is no user or group {principal!r} here", "principal")
        roles = [role for role in post.getall("local_roles") if role != OWNER
                 or principal != self.context.owner]
        try:
            rolemap.set_local_roles(self.context, principal, roles)
        except ValueError as error:
            raise ValidationError(str(error), "local_roles") from None
        self.note(f"Changed the local roles of {principal} on {path_of(self.context)}")
        return self.back(f"Saved the local roles of {principal!r}.")

    @command("remove_local_roles", action=CHANGE_LOCAL_ROLES)
    def remove_local_roles(self) -> webob.Response:
        """Take all local roles here from the ticked users and groups."""
        principals = self.request.POST.getall("remove")
        if not principals:
            raise ValidationError("tick the users or groups first", "remove")
        for principal in principals:
            rolemap.set_local_roles(self.context, principal, ())
        self.note(f"Removed local roles on {path_of(self.context)}")
        return self.back(f"Removed the local roles of {', '.join(principals)}.")

    @command("block", action=CHANGE_LOCAL_ROLES)
    def block(self) -> webob.Response:
        """Stop or resume inheriting local roles from above."""
        blocked = self.request.POST.get("block") == "on"
        rolemap.set_block_local_roles(self.context, blocked)
        self.note(f"{'Blocked' if blocked else 'Unblocked'} local roles on "
                  f"{path_of(self.context)}")
        return self.back("Local roles from above are no longer inherited here." if blocked
                         else "Local roles from above are inherited here again.")

    @command("owner")
    def change_owner(self) -> webob.Response:
        """Give the object to another user, or take it.

        Taking makes the user themselves the owner. Code (a Script, a
        Template) runs with its owner's rights, so only a Manager of the
        whole site may give it to someone else, as Zope lets others only
        take ownership.
        """
        owner = (self.request.POST.get("owner") or "").strip()
        principal = self.request.principal
        if owner == principal.id:
            self.context.set_ownership(ownership_of(principal, self.context))
        elif owner not in self.users:
            raise ValidationError(f"there is no user {owner!r} here", "owner")
        elif self.context.is_executable and \
                MANAGER not in self.request.policy.roles_in(self.request.root):
            raise ValidationError(f"code runs with its owner's rights: only a Manager of the "
                                  f"whole site may give a {self.context.type_name} to someone "
                                  f"else; you may take it over", "owner")
        else:
            self.context.change_owner(owner)
        self.request.policy.forget()
        self.note(f"Made {owner} the owner of {path_of(self.context)}")
        return self.back(f"{owner} owns this {self.context.type_name.lower()} now.")

    @command("define_role")
    def define_role(self) -> webob.Response:
        """Make a new role known here and below."""
        role = (self.request.POST.get("role") or "").strip()
        try:
            rolemap.define_role(self.context, role)
        except ValueError as error:
            raise ValidationError(str(error), "role") from None
        self.note(f"Defined the role {role} on {path_of(self.context)}")
        return self.back(f"Defined the role {role!r}.")
