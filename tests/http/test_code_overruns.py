"""A run stopped by its budget stays stopped: no handler in the code keeps its changes.

Python lets `return`, `break` and `continue` inside `finally` drop the exception
under way, and a generator's `finally` runs when it is closed. Whatever the code
does after its budget stopped it, the request answers 503 and nothing it changed
is kept.
"""

import pytest
from webtest import TestApp

import objweb
from objweb import Script, Template
from objweb import Settings
from sandbox_support import base_storage, db  # noqa: F401 (fixtures: users made once)
from support import ADMIN_AUTH



def spin(depth: int) -> str:
    """An endless loop, its first line indented `depth` levels (the line itself is not)."""
    return "while True:\n" + "    " * (depth + 1) + "pass"


@pytest.fixture
def quick(db):
    return TestApp(objweb.make_app(db, Settings(code_time_budget=0.3)))


def add(db, name, obj):
    with objweb.site(db, user="admin") as root:
        root[name] = obj


def title_of_root(db) -> str:
    with objweb.site(db) as root:
        return root.title


def test_finding_16_return_in_finally_does_not_keep_an_overrun(db, quick):
    add(db, "overrun", Script(body=(
        "context.edit(title='overrun')\n"
        f"try:\n    {spin(1)}\nfinally:\n    return 'kept'")))
    response = quick.get("/overrun", headers=ADMIN_AUTH, status=503)
    assert "ran past its time budget of 0.3 s" in response.text
    assert title_of_root(db) == "objweb"


@pytest.mark.parametrize("body", [
    # `break` and `continue` in `finally` drop the stop as `return` does.
    f"for n in [1]:\n    try:\n        {spin(2)}\n    finally:\n        break\nreturn 'kept'",
    f"for n in [1, 2]:\n    try:\n        {spin(2)}\n    finally:\n        continue\nreturn 'kept'",
    # A helper swallows the stop and no guard is met before the run ends.
    f"def spin():\n    try:\n        {spin(2)}\n    finally:\n        return 1\nreturn spin()",
    # A generator's finally swallows it while the loop over it ends.
    (f"def numbers():\n    try:\n        yield 1\n        {spin(2)}\n    finally:\n"
     f"        return\nreturn [n for n in numbers()]"),
])
def test_swallowed_stops_end_the_run_all_the_same(db, quick, body):
    add(db, "overrun", Script(body="context.edit(title='overrun')\n" + body))
    response = quick.get("/overrun", headers=ADMIN_AUTH, status=503)
    assert "ran past its time budget" in response.text
    assert title_of_root(db) == "objweb"


def test_a_called_script_that_swallows_its_stop_fails_its_caller(db, quick):
    add(db, "helper", Script(body=f"try:\n    {spin(1)}\nfinally:\n    return 'kept'"))
    add(db, "caller", Script(body="context.edit(title='overrun')\nreturn context.helper()"))
    response = quick.get("/caller", headers=ADMIN_AUTH, status=503)
    assert "ran past its time budget" in response.text
    assert title_of_root(db) == "objweb"


def test_a_template_that_swallows_its_stop_is_not_rendered(db, quick):
    add(db, "swallow", Script(body=f"try:\n    {spin(1)}\nfinally:\n    return 'kept'"))
    add(db, "page", Template(source='<p tal:on-error="string:hidden" '
                                    'tal:content="context/swallow">x</p>'))
    response = quick.get("/page", headers=ADMIN_AUTH, status=503)
    assert "ran past its time budget" in response.text
    assert "<p>kept</p>" not in response.text and "<p>hidden</p>" not in response.text
