"""Work done in C by code is refused before it starts, through the doors users use.

The four operations of the outside review, each at a size that takes a
fraction of a second to a few seconds unguarded (the review's own sizes took
an hour, or crashed the process): a power with a modulus, `in` over a
repeated list, a sort of long texts, and hashing a nested tuple. Each now
answers 503 and names the limit, and nothing the code changed is kept.
"""

import subprocess
import sys
import textwrap

import pytest
from webtest import TestApp

import objweb
from objweb import Script
from sandbox_support import base_storage, db  # noqa: F401 (fixtures: users made once)
from support import ADMIN_AUTH

TEXTS = "s = 'x' * 10**5\nt = 'x' * (10**5 - 1) + 'y'\n"
DEEP = "deep = ()\nfor n in range(1000):\n    deep = (deep,)\n"
REVIEWED = {
    "pow": ("return pow(7, 2**200 + 1, 2**20000 + 1)", "units of work"),
    "in_repeated_list": (TEXTS + "return t in [s] * 10**4", "units of work"),
    "sorted_texts": (TEXTS + "return sorted([t, s] * 1000)", "units of work"),
    "hash_nested_tuple": (DEEP + "return hash(deep)", "nested more than 100 levels deep"),
}


@pytest.fixture
def web(db):
    return TestApp(objweb.make_app(db))


def add(db, name, body):
    with objweb.site(db, user="admin") as root:
        root[name] = Script(body=body)


@pytest.mark.parametrize("operation", REVIEWED)
def test_finding_06_work_done_in_c_is_refused_before_it_starts(db, web, operation):
    body, refusal = REVIEWED[operation]
    add(db, "work", "context.edit(title='changed')\n" + body)
    response = web.get("/work", headers=ADMIN_AUTH, status=503)
    assert refusal in response.text
    assert response.headers["Retry-After"] == "10"
    with objweb.site(db) as root:
        assert root.title == "objweb"


HASH_IN_A_THREAD = textwrap.dedent("""
    import threading
    import objweb
    from objweb import Script
    from webtest import TestApp

    db = objweb.open_db("memory://")
    objweb.bootstrap(db, admin="admin", password="s3cret")
    with objweb.site(db) as root:
        root["deep"] = Script(body=(
            "deep = ()\\nfor n in range(300000):\\n    deep = (deep,)\\nreturn hash(deep)"))
    answers = []
    # Building the tuple takes seconds on a loaded machine: with the time
    # budget out of the way, only the depth of the hash can refuse.
    app = TestApp(objweb.make_app(db, objweb.Settings(code_time_budget=3600.0)))
    # Served as waitress serves it, from a thread with its default stack.
    worker = threading.Thread(target=lambda: answers.append(
        app.get("/deep", headers={"Authorization": "Basic YWRtaW46czNjcmV0"},
                expect_errors=True)))
    worker.start()
    worker.join()
    print(answers[0].status_int, "nested more than" in answers[0].text)
    print(answers[0].text[:300])
""")


def test_hashing_a_tuple_nested_300000_deep_no_longer_kills_the_process(tmp_path):
    done = subprocess.run([sys.executable, "-c", HASH_IN_A_THREAD], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    status, refused_for_depth = done.stdout.split("\n")[0].split()
    assert (status, refused_for_depth) == ("503", "True"), done.stdout


def test_an_answer_too_costly_to_write_is_refused(db, web):
    add(db, "floats", "return [1.5] * 300000")
    response = web.get("/floats", headers=ADMIN_AUTH, status=503)
    assert "units of work to write" in response.text


def test_an_error_raised_with_a_huge_value_is_answered_and_logged_short(db, web, caplog):
    add(db, "huge", "raise ValueError(['x' * 10**4] * 10**3)")
    response = web.get("/huge", headers=ADMIN_AUTH, status=500)
    assert "not shown" in response.text
    assert len(response.text) < 20_000
    logged = "\n".join(record.getMessage() + str(record.exc_info) for record in caplog.records)
    assert "not shown" in logged or "incident" in logged
    assert max(len(record.getMessage()) for record in caplog.records) < 20_000
