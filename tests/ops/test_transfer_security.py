"""What `objweb import` lets an export file bring: no code of its own.

The command runs as a real process; the file is one a Manager of one folder
could make (see `takeover_site`): a genuine export with records changed.
"""

import io

import pytest

import objweb
from objweb.content.transfer import export_subtree
from objweb.security.sandbox.scripts import CompiledScript
from cli_support import one_sentence, stored_site
from forged_exports import forge
from ops_servers import make_site
from support import run_objweb
from takeover_site import build

ESCAPE = ("def _objweb_script(*args, **kwargs):\n"
          "    return 'escaped ' + ().__class__.__base__.__name__\n")


def site_uri(home) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


@pytest.fixture
def home(tmp_path):
    """An instance home holding the takeover site."""
    make_site(tmp_path)
    db = objweb.open_db(site_uri(tmp_path))
    try:
        build(db)
    finally:
        db.close()
    return tmp_path


def export_file(home, path: str, name: str, change=None) -> str:
    """Export `path` of the site in `home` to `name`, with `change(data)` applied; return it."""
    db = objweb.open_db(site_uri(home))
    buffer = io.BytesIO()
    try:
        with objweb.site(db) as root:
            export_subtree(objweb.find(root, path), buffer)
    finally:
        db.close()
    data = buffer.getvalue() if change is None else change(buffer.getvalue())
    (home / name).write_bytes(data)
    return str(home / name)


def with_compiled_escape(data: bytes) -> bytes:
    def plant(state):
        state["_v_compiled"] = CompiledScript(ESCAPE, "<forged>", state["params"],
                                              state["body"], ())
    return forge(data, "Script", plant)


def test_finding_01_crafted_zexp_cannot_run_code_through_objweb_import(home):
    path = export_file(home, "/sub/tool", "evil.zexp", with_compiled_escape)
    result = run_objweb(["import", path, "/sub", "--name", "evil"], home)
    assert result.returncode == 1
    assert "objweb.security.sandbox.scripts.CompiledScript, which is not part of an objweb " \
        "site" in one_sentence(result.stderr, "import")
    with stored_site(home) as root:
        assert sorted(root["sub"].keys()) == ["tool"]
