"""The security policy: may this principal do this, here, and if not, why.

One policy object serves one request (or one script run). It computes a
principal's roles on an object from the user folder's roles, the groups', the
local roles and ownership inherited down the tree, and the roles a permission
is given from the role maps inherited down the tree, and caches
both for the rest of the request. Every view, JSON verb, management screen and
sandboxed expression asks this one object.
"""

import functools

from objweb.errors import Forbidden, Unauthorized
from objweb.security.ownership import is_owner
from objweb.security.permissions import ANONYMOUS, AUTHENTICATED, OWNER, default_roles_of
from objweb.security.principals import TRUSTED_CODE, Principal
from objweb.security.protections import UnknownActionError, permission_for
from objweb.security.rolemap import ROLE_MAP_ATTRIBUTE, role_map_of
from objweb.traversal.location import is_inside, path_of


class Decision:
    """The answer to one question, with what decided it.

    True in a boolean context when allowed. The record goes to the log on a
    refusal; it never reaches a response. `where` is the path the decision
    is about, or the object itself: a request decides a dozen times and
    almost never needs the path, so it is written only when asked for.
    """

    __slots__ = ("allowed", "permission", "_where", "needed_roles", "held_roles",
                 "principal_id")

    def __init__(self, allowed: bool, permission: str | None, where,
                 needed_roles: frozenset = frozenset(), held_roles: frozenset = frozenset(),
                 principal_id: str | None = None):
        self.allowed = allowed
        self.permission = permission
        self._where = where
        self.needed_roles = needed_roles
        self.held_roles = held_roles
        self.principal_id = principal_id

    @property
    def path(self) -> str:
        """The path of the object decided on."""
        where = self._where
        return where if isinstance(where, str) else path_of(where)

    def __bool__(self) -> bool:
        return self.allowed

    def __repr__(self) -> str:
        return f"<Decision {self.explain()}>"

    def explain(self) -> str:
        """Return a sentence for the log saying what decided."""
        who = self.principal_id or "Anonymous"
        verdict = "allowed" if self.allowed else "denied"
        if self.permission is None:
            return f"{verdict}: {who} on {self.path} (no permission declared for the action)"
        return (f"{verdict}: {who} on {self.path} needs {self.permission!r} "
                f"(roles {sorted(self.needed_roles)}), holds {sorted(self.held_roles)}")


class Enforcement:
    """The yes-or-no and the raising forms of a policy's decisions.

    A policy provides `principal`, `decide(permission, obj)` and
    `decide_action(action, obj)`; this adds `can`, `check` and
    `check_permission`, which refuse in one way for every policy.
    """

    #: What an authenticated user is told on a refusal.
    refusal = "you are not allowed to do this here"

    def can(self, action: str, obj) -> bool:
        """Return whether the principal may perform `action` on `obj`."""
        return self.decide_action(action, obj).allowed

    def check(self, action: str, obj) -> Decision:
        """Return the decision for `action` on `obj` if allowed.

        Raises `Unauthorized` for an anonymous principal and `Forbidden` for an
        authenticated one, each carrying the decision.
        """
        return self._enforce(self.decide_action(action, obj))

    def check_permission(self, permission: str | None, obj) -> Decision:
        """Return the decision for `permission` on `obj` if allowed; raise as `check`."""
        return self._enforce(self.decide(permission, obj))

    def _enforce(self, decision: Decision) -> Decision:
        if decision:
            return decision
        if self.principal.is_authenticated:
            raise Forbidden(self.refusal, decision)
        raise Unauthorized("log in to do this", decision)


CODE_REFUSAL = "the code running is not allowed to do this here"


class SecurityPolicy(Enforcement):
    """Decides what one principal may do; caches what it learns for its lifetime.

    `proxy_roles`, when given, replace the principal's roles everywhere, as a
    Script's proxy roles do in Zope.
    """

    def __init__(self, principal: Principal, *, proxy_roles: frozenset | None = None):
        self.principal = principal
        self.proxy_roles = proxy_roles
        if proxy_roles is not None:
            self.refusal = CODE_REFUSAL
            # Proxy roles hold everywhere, whoever runs the code.
            self._same_roles_everywhere = frozenset({ANONYMOUS}) | proxy_roles
        elif not principal.is_authenticated:
            # No local role or ownership is ever given to an anonymous visitor.
            self._same_roles_everywhere = ANONYMOUS_ROLES
        else:
            self._same_roles_everywhere = None
        # Keyed by id(), holding the object too: an id is only unique while
        # its object lives, and the entry keeps it alive for the request.
        self._roles_cache: dict[int, tuple[object, frozenset]] = {}
        self._local_cache: dict[int, tuple[object, frozenset]] = {}
        # Each object's settings chain: the settings records from the root
        # down to it, those objects only that carry one. Most objects carry
        # none, so they share their parent's chain, the very same tuple.
        self._chains: dict[int, tuple[object, tuple]] = {}
        # One table per permission, keyed by chain: the roles a permission is
        # given depend on the chain alone, so the objects that share one share
        # the answer, however deep they are.
        self._permission_cache: dict[str, dict[int, tuple[tuple, frozenset]]] = {}

    def forget(self) -> None:
        """Drop what the policy learned, after a role map changed mid-request."""
        self._roles_cache.clear()
        self._local_cache.clear()
        self._chains.clear()
        self._permission_cache.clear()

    def roles_in(self, obj) -> frozenset:
        """Return every role the principal holds on `obj`."""
        if self._same_roles_everywhere is not None:
            return self._same_roles_everywhere
        entry = self._roles_cache.get(id(obj))
        if entry is None or entry[0] is not obj:
            entry = self._roles_cache[id(obj)] = (obj, self._compute_roles(obj))
        return entry[1]

    def _compute_roles(self, obj) -> frozenset:
        principal = self.principal
        if principal.domain is not None and not is_inside(obj, principal.domain):
            return ANONYMOUS_ROLES
        base = AUTHENTICATED_ROLES | principal.roles
        return base | inherited(self._local_cache, obj, self._local_roles_here, frozenset())

    def _local_roles_here(self, node, from_above: frozenset) -> frozenset:
        """Return the owner and local roles the principal holds at `node`, inherited ones too."""
        roles = set()
        if is_owner(node, self.principal):
            roles.add(OWNER)
        role_map = role_map_of(node)
        if role_map is not None:
            for principal_id in self.principal.principal_ids & role_map.local_roles.keys():
                roles |= role_map.local_roles[principal_id]
            if role_map.block_local_roles:
                return frozenset(roles)
        return from_above | roles if roles else from_above

    def roles_of_permission(self, permission: str, obj) -> frozenset:
        """Return the roles that hold `permission` on `obj`, inheritance included."""
        return self._roles_for_chain(permission, self._chain_of(obj))

    def _chain_of(self, obj) -> tuple:
        return inherited(self._chains, obj, _extend_chain, ())

    def _roles_for_chain(self, permission: str, chain: tuple) -> frozenset:
        cache = self._permission_cache.get(permission)
        if cache is None:
            cache = self._permission_cache[permission] = {}
        entry = cache.get(id(chain))
        if entry is not None and entry[0] is chain:
            return entry[1]
        roles = default_roles_of(permission)
        for settings in chain:
            setting = settings.permissions.get(permission)
            if setting is not None:
                roles = setting.roles | roles if setting.acquire else setting.roles
        # Keyed by id(), holding the chain too, as the other tables do.
        cache[id(chain)] = (chain, roles)
        return roles

    def decide(self, permission: str | None, obj) -> Decision:
        """Return whether the principal holds `permission` on `obj` (None: always)."""
        held = self.roles_in(obj)
        if permission is None:
            return Decision(True, None, obj, frozenset(), held, self.principal.id)
        needed = self.roles_of_permission(permission, obj)
        return Decision(not needed.isdisjoint(held), permission, obj, needed, held,
                        self.principal.id)

    def has_permission(self, permission: str | None, obj) -> bool:
        """Return whether the principal holds `permission` on `obj`."""
        return self.decide(permission, obj).allowed

    def check_lineage(self, action: str, nodes) -> Decision | None:
        """Check `action` on each of `nodes`, the root first, as `check` on each in turn would.

        `nodes` is a line of objects each the parent of the next, as a
        traversal walks them: each node's settings chain comes from its
        parent's in one step, and a node that carries no settings, of the
        parent's type, for an anonymous visitor, is answered as its parent
        was. Returns the decision on the last node (None for no nodes); raises as
        `check` on the first node refused.
        """
        above = above_chain = None
        chains = self._chains
        held_everywhere = self._same_roles_everywhere
        node_type = permission = None
        for node in nodes:
            same_type = type(node) is node_type
            if not same_type:
                # A path is mostly folders: the permission is looked up once per run of a type.
                node_type = type(node)
                try:
                    permission = permission_for(node_type, action)
                except UnknownActionError:
                    permission = None
            if permission is None or above is None or \
                    getattr(node, "__parent__", None) is not above:
                # The general way: the first node, a node out of line, no permission.
                self.check(action, node)
                above, above_chain = node, self._chain_of(node)
                continue
            settings = getattr(node, ROLE_MAP_ATTRIBUTE, None)
            chain = above_chain if settings is None else above_chain + (settings,)
            chains[id(node)] = (node, chain)
            above = node
            if chain is above_chain and same_type and held_everywhere is not None:
                continue  # the same roles needed, the same roles held: allowed above
            above_chain = chain
            needed = self._roles_for_chain(permission, chain)
            held = held_everywhere or self.roles_in(node)
            if needed.isdisjoint(held):
                self._enforce(Decision(False, permission, node, needed, held,
                                       self.principal.id))
        # Every node passed; the last one's decision is made again from the caches.
        return None if above is None else self.decide_action(action, above)

    def decide_action(self, action: str, obj) -> Decision:
        """Return the decision for `action` as `obj`'s type protects it.

        An action no table declares is refused.
        """
        try:
            permission = permission_for(obj, action)
        except UnknownActionError:
            return Decision(False, None, obj, frozenset(), self.roles_in(obj),
                            self.principal.id)
        return self.decide(permission, obj)


ANONYMOUS_ROLES = frozenset({ANONYMOUS})
AUTHENTICATED_ROLES = frozenset({ANONYMOUS, AUTHENTICATED})


def inherited(cache: dict, obj, here, top):
    """Return `here(obj, value of obj's parent)`, `top` above the root, cached per object.

    Walks up only to the nearest object already known, then computes down:
    the objects a request walks through share their ancestors, so each
    object of a path costs one step, not one walk to the root.
    """
    pending = []
    node, value = obj, top
    while node is not None:
        entry = cache.get(id(node))
        if entry is not None and entry[0] is node:
            value = entry[1]
            break
        pending.append(node)
        node = getattr(node, "__parent__", None)
    for node in reversed(pending):
        value = here(node, value)
        # Keyed by id(), holding the object too: an id is only unique while
        # its object lives, and the entry keeps it alive for the request.
        cache[id(node)] = (node, value)
    return value


def _extend_chain(node, chain: tuple) -> tuple:
    """Return `chain` with `node`'s role map added, if it carries one."""
    role_map = getattr(node, ROLE_MAP_ATTRIBUTE, None)
    return chain if role_map is None else chain + (role_map,)


# Bounded: code may ask about any string it likes (`user.has_permission`).
@functools.lru_cache(maxsize=64)
def _permission_roles_here(permission: str):
    """Return the step of inheritance for `permission`: made once per permission.

    The catalog's visibility tokens (security/visibility.py) walk a tree
    with it, a parent's roles to each child's in one step.
    """
    def here(node, from_above: frozenset) -> frozenset:
        """Return the roles given `permission` at `node`, with those from above unless it stops them."""
        role_map = getattr(node, ROLE_MAP_ATTRIBUTE, None)
        if role_map is None:
            return from_above
        setting = role_map.permissions.get(permission)
        if setting is None:
            return from_above
        if not setting.acquire:
            return frozenset(setting.roles)
        return from_above | setting.roles
    return here


class TrustedPolicy(SecurityPolicy):
    """The policy of trusted code (the Python API, the shell): allows everything."""

    def __init__(self, principal: Principal | None = None):
        super().__init__(principal or TRUSTED_CODE)

    def decide(self, permission, obj) -> Decision:
        """Return an allowing decision, whatever is asked."""
        return Decision(True, permission, obj)

    def decide_action(self, action: str, obj) -> Decision:
        """Return an allowing decision, whatever is asked."""
        return Decision(True, None, obj)

    def check_lineage(self, action: str, nodes) -> Decision | None:
        """Return an allowing decision on the last of `nodes` (None for no nodes)."""
        last = None
        for last in nodes:
            pass
        return None if last is None else Decision(True, None, last)
