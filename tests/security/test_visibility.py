"""View tokens: an object and a principal share a token exactly when the policy lets it View.

The property test builds a small tree with two user folders, gives its
objects random permission settings, local roles, blocks and owners of
every kind a record may be, and compares the tokens' answer with
`SecurityPolicy.has_permission(VIEW, obj)` for principals of every kind.
"""

from unittest import mock

from hypothesis import given, settings as hypothesis_settings, strategies as st

from objweb import Folder, Page, UserFolder
from objweb.security import permissions as p
from objweb.security import rolemap, visibility
from objweb.security.ownership import NOBODY
from objweb.security.policy import SecurityPolicy, TrustedPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL, TRUSTED_CODE, Principal
from objweb.traversal.location import path_of

PATHS = ("/", "/a", "/a/page", "/a/b", "/a/b/page", "/a/b/c", "/a/b/c/page", "/other")
OWNERS = (None, NOBODY, ("/acl_users", "ann"), ("/acl_users", "bob"), (None, "bob"), (None, "cy"),
          ("/a/b/acl_users", "cy"), ("/a/b/acl_users", "ann"), "ann", "cy")
PRINCIPAL_IDS = ("ann", "bob", "cy", "staff")
ROLES = p.BUILTIN_ROLES


def build_tree():
    """A tree of folders and pages, a site user folder and one nested in /a/b."""
    with mock.patch("objweb.content.userfolder.hash_password", lambda password: "x" * 20):
        root = Folder()
        root.add("acl_users", UserFolder())
        root["acl_users"].add_group("staff")
        root["acl_users"].add_user("ann", "pw", roles=["Editor"], groups=["staff"])
        root["acl_users"].add_user("bob", "pw")
        root.add("a", Folder())
        root["a"].add("page", Page())
        root["a"].add("b", Folder())
        root["a"]["b"].add("acl_users", UserFolder())
        root["a"]["b"]["acl_users"].add_user("cy", "pw", roles=["Manager"])
        root["a"]["b"]["acl_users"].add_user("ann", "pw")
        root["a"]["b"].add("page", Page())
        root["a"]["b"].add("c", Folder())
        root["a"]["b"]["c"].add("page", Page())
        root.add("other", Folder())
    return root


def at(root, path):
    node = root
    for name in [segment for segment in path.split("/") if segment]:
        node = node[name]
    return node


def principals(root):
    domain = root["a"]["b"]
    return [
        ANONYMOUS_PRINCIPAL, TRUSTED_CODE, Principal(id="bob"), Principal(id="cy"),
        Principal(id="ann", roles=frozenset({"Editor"}), groups=frozenset({"staff"}),
                  user_folder="/acl_users"),
        Principal(id="bob", user_folder="/acl_users"),
        Principal(id="cy", roles=frozenset({"Manager"}), domain=domain,
                  user_folder="/a/b/acl_users"),
        Principal(id="ann", domain=domain, user_folder="/a/b/acl_users"),
    ]


# Most sites let anonymous visitors View: roles without them make the other rules count.
view_roles = st.one_of(st.frozensets(st.sampled_from(ROLES)),
                       st.frozensets(st.sampled_from(("Owner", "Editor", "Manager"))))
changes = st.lists(st.one_of(
    st.tuples(st.just("permission"), st.sampled_from(PATHS), view_roles, st.booleans()),
    st.tuples(st.just("local"), st.sampled_from(PATHS), st.sampled_from(PRINCIPAL_IDS),
              st.frozensets(st.sampled_from(("Owner", "Editor", "Manager")))),
    st.tuples(st.just("block"), st.sampled_from(PATHS), st.booleans()),
    st.tuples(st.just("owner"), st.sampled_from(PATHS), st.sampled_from(OWNERS)),
), max_size=12).map(lambda found: [("permission", "/", frozenset({"Owner"}), False)] + found)


def apply(root, change, permission=p.VIEW):
    kind, path, *rest = change
    node = at(root, path)
    if kind == "permission":
        rolemap.set_permission(node, permission, rest[0], rest[1])
    elif kind == "local":
        rolemap.set_local_roles(node, rest[0], rest[1])
    elif kind == "block":
        rolemap.set_block_local_roles(node, rest[0])
    else:
        node._owner = rest[0]


def every_object(root):
    yield root
    for child in root.values():
        if child.is_container:
            yield from every_object(child)
        else:
            yield child


@hypothesis_settings(max_examples=300, deadline=None)
@given(changes=changes, proxy=st.one_of(st.none(), st.frozensets(st.sampled_from(ROLES))),
       permission=st.sampled_from((p.VIEW, p.VIEW_MANAGEMENT)))
def test_tokens_answer_as_the_policy_does(changes, proxy, permission):
    root = build_tree()
    for change in changes:
        apply(root, change, permission)
    known = {}
    for principal in principals(root):
        policy = SecurityPolicy(principal, proxy_roles=proxy)
        viewer = visibility.viewer_of(policy)
        for obj in every_object(root):
            tokens = visibility.view_state(obj, known, permission).tokens()
            assert visibility.is_visible(tokens, viewer, path_of(obj)) == \
                policy.has_permission(permission, obj), (principal, path_of(obj), tokens)


@hypothesis_settings(max_examples=200, deadline=None)
@given(changes=changes, owner=st.sampled_from(OWNERS))
def test_an_item_without_settings_needs_only_its_container_and_owner(changes, owner):
    root = build_tree()
    for change in changes:
        apply(root, change)
    for path in ("/a/page", "/a/b/page", "/a/b/c/page"):
        page = at(root, path)
        vars(page).pop(rolemap.ROLE_MAP_ATTRIBUTE, None)
        page._owner = owner
        container_state = visibility.view_state(page.__parent__)
        assert container_state.tokens_with_owner(visibility.owner_tokens(page)) == \
            visibility.view_state(page).tokens()


def test_trusted_code_sees_everything():
    assert visibility.viewer_of(TrustedPolicy()) is None


def test_a_nested_users_tokens_count_only_in_its_domain():
    root = build_tree()
    rolemap.set_permission(root, p.VIEW, ["Manager"], False)
    viewer = visibility.viewer_of(SecurityPolicy(principals(root)[6]))
    assert viewer.domain == "/a/b"
    tokens = visibility.view_state(root["other"]).tokens()
    assert tokens == ("r:Manager",)
    assert not visibility.is_visible(tokens, viewer, "/other")
    assert visibility.is_visible(tokens, viewer, "/a/b/c")


def test_states_without_changes_are_shared():
    root = build_tree()
    state = visibility.view_state(root["other"])
    assert visibility.state_below(state, Folder()) is state
    assert visibility.view_state(root) == visibility.TOP


def test_is_below_reads_whole_segments():
    assert visibility.is_below("/a/b", "/a") and visibility.is_below("/a", "/a")
    assert visibility.is_below("/x", "/") and not visibility.is_below("/ab", "/a")


def test_local_roles_given_at_two_levels_add_up():
    root = build_tree()
    rolemap.set_permission(root["a"]["b"], p.VIEW, ["Editor"], False)
    rolemap.set_local_roles(root["a"], "bob", ["Editor"])
    rolemap.set_local_roles(root["a"]["b"], "bob", ["Owner"])
    bob = Principal(id="bob", user_folder="/acl_users")
    tokens = visibility.view_state(root["a"]["b"]["page"]).tokens()
    assert tokens == ("l:bob", "r:Editor")
    assert visibility.is_visible(tokens, visibility.viewer_of(SecurityPolicy(bob)), "/a/b/page")
    assert SecurityPolicy(bob).has_permission(p.VIEW, root["a"]["b"]["page"])


# -- checkpoints: where the walk-through check may start refusing --------------------

class GuardedFolder(Folder):
    """A folder whose contents need View management screens to be walked through."""

    protections = dict(Folder.protections, access=p.VIEW_MANAGEMENT)


@hypothesis_settings(max_examples=300, deadline=None)
@given(changes=changes, proxy=st.one_of(st.none(), st.frozensets(st.sampled_from(ROLES))))
def test_only_a_checkpoint_refuses_access_its_parent_allowed(changes, proxy):
    root = build_tree()
    for change in changes:
        apply(root, change, p.ACCESS_CONTENTS)
    for principal in principals(root):
        policy = SecurityPolicy(principal, proxy_roles=proxy)
        for obj in every_object(root):
            if obj.__parent__ is None or visibility.is_checkpoint(obj):
                continue
            if policy.can("access", obj.__parent__):
                assert policy.can("access", obj), (principal, path_of(obj))


def test_the_root_blocks_and_closed_settings_are_checkpoints():
    root = build_tree()
    assert visibility.is_checkpoint(root)
    assert not visibility.is_checkpoint(root["a"]) and not visibility.is_checkpoint(root["a"]["page"])
    rolemap.set_permission(root["a"], p.ACCESS_CONTENTS, ["Manager"], True)
    rolemap.set_permission(root["a"], p.VIEW, ["Manager"], False)
    assert not visibility.is_checkpoint(root["a"])
    rolemap.set_permission(root["a"], p.ACCESS_CONTENTS, ["Manager"], False)
    assert visibility.is_checkpoint(root["a"])
    rolemap.set_local_roles(root["other"], "ann", ["Editor"])
    assert not visibility.is_checkpoint(root["other"])
    rolemap.set_block_local_roles(root["other"], True)
    assert visibility.is_checkpoint(root["other"])


def test_a_type_guarding_access_otherwise_is_a_checkpoint_and_so_are_its_items():
    root = build_tree()
    guarded = root.add("guarded", GuardedFolder())
    inner = guarded.add("inner", GuardedFolder())
    plain = guarded.add("plain", Folder())
    assert visibility.is_checkpoint(guarded) and visibility.is_checkpoint(plain)
    assert not visibility.is_checkpoint(inner)
    bob = SecurityPolicy(Principal(id="bob", user_folder="/acl_users"))
    assert bob.can("access", root) and not bob.can("access", guarded)
