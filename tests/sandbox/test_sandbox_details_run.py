"""A run's rights in detail: a macro used across three principals keeps every limit.

The user is a Manager; the Template using the macro and the Template defining
it belong to two other owners. Editing a Page needs a right the Editor has and
alice has not.
"""

import pytest

from objweb.content import Script, Template
from objweb.errors import Forbidden
from objweb.sandbox import CodeError, CodeLimitError, Limits
from objweb.sandbox.run import NoRunError, current_budget, current_run
from sandbox_support import add_code, ends_within

EDITING_MACRO = ('<p metal:define-macro="m" '
                 'tal:define="x python: context.news.hello.edit(title=\'Changed\')" '
                 'tal:content="context/news/hello/title"/>')


@pytest.mark.parametrize("user_of_the_macro", ["alice", "editor"])
def test_a_macro_runs_with_the_rights_of_the_owner_using_it_too(root, render, user_of_the_macro):
    layout = add_code(root, Template(source=EDITING_MACRO), owner="editor")
    source = f'<div metal:use-macro="context/code/{layout.__name__}/macros/m"/>'
    if user_of_the_macro == "editor":
        assert render(source, owner="editor", context=root) == "<p>Changed</p>"
        return
    with pytest.raises(Forbidden):
        render(source, owner="alice", context=root)
    assert root["news"]["hello"].title == "Hello"


def test_a_generator_function_code_made_gets_its_keyword_arguments(run_script):
    assert run_script("def g(a, b=1):\n    yield a + b\nreturn list(g(1, b=2))") == [3]


def test_a_function_code_made_gets_its_keyword_arguments_in_another_run(root, run_script):
    maker = add_code(root, Script(body="return lambda a, b=1: a + b"), owner="editor")
    assert run_script(f"return context.{maker.__name__}()(1, b=2)", context=root["code"]) == 3


def test_a_function_code_made_failing_in_another_run_names_its_maker_and_line(root, run_script):
    maker = add_code(root, Script(body="def f(x):\n    return 1 / x\nreturn f"), owner="editor")
    with pytest.raises(CodeError) as caught:
        run_script(f"return context.{maker.__name__}()(0)", context=root["code"])
    assert caught.value.detail.splitlines()[:2] == [
        "ZeroDivisionError: division by zero", f"Script /code/{maker.__name__}, line 2"]


def test_code_made_by_code_says_where_it_may_run(run_script):
    made = run_script("return lambda: 1")
    with pytest.raises(NoRunError) as caught:
        made()
    assert str(caught.value) == "restricted code runs only inside a Script or Template call"


@pytest.mark.parametrize("reach", [current_budget, current_run])
def test_the_run_outside_a_run_says_where_code_may_run(reach):
    with pytest.raises(NoRunError) as caught:
        reach()
    assert str(caught.value) == "restricted code runs only inside a Script or Template call"


@pytest.mark.parametrize("body, expected", [
    ("[a, b] = [1, 2]\nreturn a + b", 3),
    ("for [a, b] in [[1, 2]]:\n    pass\nreturn a + b", 3),
])
def test_lists_as_targets_unpack(run_script, body, expected):
    assert run_script(body) == expected


def test_a_function_that_only_calls_itself_still_meets_the_time_budget(run_script):
    # Two calls a level: never too deep for Python, endless for the budget to stop.
    with ends_within(20, "a function that only calls itself"), \
            pytest.raises(CodeLimitError) as caught:
        run_script("def f(n):\n    return f(n - 1) or f(n - 1) if n else 0\nreturn f(60)",
                   limits=Limits(time_budget=0.05))
    assert caught.value.kind == "time"


def test_a_loop_that_only_continues_still_meets_the_time_budget(run_script):
    with ends_within(20, "a loop that only continues"), \
            pytest.raises(CodeLimitError) as caught:
        run_script("while True:\n    continue", limits=Limits(time_budget=0.05))
    assert caught.value.kind == "time"
