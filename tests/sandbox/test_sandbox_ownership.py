"""Executable ownership, proxy roles, and how a run ends."""

import pytest
from ZODB.POSException import ConflictError

from objweb.content import Folder, Script, Template, UserFolder
from objweb.errors import Forbidden, Unauthorized, ValidationError
from objweb.sandbox import CodeError, CodePolicy, active_run, current_run
from objweb.sandbox.run import Location, NoRunError, execute
from objweb.security.principals import Principal, acting_as
from sandbox_support import SECRET, add_code, policy_for

READ_SECRET = "return context.private.secret.body"


def run_as(root, body, *, user, owner, proxy_roles=(), where=None):
    script = add_code(root, Script(body=body), owner=owner, where=where)
    if proxy_roles:
        script.set_proxy_roles(proxy_roles)
    return script.run(root, user_policy=policy_for(root, user))


def test_user_and_owner_both_allowed(root):
    assert run_as(root, READ_SECRET, user="admin", owner="admin") == SECRET


def test_code_can_do_no_more_than_its_owner(root):
    with pytest.raises(Forbidden):
        run_as(root, READ_SECRET, user="admin", owner="alice")


def test_code_can_do_no_more_than_its_user(root):
    with pytest.raises(Forbidden):
        run_as(root, READ_SECRET, user="alice", owner="admin")
    with pytest.raises(Unauthorized):
        run_as(root, READ_SECRET, user=None, owner="admin")


def test_code_made_by_trusted_code_has_no_owner_limit(root):
    assert run_as(root, READ_SECRET, user="admin", owner=None) == SECRET


def test_an_owner_no_longer_known_is_nobody(root):
    assert run_as(root, "return context.news.title", user="admin", owner="ghost") == "News"
    with pytest.raises(Forbidden):
        run_as(root, READ_SECRET, user="admin", owner="ghost")


def test_an_owner_counts_only_inside_the_user_folder_that_knows_them(root):
    root["sub"] = Folder(title="Sub")
    root["sub"]["acl_users"] = UserFolder()
    root["sub"]["acl_users"].add_user("local", "pw-local", roles=["Manager"])
    assert run_as(root, "return context.sub.title", user="admin", owner="local",
                  where=root["sub"]) == "Sub"
    with pytest.raises(Forbidden):
        run_as(root, READ_SECRET, user="admin", owner="local", where=root["sub"])


def test_proxy_roles_replace_the_users_roles(root):
    assert run_as(root, READ_SECRET, user=None, owner="admin", proxy_roles=["Manager"]) == SECRET
    assert run_as(root, READ_SECRET, user="alice", owner=None, proxy_roles=["Manager"]) == SECRET


def test_proxy_roles_never_pass_the_owners_limit(root):
    with pytest.raises(Unauthorized):
        run_as(root, READ_SECRET, user=None, owner="alice", proxy_roles=["Manager"])


def test_proxy_roles_can_lower_rights(root):
    with pytest.raises(Forbidden):
        run_as(root, READ_SECRET, user="admin", owner=None, proxy_roles=["Editor"])


def test_called_code_runs_with_its_own_owner_and_proxy_roles(root):
    inner = Script(body=READ_SECRET)
    root["inner"] = inner
    with pytest.raises(Unauthorized):
        run_as(root, "return context.inner()", user=None, owner=None, proxy_roles=["Manager"])
    inner.set_proxy_roles(["Manager"])
    assert run_as(root, "return context.inner()", user=None, owner=None) == SECRET


def test_calling_code_needs_view_on_it(root):
    root["private"]["hidden"] = Script(body="return 1")
    with pytest.raises(Forbidden):
        run_as(root, "return context.private.hidden()", user="alice", owner=None,
               proxy_roles=[])
    with pytest.raises(Forbidden):
        run_as(root, "return context.private['hidden']", user="alice", owner=None)


def test_templates_have_executable_ownership_too(root):
    template = add_code(root, Template(source='<p tal:content="context/private/secret/body"/>'),
                        owner="alice")
    with pytest.raises(Forbidden):
        template.render(root, user_policy=policy_for(root, "admin"))
    template.owner = "admin"
    assert template.render(root, user_policy=policy_for(root, "admin")) == f"<p>{SECRET}</p>"


def test_set_proxy_roles_checks_the_giver(root):
    script = add_code(root, Script(body="return 1"))
    script.set_proxy_roles(["Manager"], granted_by=policy_for(root, "admin"))
    assert script.proxy_roles == ("Manager",)
    with pytest.raises(ValidationError) as caught:
        script.set_proxy_roles(["Editor"], granted_by=policy_for(root, "admin"))
    assert "Editor" in str(caught.value)
    with pytest.raises(ValidationError):
        script.set_proxy_roles(["Manager"], granted_by=policy_for(root, "editor"))
    assert script.proxy_roles == ("Manager",)
    script.set_proxy_roles([], granted_by=policy_for(root, "editor"))
    assert script.proxy_roles == ()


@pytest.mark.parametrize("roles", ["Manager", ["Wizard"], ["Anonymous"], ["Authenticated"], [1]])
def test_set_proxy_roles_refusals(root, roles):
    script = add_code(root, Script(body="return 1"))
    with pytest.raises(ValidationError):
        script.set_proxy_roles(roles)
    assert script.proxy_roles == ()


def test_code_policy_decisions(root):
    user = policy_for(root, "admin")
    owner = policy_for(root, "alice")
    policy = CodePolicy(user, owner)
    assert policy.principal.id == "admin"
    assert policy.decide("View", root["news"]).allowed
    assert not policy.decide("View", root["private"]).allowed
    assert not policy.can("view", root["private"])
    assert not CodePolicy(policy_for(root, "alice")).decide("View", root["private"])
    with pytest.raises(Forbidden):
        policy.check_permission("View", root["private"])
    assert CodePolicy(user).check_permission("View", root["private"]).allowed


def test_code_policies_narrowed_allow_what_all_their_limits_allow(root):
    admin, alice = policy_for(root, "admin"), policy_for(root, "alice")
    both = CodePolicy(admin).narrowed(CodePolicy(admin, alice))
    assert both.user is admin and both.owners == (alice,)
    assert not both.decide("View", root["private"]) and not both.can("view", root["private"])
    assert both.decide("View", root["news"]) and both.can("view", root["news"])
    same = CodePolicy(admin, alice)
    assert same.narrowed(CodePolicy(admin)) is same
    three = CodePolicy(admin, alice, admin)
    assert three.decide("View", root["private"]).principal_id == "alice"
    assert three.decide_action("view", root["private"]).principal_id == "alice"


def test_code_made_by_code_is_called_only_inside_a_run(root, within):
    from objweb.sandbox.functions import owned
    function = within(lambda run: owned(lambda: 1))
    with pytest.raises(NoRunError):
        function()


def test_no_run_outside_code():
    assert active_run() is None
    with pytest.raises(NoRunError):
        current_run()


def test_run_from_python_acts_for_the_current_principal(root):
    script = add_code(root, Script(body="return context.private.secret.body"))
    with acting_as(Principal(id="admin", roles=frozenset({"Manager"}))):
        assert script.run(root) == SECRET
    script.owner = None
    with pytest.raises(Unauthorized):
        script.run(root)


def test_conflicts_and_interruptions_pass_through(root):
    script = add_code(root, Script(body="return 1"))

    def conflict(run):
        raise ConflictError()

    def interrupt(run):
        raise SystemExit(3)

    with pytest.raises(ConflictError):
        execute(script, conflict)
    with pytest.raises(SystemExit):
        execute(script, interrupt)


def test_failure_without_a_location_names_the_code(root):
    script = add_code(root, Script(body="return 1"))

    def fail(run):
        raise ValueError("plain")

    with pytest.raises(CodeError) as caught:
        execute(script, fail, user_policy=policy_for(root, "admin"))
    assert caught.value.detail == f"ValueError: plain\nScript at /code/{script.__name__}"


def test_location_descriptions():
    assert Location("/x", "Script", None).describe() == "Script /x"
    text = Location("/x", "Template", 2, 5, "a\nb\nc").describe()
    assert text.splitlines() == ["Template /x, line 2, column 5", "     1 | a", ">    2 | b",
                                 "     3 | c"]


def test_guards_use_the_innermost_run(root, run_script):
    root["who"] = Script(body="return context.private.title")
    with pytest.raises(Forbidden):
        run_script("return context.who()", user="alice", context=root)


def test_owner_policies_are_reused_within_a_request(root):
    root["helper"] = Script(body="return context.news.title")
    root["helper"].owner = "editor"
    assert run_as(root, "return [context.helper(), context.helper()]", user="admin",
                  owner="editor") == ["News", "News"]


def test_a_location_shows_two_lines_either_side_and_no_unknown_column():
    source = "\n".join(f"line {number}" for number in range(1, 9))
    assert Location("/x", "Script", 5, None, source).describe().splitlines() == [
        "Script /x, line 5", "     3 | line 3", "     4 | line 4", ">    5 | line 5",
        "     6 | line 6", "     7 | line 7"]
