"""Who may View an object, told as tokens a catalog can index (Zope's allowedRolesAndUsers).

An object's tokens name whoever holds `View` on it: each role given View
there (`r:Editor`), each user or group holding such a role there through a
local role (`l:ann`), and its owners when the Owner role has View
(`o:<user folder path>` NUL `<id>`), inheritance, blocked local roles and
ownership all counted as the policy counts them. A principal's tokens name
who it is. The principal may View the object exactly when the two share a
token: the answer `SecurityPolicy.has_permission(VIEW, obj)` gives, which
the tests check against each other. The same holds for any other
permission (the catalog searches text guarded by `View management
screens` this way). A user of a nested user folder is somebody only
inside its domain; elsewhere it holds `r:Anonymous` alone.

``ViewState` is what a container hands down to its items, so that the
tokens of a million items cost one step each, and those of an item with no
settings of its own need only its container's state and its owner.

A search must also obey the publisher's walk-through check (`Access
contents information` on every object a request walks through). Going down
the tree that check can only start refusing at a few objects, the
checkpoints (`is_checkpoint`): a catalog keeps their paths and asks the
policy about them alone.
"""

from dataclasses import dataclass

from objweb.security.ownership import SITE_USER_FOLDER, pinned, stored_ownership
from objweb.security.permissions import (
    ANONYMOUS, AUTHENTICATED, OWNER, VIEW, default_roles_of)
from objweb.security.policy import (
    SecurityPolicy, TrustedPolicy, inherited, _permission_roles_here)
from objweb.security.principals import Principal
from objweb.security.protections import ACCESS, permission_for
from objweb.security.rolemap import role_map_of
from objweb.traversal.location import path_of

ROLE, LOCAL, OWNED = "r:", "l:", "o:"
ANONYMOUS_TOKEN = ROLE + ANONYMOUS
# No name or user id holds a control character: a path and an id joined by one stay apart.
_SEPARATOR = "\x00"
_OWNER_ONLY = frozenset({OWNER})


@dataclass(frozen=True)
class ViewState:
    """The roles given View at one object, and who holds which roles there locally.

    `holders` maps a holder's token (`l:` a user or group id, `o:` an
    owner) to the roles it holds there, inherited ones included.
    """

    roles: frozenset
    holders: dict

    def tokens(self) -> tuple:
        """Return the object's tokens, sorted: the value a catalog indexes."""
        found = {ROLE + role for role in self.roles}
        found.update(holder for holder, roles in self.holders.items()
                     if not roles.isdisjoint(self.roles))
        return tuple(sorted(found))

    def tokens_with_owner(self, owner: tuple) -> tuple:
        """Return the tokens of an item with no settings of its own, owned as `owner` says.

        `owner` is what `owner_tokens` gives for the item; `self` is its container's state.
        """
        if not owner or OWNER not in self.roles:
            return self.tokens()
        return tuple(sorted(set(self.tokens()) | set(owner)))


def top_state(permission: str = VIEW) -> ViewState:
    """Return the state above the root: the permission's default roles, no local roles."""
    return ViewState(default_roles_of(permission), {})


TOP = top_state()


def owner_tokens(obj) -> tuple:
    """Return the tokens of the owner of `obj` (none for no owner and for nobody).

    An owner named by trusted code where no user folder held the name yet
    is the site's user of that name, and also a principal so named by
    trusted code: it gets a token for each.
    """
    record = stored_ownership(obj)
    if record is None:
        return ()
    user_folder, user_id = pinned(obj, record)
    if user_id is None:
        return ()
    if user_folder is None:
        return (OWNED + _SEPARATOR + user_id, OWNED + SITE_USER_FOLDER + _SEPARATOR + user_id)
    return (OWNED + user_folder + _SEPARATOR + user_id,)


def state_below(above: ViewState, node, permission: str = VIEW) -> ViewState:
    """Return the state at `node` of `permission` (View), whose parent's state is `above`."""
    roles = _permission_roles_here(permission)(node, above.roles)
    role_map = role_map_of(node)
    owner = owner_tokens(node)
    if role_map is None and not owner:
        return above if roles is above.roles else ViewState(roles, above.holders)
    holders = {} if role_map is not None and role_map.block_local_roles else dict(above.holders)
    if role_map is not None:
        for principal_id, granted in role_map.local_roles.items():
            token = LOCAL + principal_id
            holders[token] = holders.get(token, frozenset()) | granted
    for token in owner:
        holders[token] = holders.get(token, frozenset()) | _OWNER_ONLY
    return ViewState(roles, holders)


def view_state(obj, known: dict | None = None, permission: str = VIEW) -> ViewState:
    """Return the state of `permission` (View) at `obj`, walking up only to what `known` holds.

    `known` maps `id(obj)` to `(obj, state)` for one permission and is
    filled on the way down, so the objects of one subtree share the walk.
    """
    known = {} if known is None else known
    return inherited(known, obj, lambda node, state: state_below(state, node, permission),
                      top_state(permission))


@dataclass(frozen=True)
class Viewer:
    """Whom a search answers for: the tokens it matches, and where they count.

    Outside `domain` (a path; None: everywhere) the viewer is anonymous.
    """

    tokens: frozenset
    domain: str | None = None


def principal_tokens(principal: Principal, proxy_roles: frozenset | None = None) -> frozenset:
    """Return the tokens of `principal` (with `proxy_roles`, those replace its roles)."""
    if proxy_roles is not None:
        return frozenset({ANONYMOUS_TOKEN} | {ROLE + role for role in proxy_roles})
    if not principal.is_authenticated:
        return frozenset({ANONYMOUS_TOKEN})
    tokens = {ANONYMOUS_TOKEN, ROLE + AUTHENTICATED}
    tokens.update(ROLE + role for role in principal.roles)
    tokens.update(LOCAL + principal_id for principal_id in principal.principal_ids)
    tokens.add(OWNED + (principal.user_folder or "") + _SEPARATOR + principal.id)
    return frozenset(tokens)


def viewer_of(policy: SecurityPolicy) -> Viewer | None:
    """Return the viewer a security policy decides for, or None for trusted code (sees all)."""
    if isinstance(policy, TrustedPolicy):
        return None
    principal = policy.principal
    if policy.proxy_roles is not None:
        return Viewer(principal_tokens(principal, policy.proxy_roles))
    domain = principal.domain
    return Viewer(principal_tokens(principal),
                  None if domain is None or not principal.is_authenticated else path_of(domain))


def is_visible(tokens, viewer: Viewer, path: str) -> bool:
    """Return whether an object with `tokens`, at `path`, is visible to `viewer`."""
    if viewer.domain is not None and not is_below(path, viewer.domain):
        return ANONYMOUS_TOKEN in tokens
    return not viewer.tokens.isdisjoint(tokens)


def is_below(path: str, ancestor: str) -> bool:
    """Return whether `path` is `ancestor` or lies below it."""
    return ancestor == "/" or path == ancestor or path.startswith(ancestor + "/")


def is_checkpoint(obj) -> bool:
    """Return whether the walk-through check at `obj` may refuse whom its parent's let through.

    The check asks for the permission `obj`'s type guards the `access`
    action with. Down the tree a principal's roles only grow (local roles
    and ownership add; a user folder's domain, once entered, is never
    left) unless an object blocks local roles, and the roles a permission
    is given only grow unless an object sets it without acquiring. So an
    object can refuse what its parent allowed only if it is the root,
    blocks local roles, sets its access permission without acquiring, or
    guards access with another permission than its parent.
    """
    parent = getattr(obj, "__parent__", None)
    permission = permission_for(obj, ACCESS)
    if parent is None or permission != permission_for(parent, ACCESS):
        return True
    role_map = role_map_of(obj)
    if role_map is None:
        return False
    setting = role_map.permissions.get(permission)
    return role_map.block_local_roles or (setting is not None and not setting.acquire)

