"""Scripts: parameters, bound names, printed, modules, calls between Scripts and Templates."""

import pytest

from objweb.content import Folder, Script, Template
from objweb.errors import SourceError
from objweb.storage.db import site
from objweb.sandbox import CodeError, CodeLimitError, Limits, RequestView, ResponseView
from objweb.sandbox.scripts import COMPUTED_DEFAULT, REQUIRED, parameters_of
from sandbox_support import policy_for


def test_script_returns_value_with_defaults(run_script):
    assert run_script("return 'Hello %s, %d' % (name, n)", "name='world', n=1") == "Hello world, 1"


def test_script_takes_arguments(run_script):
    result = run_script("return [a, b, c]", "a, b=2, *, c=3", args=(1,), kwargs={"c": 4})
    assert result == [1, 2, 4]


def test_script_binds_context_container_and_script(root, run_script):
    body = "return [context.title, container.title, script.id, traverse_subpath]"
    result = run_script(body, context=root["news"]["hello"], subpath=("a", "b"))
    assert result[0] == "Hello"
    assert result[1] == "Code"
    assert result[2].startswith("c")
    assert result[3] == ["a", "b"]


def test_script_without_context_runs_in_its_container(run_script):
    assert run_script("return context.title") == "Code"


def test_request_is_none_outside_a_request(run_script):
    assert run_script("return request is None") is True


def test_request_view_is_bound(root, run_script):
    class FakeRequest:
        method = "POST"
        url = "http://x/code?q=1"
        path_url = "http://x/code"
        base_url = "http://x"
        headers = {"X-Test": "yes"}

    view = RequestView(FakeRequest(), {"q": "1"}, ResponseView())
    body = "return [request.form['q'], request.method, request.get('q'), request['q']]"
    assert run_script(body, request=view) == ["1", "POST", "1", "1"]


def test_print_collects_into_printed(run_script):
    body = "print('one')\nprint('two', 3, sep='-')\nprint('x', end='')\nreturn printed"
    assert run_script(body) == "one\ntwo-3\nx"


def test_print_counts_as_output(run_script):
    body = "for i in range(100):\n    print('x' * 100)\nreturn printed"
    with pytest.raises(CodeLimitError) as caught:
        run_script(body, limits=Limits(output_limit=5000))
    assert caught.value.kind == "output"


def test_print_refuses_other_files(run_script):
    with pytest.raises(CodeError):
        run_script("print('x', file=context)\nreturn printed")


def test_print_refuses_non_text_separators(run_script):
    with pytest.raises(CodeError):
        run_script("print('x', sep=1)\nreturn printed")


def test_print_accepts_none_separators(run_script):
    assert run_script("print('a', 'b', sep=None, end=None)\nreturn printed") == "a b\n"


def test_loops_conditions_and_functions(run_script):
    body = """
def square(x):
    return x * x
total = 0
for i in range(5):
    if i % 2:
        continue
    total += square(i)
n = 0
while n < 3:
    n += 1
return [total, n, [x for x in range(4) if x > 1], {k: v for k, v in [('a', 1)]}]
"""
    assert run_script(body) == [20, 3, [2, 3], {"a": 1}]


def test_generators_and_lambdas(run_script):
    body = """
def numbers():
    yield 1
    yield from [2, 3]
double = lambda x: x * 2
return list(map(double, numbers()))
"""
    assert run_script(body) == [2, 4, 6]


def test_unpacking_and_star_arguments(run_script):
    body = """
a, (b, c), *rest = [1, (2, 3), 4, 5]
def f(*args, **kw):
    return [args, kw]
return [a, b, c, rest, f(*[1, 2], **{'x': 3}), [*rest, 6], {**{'y': 1}}]
"""
    assert run_script(body) == [1, 2, 3, [4, 5], [(1, 2), {"x": 3}], [4, 5, 6], {"y": 1}]


def test_exceptions_can_be_caught(run_script):
    body = """
try:
    1 / 0
except ZeroDivisionError as error:
    message = str(error)
try:
    context['nothing-here']
except KeyError:
    missing = True
try:
    raise ValueError('x')
except:
    bare = True
finally:
    done = True
return [message, missing, bare, done]
"""
    assert run_script(body) == ["division by zero", True, True, True]


def test_allowed_modules(run_script):
    body = """
import math, random, string, json
from datetime import date, timedelta
return [math.floor(math.pi), random.choice([7]), string.digits, json.dumps({'a': 1}),
        (date(2020, 1, 1) + timedelta(days=1)).isoformat()]
"""
    assert run_script(body) == [3, 7, "0123456789", '{"a": 1}', "2020-01-02"]


@pytest.mark.parametrize("module", ["os", "sys", "subprocess", "socket", "pickle",
                                    "importlib", "ZODB", "objweb", "math.os"])
def test_other_modules_are_refused(run_script, module):
    with pytest.raises(CodeError) as caught:
        run_script(f"import {module}")
    assert isinstance(caught.value.__cause__, ImportError)


def test_importing_builtins_is_refused_at_save(run_script):
    with pytest.raises(SourceError):
        run_script("import builtins")


def test_relative_imports_are_refused(run_script):
    with pytest.raises(CodeError):
        run_script("from . import math")


def test_script_calls_another_script(root, run_script):
    add = Script(params="a, b", body="return a + b")
    root["code"]["add"] = add
    assert run_script("return context.add(2, 3) + container.add(1, 1)") == 7


def test_script_calls_an_acquired_script_in_its_context(root, run_script):
    root["tell"] = Script(body="return context.title")
    assert run_script("return context.tell()", context=root["news"]["hello"]) == "Hello"


def test_script_renders_a_template(root, run_script):
    root["code"]["show"] = Template(source='<b tal:content="options/word">x</b>')
    assert run_script("return context.show(word='hi')") == "<b>hi</b>"


def test_script_changes_content_through_edit(root, run_script):
    run_script("context.edit(title='New title')", context=root["news"])
    assert root["news"].title == "New title"


def test_edit_needs_the_change_permission(root, run_script):
    with pytest.raises(Exception) as caught:
        run_script("context.edit(title='x')", context=root["news"], user="alice")
    assert type(caught.value).__name__ == "Forbidden"
    assert root["news"].title == "News"


def test_edit_of_code_needs_the_code_permission(root, run_script):
    target = Script(body="return 1")
    root["code"]["target"] = target
    with pytest.raises(Exception) as caught:
        run_script("context.target.edit(body='return 2')", user="editor")
    assert type(caught.value).__name__ == "Forbidden"
    assert target.body == "return 1"


def test_edit_refuses_bad_values(root, run_script):
    with pytest.raises(CodeError) as caught:
        run_script("context.edit(title='a\\nb')", context=root["news"])
    assert "single line" in str(caught.value.__cause__)


def test_recursion_is_an_error(run_script):
    with pytest.raises(CodeError) as caught:
        run_script("def f():\n    return f()\nreturn f()")
    assert isinstance(caught.value.__cause__, RecursionError)


def test_endless_loop_is_stopped(run_script):
    with pytest.raises(CodeLimitError) as caught:
        run_script("while True:\n    pass", limits=Limits(time_budget=0.2))
    assert caught.value.kind == "time"
    assert "time budget" in str(caught.value)


def test_calling_a_script_from_python_uses_the_current_principal(root):
    script = Script(body="return context.title")
    root["private"]["peek"] = script
    with pytest.raises(Exception) as caught:
        script()
    assert type(caught.value).__name__ == "Unauthorized"


def test_script_call_in_gives_the_context(root):
    script = Script(params="x", body="return [context.title, x]")
    root["code"]["s"] = script
    assert script.call_in(root["news"], 1) == ["News", 1]


def test_describe_parameters():
    found = parameters_of("a, /, b=1, c=[1, 'x'], *args, d, e=context.title, **kw")
    assert [(p.name, p.default, p.keyword_only, p.positional_only) for p in found] == [
        ("a", REQUIRED, False, True), ("b", 1, False, False), ("c", [1, "x"], False, False),
        ("d", REQUIRED, True, False), ("e", COMPUTED_DEFAULT, True, False)]


def test_script_parameters_property(root):
    script = Script(params="name='world'", body="return name")
    assert [p.name for p in script.parameters] == ["name"]


def test_script_refuses_source_errors_at_save(root):
    with pytest.raises(SourceError) as caught:
        Script(body="x = 1\nreturn (")
    assert caught.value.line == 2
    assert caught.value.field == "body"


def test_script_keeps_old_code_after_a_refused_edit(root):
    script = Script(params="x=1", body="return x")
    root["code"]["keep"] = script
    with pytest.raises(SourceError):
        script.edit(body="return _secret")
    with pytest.raises(SourceError):
        script.edit(params="_x")
    assert (script.params, script.body) == ("x=1", "return x")
    assert script.run(user_policy=policy_for(root, "admin")) == 1


def test_script_recompiles_after_an_edit(root):
    script = Script(body="return 1")
    root["code"]["edited"] = script
    script.edit(body="return 2")
    assert script.run(user_policy=policy_for(root, "admin")) == 2
    script.edit(title="only the title")
    assert script.run(user_policy=policy_for(root, "admin")) == 2


def test_script_recompiles_when_loaded_fresh(root, db):
    script = Script(body="return 3")
    root["code"]["fresh"] = script
    assert script.run(user_policy=policy_for(root, "admin")) == 3
    manager = root._p_jar.transaction_manager
    manager.commit()
    manager.begin()
    # Another connection loads the script from storage, with nothing compiled.
    with site(db) as fresh:
        loaded = fresh["code"]["fresh"]
        assert loaded is not script
        assert loaded.run(user_policy=policy_for(fresh, "admin")) == 3


def test_scripts_in_folders_acquire_at_several_depths(root):
    deep = root["news"]
    for name in ("a", "b", "c"):
        deep[name] = Folder(title=name.upper())
        deep = deep[name]
    root["whoami"] = Script(body="return [context.title, container.title]")
    root["news"]["a"]["where"] = Script(body="return context.whoami()")
    call = Script(body="return context.where()")
    deep["call"] = call
    assert call.run(user_policy=policy_for(root, "admin")) == ["C", "objweb"]


def test_calling_with_wrong_arguments_fails_before_the_body(root):
    script = Script(params="a", body="return a")
    root["code"]["s"] = script
    with pytest.raises(CodeError) as caught:
        script.run(kwargs={"b": 1}, user_policy=policy_for(root, "admin"))
    assert isinstance(caught.value.__cause__, TypeError)
    assert "line" not in caught.value.detail
