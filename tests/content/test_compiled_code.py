"""Compiled code is made in this process from the source, never taken from storage.

A Script or Template keeps its compiled form in a volatile attribute, which
ZODB never writes. A state that brings one anyway (a forged import stored
before objweb refused them, a database another program wrote) must not be
run: the record is forged here, straight in the storage, as such a state
would sit there.
"""

import pytest
import transaction
from ZODB.FileStorage import FileStorage

import objweb
from objweb import Script, Template
from objweb.content import base
from objweb.sandbox.scripts import CompiledScript
from forged_exports import forge_stored
from sandbox_support import policy_for
from support import ADMIN, ADMIN_PASSWORD

ESCAPE = ("def _objweb_script(*args, **kwargs):\n"
          "    return 'escaped ' + ().__class__.__base__.__name__\n")


@pytest.fixture
def stored(tmp_path):
    """A FileStorage site holding /s (a Script) and /t (a Template); yields its path."""
    path = str(tmp_path / "Data.fs")
    db = objweb.open_db(f"file://{path}")
    objweb.bootstrap(db, admin=ADMIN, password=ADMIN_PASSWORD)
    with objweb.site(db) as root:
        root["s"] = Script(body="return 'the body'")
        root["t"] = Template(source="<p>the source</p>")
    db.close()
    return path


def forge_record(path: str, name: str, change) -> None:
    """Rewrite the stored state of the root's item `name` with `change(state)`."""
    db = objweb.open_db(f"file://{path}")
    with objweb.site(db) as root:
        oid = root[name]._p_oid
    db.close()
    storage = FileStorage(path)
    try:
        forge_stored(storage, oid, change)
    finally:
        storage.close()


def test_finding_01_a_stored_compiled_form_is_never_run(stored):
    def plant(state):
        state["_v_compiled"] = CompiledScript(ESCAPE, "<forged>", state["params"],
                                              state["body"], ())
    forge_record(stored, "s", plant)
    db = objweb.open_db(f"file://{stored}")
    try:
        with objweb.site(db) as root:
            script = root["s"]
            assert script.run(root, user_policy=policy_for(root, ADMIN)) == "the body"
    finally:
        transaction.abort()
        db.close()


@pytest.mark.parametrize("key", ["_v_compiled", "_v_other", "_p_planted"])
def test_a_stored_state_brings_no_volatile_attribute(stored, key):
    forge_record(stored, "t", lambda state: state.update({key: "planted"}))
    db = objweb.open_db(f"file://{stored}")
    try:
        with objweb.site(db) as root:
            template = root["t"]
            assert template.source == "<p>the source</p>"
            assert vars(template).get(key) != "planted"
            assert template.render(root, user_policy=policy_for(root, ADMIN)) == \
                "<p>the source</p>"
    finally:
        db.close()


def test_only_what_this_process_compiled_is_kept():
    script = Script(body="return 1")
    assert base.kept_compiled(script) is not None
    script._v_compiled = CompiledScript(ESCAPE, "<forged>", script.params, script.body, ())
    assert base.kept_compiled(script) is None
    assert script.compiled().code is not ESCAPE
    base.keep_compiled(script, "anything")
    assert base.kept_compiled(script) == "anything"


def test_a_script_compiles_once_in_a_process():
    script = Script(params="x, *, y=1", body="return x + y")
    assert script.compiled() is script.compiled()
