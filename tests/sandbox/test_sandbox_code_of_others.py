"""Code one owner hands to code of another runs with the rights of both owners.

A macro of another Template, the slots a Template fills in it, and every
function, lambda and generator code makes stay code of their maker: called
by code of another owner, they act with the rights of the user, their own
owner and the caller's owner together. `/shadow/private/secret` is for
Managers only: `admin` may read it, `editor` may not.
"""

import pytest

from objweb.content import Folder, Page, Script, Template
from objweb.errors import Forbidden
from objweb.sandbox.functions import owned_generator
from objweb.security.permissions import ACCESS_CONTENTS, MANAGER, VIEW
from sandbox_support import SECRET, policy_for

READ = "context.private.secret.body"


def add(where, name, obj, owner):
    where[name] = obj
    obj.owner = owner
    return obj


@pytest.fixture
def shadow(root):
    """`/shadow`, holding a Managers-only folder, where the Editor may write code."""
    root["shadow"] = Folder(title="Shadow")
    private = root["shadow"]["private"] = Folder(title="Private")
    private.manage_permission(VIEW, [MANAGER], acquire=False)
    private.manage_permission(ACCESS_CONTENTS, [MANAGER], acquire=False)
    private["secret"] = Page(title="Secret", body=SECRET)
    return root["shadow"]


def as_admin(code, context, **options):
    if isinstance(code, Template):
        return code.render(context, user_policy=policy_for(context, "admin"), **options)
    return code.run(context, user_policy=policy_for(context, "admin"), **options)


def test_finding_08_a_macro_runs_with_its_own_owners_rights(root, shadow):
    add(root, "layout", Template(source=(
        f'<html metal:define-macro="page"><p tal:content="python: {READ}"/></html>')), "admin")
    view = add(root, "view", Template(source=(
        '<html metal:use-macro="context/layout/macros/page"/>')), "admin")
    assert as_admin(view, shadow) == f"<html><p>{SECRET}</p></html>"
    # The Editor shadows the layout the Manager's view acquires: reached through
    # /shadow, the view now uses the Editor's macro, which gets the Editor's rights.
    add(shadow, "layout", Template(source=(
        f'<html metal:define-macro="page"><p tal:content="python: {READ}"/></html>')), "editor")
    with pytest.raises(Forbidden):
        as_admin(view, shadow)


def test_slots_filled_in_another_owners_macro_get_the_rights_of_both(root, shadow):
    add(shadow, "layout", Template(source=(
        '<html metal:define-macro="page"><body metal:define-slot="main"/></html>')), "editor")
    view = add(root, "view", Template(source=(
        '<html metal:use-macro="context/layout/macros/page"><body metal:fill-slot="main">'
        f'<p tal:content="python: {READ}"/></body></html>')), "admin")
    with pytest.raises(Forbidden):
        as_admin(view, shadow)
    shadow["layout"].owner = "admin"
    assert as_admin(view, shadow) == f"<html><body><p>{SECRET}</p></body></html>"


def test_a_macro_of_the_same_owner_keeps_the_users_rights(root, shadow):
    add(root, "layout", Template(source=(
        '<html metal:define-macro="page"><body metal:define-slot="main"/></html>')), "admin")
    view = add(root, "view", Template(source=(
        '<html metal:use-macro="context/layout/macros/page"><body metal:fill-slot="main">'
        f'<p tal:content="python: {READ}"/></body></html>')), "admin")
    assert as_admin(view, shadow) == f"<html><body><p>{SECRET}</p></body></html>"


def test_a_lambda_a_macro_leaves_behind_keeps_its_makers_rights(root, shadow):
    add(shadow, "layout", Template(source=(
        '<div metal:define-macro="page" '
        f'tal:define="global reader python: (lambda: {READ})">layout</div>')), "editor")
    view = add(root, "view", Template(source=(
        '<div metal:use-macro="context/layout/macros/page"/>'
        '<p tal:content="python: reader()"/>')), "admin")
    with pytest.raises(Forbidden):
        as_admin(view, shadow)


@pytest.mark.parametrize("made", [
    f"return lambda: {READ}",
    f"def reader():\n    return {READ}\nreturn reader",
    f"def reader():\n    yield {READ}\nreturn reader()",
    f"return ({READ} for n in [1])",
    f"return map(lambda n: {READ}, [1])",
])
def test_code_another_script_made_keeps_its_makers_rights(root, shadow, made):
    add(shadow, "maker", Script(body=made), "editor")
    caller = add(root, "caller", Script(body=(
        "made = context.maker()\nreturn list(made) if not callable(made) else made()")), "admin")
    with pytest.raises(Forbidden):
        as_admin(caller, shadow)
    shadow["maker"].owner = "admin"
    result = as_admin(caller, shadow)
    assert result in (SECRET, [SECRET])


def test_code_handed_to_another_owners_script_gets_no_more_than_that_script(root, shadow):
    add(shadow, "apply", Script(params="function", body="return function()"), "editor")
    caller = add(root, "caller", Script(body=f"return context.apply(lambda: {READ})"), "admin")
    with pytest.raises(Forbidden):
        as_admin(caller, shadow)


def test_functions_of_one_run_keep_working_as_python_functions(run_script):
    body = """
def countdown(n):
    return [n] + countdown(n - 1) if n else []
def numbers():
    yield 1
    yield from [2, 3]
    return 'done'
squares = (n * n for n in range(4))
return [countdown(3), list(numbers()), sum(squares), (lambda *a, **k: [a, k])(1, b=2)]
"""
    assert run_script(body) == [[3, 2, 1], [1, 2, 3], 14, [(1,), {"b": 2}]]


def test_bound_generators_pass_on_sends_throws_and_closes(within):
    received = []

    def echo():
        try:
            while True:
                received.append((yield len(received)))
        except ValueError:
            yield "thrown"
        finally:
            received.append("closed")

    def drive(run):
        generator = owned_generator(run, echo())
        steps = [next(generator), generator.send("a"), generator.throw(ValueError("x"))]
        generator.close()
        return steps

    assert within(drive) == [0, 1, "thrown"]
    assert received == ["a", "closed"]


def test_a_bound_generator_returns_its_value(within):
    def answer():
        yield 1
        return 42

    def drive(run):
        generator = owned_generator(run, answer())
        next(generator)
        with pytest.raises(StopIteration) as stop:
            next(generator)
        return stop.value.value

    assert within(drive) == 42


def test_a_bound_generator_closed_outside_any_run_raises_nothing(within):
    def numbers():
        yield 1
        yield 2

    generator = within(lambda run: owned_generator(run, numbers()))
    assert within(lambda run: next(generator)) == 1
    # As the garbage collector does, after the request: the generator's own code
    # is not run as the request's code any more.
    generator.close()
    assert list(generator) == []


def test_code_of_two_other_owners_in_one_run_gets_each_owners_rights(root):
    staff = root["staff"] = Folder(title="Staff")
    staff.manage_permission(VIEW, [MANAGER, "Editor"], acquire=False)
    staff.manage_permission(ACCESS_CONTENTS, [MANAGER, "Editor"], acquire=False)
    staff["note"] = Page(title="Note", body="for staff")
    add(root, "reads", Script(body="return context.staff.note.body"), "alice")
    calls = add(root, "calls", Script(body="return context.reads()"), "editor")
    with pytest.raises(Forbidden):
        as_admin(calls, root)
    assert as_admin(add(root, "editor_reads", Script(body="return context.staff.note.body"),
                        "editor"), root) == "for staff"


def test_code_calls_only_code_it_may_view(root):
    hidden = add(root, "hidden", Script(body="return 'ran'"), "admin")
    hidden.manage_permission(VIEW, [MANAGER], acquire=False)
    calls = add(root, "calls", Script(body="return context.hidden()"), "editor")
    with pytest.raises(Forbidden):
        as_admin(calls, root)
