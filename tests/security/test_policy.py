"""The security policy: roles on an object, roles of a permission, decisions and refusals."""

import pytest

from objweb import Folder, Page
from objweb.errors import Forbidden, Unauthorized
from objweb.security import permissions as p
from objweb.security import protections
from objweb.security.policy import Decision, SecurityPolicy, TrustedPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL, Principal
from objweb.security.rolemap import define_role, set_block_local_roles, set_local_roles

ALICE = Principal(id="alice", roles=frozenset({"Editor"}), groups=frozenset({"staff"}))
BOB = Principal(id="bob")


@pytest.fixture
def tree():
    root = Folder()
    root.add("news", Folder())
    root["news"].add("hello", Page())
    root.add("other", Folder())
    return root


def test_anonymous_holds_only_anonymous(tree):
    policy = SecurityPolicy(ANONYMOUS_PRINCIPAL)
    set_local_roles(tree, "alice", ["Manager"])
    assert policy.roles_in(tree["news"]) == {"Anonymous"}


def test_a_user_holds_its_roles_everywhere(tree):
    assert SecurityPolicy(ALICE).roles_in(tree["news"]["hello"]) == {
        "Anonymous", "Authenticated", "Editor"}


def test_local_roles_are_inherited_down_the_tree(tree):
    set_local_roles(tree["news"], "bob", ["Editor"])
    policy = SecurityPolicy(BOB)
    assert "Editor" in policy.roles_in(tree["news"]["hello"])
    assert "Editor" in policy.roles_in(tree["news"])
    assert "Editor" not in policy.roles_in(tree)
    assert "Editor" not in policy.roles_in(tree["other"])


def test_group_local_roles_reach_members(tree):
    set_local_roles(tree["news"], "staff", ["Manager"])
    assert "Manager" in SecurityPolicy(ALICE).roles_in(tree["news"]["hello"])
    assert "Manager" not in SecurityPolicy(BOB).roles_in(tree["news"]["hello"])


def test_ownership_gives_the_owner_role_below(tree):
    tree["news"].change_owner("bob")
    policy = SecurityPolicy(BOB)
    assert "Owner" in policy.roles_in(tree["news"])
    assert "Owner" in policy.roles_in(tree["news"]["hello"])
    assert "Owner" not in policy.roles_in(tree["other"])


def test_blocking_stops_local_roles_and_ownership_from_above(tree):
    set_local_roles(tree, "bob", ["Editor"])
    tree.change_owner("bob")
    set_local_roles(tree["news"], "alice", ["Manager"])
    set_block_local_roles(tree["news"], True)
    bob, alice = SecurityPolicy(BOB), SecurityPolicy(ALICE)
    assert bob.roles_in(tree["news"]["hello"]) == {"Anonymous", "Authenticated"}
    assert "Manager" in alice.roles_in(tree["news"]["hello"])
    assert {"Editor", "Owner"} <= bob.roles_in(tree["other"])


def test_a_user_of_a_nested_folder_is_anonymous_outside_it(tree):
    nested = Principal(id="carol", roles=frozenset({"Manager"}), domain=tree["news"])
    policy = SecurityPolicy(nested)
    assert "Manager" in policy.roles_in(tree["news"]["hello"])
    assert policy.roles_in(tree["other"]) == {"Anonymous"}
    assert policy.roles_in(tree) == {"Anonymous"}


def test_proxy_roles_replace_the_users_roles(tree):
    set_local_roles(tree, "alice", ["Manager"])
    policy = SecurityPolicy(ALICE, proxy_roles=frozenset({"Owner"}))
    assert policy.roles_in(tree["news"]) == {"Anonymous", "Owner"}


def test_default_roles_of_permissions(tree):
    policy = SecurityPolicy(ANONYMOUS_PRINCIPAL)
    assert policy.roles_of_permission(p.VIEW, tree) == {"Anonymous", "Manager"}
    assert policy.roles_of_permission(p.CHANGE_OBJECTS, tree) == {"Editor", "Owner", "Manager"}
    assert policy.roles_of_permission(p.MANAGE_USERS, tree) == {"Manager"}
    assert policy.roles_of_permission(p.UNDO_CHANGES, tree) == {"Owner", "Manager"}
    assert policy.roles_of_permission("No such permission", tree) == frozenset()


def test_acquire_adds_the_parents_roles_and_no_acquire_stops(tree):
    tree.manage_permission(p.VIEW, ["Editor"], acquire=True)
    tree["news"].manage_permission(p.VIEW, ["Owner"], acquire=False)
    tree["news"]["hello"].manage_permission(p.VIEW, ["Authenticated"], acquire=True)
    policy = SecurityPolicy(ANONYMOUS_PRINCIPAL)
    assert policy.roles_of_permission(p.VIEW, tree) == {"Editor", "Anonymous", "Manager"}
    assert policy.roles_of_permission(p.VIEW, tree["news"]) == {"Owner"}
    assert policy.roles_of_permission(p.VIEW, tree["news"]["hello"]) == {"Authenticated", "Owner"}


def test_settings_of_other_permissions_do_not_interfere(tree):
    tree["news"].manage_permission(p.CHANGE_OBJECTS, ["Manager"], acquire=False)
    policy = SecurityPolicy(ANONYMOUS_PRINCIPAL)
    assert policy.roles_of_permission(p.VIEW, tree["news"]) == {"Anonymous", "Manager"}


def test_decide_explains_itself(tree):
    tree["news"].manage_permission(p.VIEW, ["Manager"], acquire=False)
    decision = SecurityPolicy(BOB).decide(p.VIEW, tree["news"])
    assert not decision
    assert decision.permission == p.VIEW
    assert decision.path == "/news"
    assert decision.needed_roles == {"Manager"}
    assert decision.held_roles == {"Anonymous", "Authenticated"}
    assert repr(decision) == f"<Decision {decision.explain()}>"
    assert decision.explain() == ("denied: bob on /news needs 'View' (roles ['Manager']), "
                                  "holds ['Anonymous', 'Authenticated']")


def test_decide_without_a_permission_allows(tree):
    decision = SecurityPolicy(ANONYMOUS_PRINCIPAL).decide(None, tree)
    assert decision
    assert decision.explain() == "allowed: Anonymous on / (no permission declared for the action)"


def test_has_permission_and_can(tree):
    policy = SecurityPolicy(ALICE)
    assert policy.has_permission(p.CHANGE_OBJECTS, tree["news"])
    assert not policy.has_permission(p.MANAGE_USERS, tree["news"])
    assert policy.can(protections.ADD, tree["news"])
    assert not policy.can(protections.CHANGE_PERMISSIONS, tree["news"])


def test_an_undeclared_action_is_refused_even_to_managers(tree):
    manager = Principal(id="admin", roles=frozenset({"Manager"}))
    decision = SecurityPolicy(manager).decide_action("frobnicate", tree["news"]["hello"])
    assert not decision
    assert decision.permission is None
    assert "Manager" in decision.held_roles
    with pytest.raises(Forbidden):
        SecurityPolicy(manager).check(protections.ADD, tree["news"]["hello"])


def test_check_raises_unauthorized_for_anonymous(tree):
    with pytest.raises(Unauthorized) as caught:
        SecurityPolicy(ANONYMOUS_PRINCIPAL).check(protections.CHANGE, tree["news"])
    assert caught.value.decision.permission == p.CHANGE_OBJECTS


def test_check_raises_forbidden_for_users(tree):
    with pytest.raises(Forbidden) as caught:
        SecurityPolicy(BOB).check_permission(p.CHANGE_OBJECTS, tree["news"])
    assert "not allowed" in str(caught.value)
    assert not caught.value.decision


def test_check_says_the_code_is_refused_under_proxy_roles(tree):
    policy = SecurityPolicy(ALICE, proxy_roles=frozenset())
    with pytest.raises(Forbidden, match="code running"):
        policy.check(protections.CHANGE, tree["news"])


def test_anonymous_code_under_proxy_roles_must_log_in(tree):
    policy = SecurityPolicy(ANONYMOUS_PRINCIPAL, proxy_roles=frozenset())
    with pytest.raises(Unauthorized):
        policy.check(protections.CHANGE, tree["news"])


def test_check_returns_the_allowing_decision(tree):
    decision = SecurityPolicy(ALICE).check(protections.CHANGE, tree["news"])
    assert isinstance(decision, Decision)
    assert decision.allowed


def test_defined_roles_can_hold_permissions(tree):
    define_role(tree["news"], "Reviewer")
    tree["news"].manage_permission(p.CHANGE_OBJECTS, ["Reviewer"], acquire=False)
    set_local_roles(tree["news"], "bob", ["Reviewer"])
    policy = SecurityPolicy(BOB)
    assert policy.has_permission(p.CHANGE_OBJECTS, tree["news"]["hello"])
    assert not policy.has_permission(p.CHANGE_OBJECTS, tree["other"])


def test_answers_are_cached_for_the_policys_lifetime(tree):
    policy = SecurityPolicy(BOB)
    assert not policy.has_permission(p.CHANGE_OBJECTS, tree["news"])
    set_local_roles(tree["news"], "bob", ["Editor"])
    tree["news"].manage_permission(p.CHANGE_OBJECTS, ["Editor"], acquire=False)
    assert not policy.has_permission(p.CHANGE_OBJECTS, tree["news"])
    assert SecurityPolicy(BOB).has_permission(p.CHANGE_OBJECTS, tree["news"])
    policy.forget()
    assert policy.has_permission(p.CHANGE_OBJECTS, tree["news"])


def test_answers_follow_each_object_while_objects_come_and_go():
    # The policy remembers answers by id(); CPython gives a freed object's id
    # to the next object made, so a policy that forgot to keep the object it
    # answered about would hand a new object a dead one's roles.
    policy = SecurityPolicy(BOB)
    for index in range(20):
        page = Page()
        owned = index % 2 == 0
        if owned:
            page.change_owner("bob")
        assert ("Owner" in policy.roles_in(page)) is owned, index
        assert policy.has_permission(p.CHANGE_OBJECTS, page) is owned, index
        del page


def test_a_dead_objects_settings_chain_is_never_taken_for_a_new_ones():
    # Settings chains are kept by id() too: a new object in a dead one's place
    # must be judged by its own settings.
    policy = SecurityPolicy(BOB)
    for index in range(20):
        page = Page()
        opened = index % 2 == 0
        if opened:
            page.manage_permission(p.CHANGE_OBJECTS, ["Authenticated"], acquire=False)
        assert policy.has_permission(p.CHANGE_OBJECTS, page) is opened, index
        del page


def test_trusted_policy_allows_everything(tree):
    policy = TrustedPolicy()
    assert policy.principal.id is None
    assert policy.has_permission(p.MANAGE_USERS, tree)
    assert policy.can("frobnicate", tree)
    assert policy.check(protections.CHANGE_PERMISSIONS, tree).allowed
    assert TrustedPolicy(BOB).principal is BOB


def test_trusted_policy_walks_through_everything(tree):
    tree["news"].manage_permission(p.ACCESS_CONTENTS, [], acquire=False)
    tree["news"].add("page", Page())
    walk = [tree, tree["news"], tree["news"]["page"]]
    with pytest.raises(Unauthorized):
        SecurityPolicy(ANONYMOUS_PRINCIPAL).check_lineage(protections.ACCESS, walk)
    decision = TrustedPolicy().check_lineage(protections.ACCESS, walk)
    assert decision.allowed and decision.path == "/news/page"
    assert TrustedPolicy().check_lineage(protections.ACCESS, []) is None


def _deep(tree):
    """Return the line of objects from the root down to a page three folders deep."""
    tree["news"].add("a", Folder())
    tree["news"]["a"].add("b", Folder())
    tree["news"]["a"]["b"].add("page", Page())
    news = tree["news"]
    return [tree, news, news["a"], news["a"]["b"], news["a"]["b"]["page"]]


@pytest.mark.parametrize("principal", [ANONYMOUS_PRINCIPAL, BOB, ALICE])
def test_check_lineage_allows_what_check_allows(tree, principal):
    line = _deep(tree)
    policy = SecurityPolicy(principal)
    decision = policy.check_lineage(protections.ACCESS, line)
    expected = SecurityPolicy(principal).check(protections.ACCESS, line[-1])
    assert (decision.allowed, decision.path, decision.permission, decision.needed_roles,
            decision.held_roles) == (True, "/news/a/b/page", expected.permission,
                                     expected.needed_roles, expected.held_roles)
    # What the walk learned on the way is what a fresh policy finds for each node.
    assert [policy.roles_of_permission(p.ACCESS_CONTENTS, node) for node in line] == \
        [SecurityPolicy(principal).roles_of_permission(p.ACCESS_CONTENTS, node) for node in line]


def test_check_lineage_of_no_nodes_decides_nothing():
    assert SecurityPolicy(BOB).check_lineage(protections.ACCESS, []) is None


@pytest.mark.parametrize("principal,refusal", [(ANONYMOUS_PRINCIPAL, Unauthorized),
                                               (BOB, Forbidden)])
def test_check_lineage_refuses_at_the_first_node_check_refuses(tree, principal, refusal):
    line = _deep(tree)
    line[2].manage_permission(p.ACCESS_CONTENTS, ["Manager"], acquire=False)
    with pytest.raises(refusal) as caught:
        SecurityPolicy(principal).check_lineage(protections.ACCESS, line)
    assert caught.value.decision.path == "/news/a"
    assert caught.value.decision.needed_roles == {"Manager"}


def test_check_lineage_sees_local_roles_given_on_the_way(tree):
    line = _deep(tree)
    line[3].manage_permission(p.CHANGE_OBJECTS, ["Editor"], acquire=False)
    set_local_roles(line[2], "bob", ["Editor"])
    decision = SecurityPolicy(BOB).check_lineage(protections.CHANGE, line[2:])
    assert decision.allowed and decision.path == "/news/a/b/page"
    assert "Editor" in decision.held_roles
    line[3].manage_permission(p.CHANGE_OBJECTS, ["Manager"], acquire=False)
    with pytest.raises(Forbidden) as caught:
        SecurityPolicy(BOB).check_lineage(protections.CHANGE, line[2:])
    assert caught.value.decision.path == "/news/a/b"


def test_check_lineage_checks_nodes_out_of_line_one_by_one(tree):
    line = _deep(tree)
    tree["other"].manage_permission(p.ACCESS_CONTENTS, ["Manager"], acquire=False)
    with pytest.raises(Unauthorized) as caught:
        SecurityPolicy(ANONYMOUS_PRINCIPAL).check_lineage(protections.ACCESS,
                                                          line[:2] + [tree["other"]])
    assert caught.value.decision.path == "/other"


def test_check_lineage_of_an_undeclared_action_refuses(tree):
    with pytest.raises(Forbidden):
        SecurityPolicy(BOB).check_lineage("frobnicate", _deep(tree))


def test_check_lineage_of_a_public_action_allows(tree):
    line = _deep(tree)
    line[2].manage_permission(p.ACCESS_CONTENTS, ["Manager"], acquire=False)
    decision = SecurityPolicy(ANONYMOUS_PRINCIPAL).check_lineage(protections.PUBLIC, line)
    assert decision.allowed and decision.permission is None
    assert decision.path == "/news/a/b/page"


def test_check_lineage_refuses_below_a_block_what_check_refuses(tree):
    # Bob reaches the root's contents through a local role, which /news blocks:
    # /news inherits the root's setting, and the walk must see it there too.
    tree.manage_permission(p.ACCESS_CONTENTS, ["Editor"], acquire=False)
    set_local_roles(tree, "bob", ["Editor"])
    set_block_local_roles(tree["news"], True)
    line = [tree, tree["news"], tree["news"]["hello"]]
    with pytest.raises(Forbidden):
        SecurityPolicy(BOB).check(protections.ACCESS, tree["news"])
    with pytest.raises(Forbidden):
        SecurityPolicy(BOB).check_lineage(protections.ACCESS, line)
