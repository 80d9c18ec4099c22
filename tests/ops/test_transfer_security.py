"""What `objweb import` and the Python API let an export file bring: no code, no foreign owner.

The command runs as a real process; the file is one a Manager of one folder
could make (see `takeover_site`): a genuine export with records changed.
"""

import io

import pytest
from webtest import TestApp

import objweb
from objweb import Page, Script
from objweb.sandbox.scripts import CompiledScript
from objweb.storage.transfer import export_subtree, import_subtree
from cli_support import one_sentence, stored_site
from forged_exports import forge
from ops_servers import make_site
from support import ADMIN, run_objweb
from takeover_site import BANNER, FM, TAKEOVER, banner_source, build

ESCAPE = ("def _objweb_script(*args, **kwargs):\n"
          "    return 'escaped ' + ().__class__.__base__.__name__\n")


def site_uri(home) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


@pytest.fixture
def home(tmp_path):
    """An instance home holding the takeover site, with an attack Script of admin's."""
    make_site(tmp_path)
    db = objweb.open_db(site_uri(tmp_path))
    try:
        build(db)
        with objweb.site(db, user=ADMIN) as root:
            root.add("attack", Script(body=TAKEOVER)).set_proxy_roles(["Manager"])
            root.add("note", Page(title="Note"))
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


def anonymous_get(home, path: str, status: int):
    db = objweb.open_db(site_uri(home))
    try:
        return TestApp(objweb.make_app(db)).get(path, status=status)
    finally:
        db.close()


def banner_of(home) -> str:
    db = objweb.open_db(site_uri(home))
    try:
        return banner_source(db)
    finally:
        db.close()


def test_finding_01_crafted_zexp_cannot_run_code_through_objweb_import(home):
    path = export_file(home, "/sub/tool", "evil.zexp", with_compiled_escape)
    result = run_objweb(["import", path, "/sub", "--name", "evil"], home)
    assert result.returncode == 1
    assert "objweb.sandbox.scripts.CompiledScript, which is not part of an objweb " \
        "site" in one_sentence(result.stderr, "import")
    with stored_site(home) as root:
        assert sorted(root["sub"].keys()) == ["tool"]


def test_finding_05_objweb_import_gives_imported_code_no_foreign_owner(home):
    path = export_file(home, "/attack", "attack.zexp")
    result = run_objweb(["import", path, "/sub", "--name", "plain"], home)
    assert result.returncode == 0, result.stderr
    anonymous_get(home, "/sub/plain", 401)
    assert banner_of(home) == BANNER
    assert "Scripts and Templates belong to nobody" in result.stdout
    owned = run_objweb(["import", path, "/sub", "--name", "owned", "--owner", FM], home)
    assert f"{FM} owns everything imported." in owned.stdout
    anonymous_get(home, "/sub/owned", 401)
    assert banner_of(home) == BANNER
    with stored_site(home) as root:
        plain, owned_script = root["sub"]["plain"], root["sub"]["owned"]
        assert (plain.owner, plain._owner, plain.proxy_roles) == (None, (None, None), ())
        assert (owned_script.owner, owned_script._owner) == (FM, ("/acl_users", FM))
        assert owned_script.proxy_roles == ("Manager",)  # fm is Manager of /sub


def test_objweb_import_keeps_the_files_owners_only_when_told(home):
    path = export_file(home, "/note", "note.zexp")
    run_objweb(["import", path, "/sub", "--name", "kept", "--keep-owners"], home)
    run_objweb(["import", path, "/sub", "--name", "plain"], home)
    with stored_site(home) as root:
        assert root["sub"]["kept"].owner == ADMIN
        assert root["sub"]["plain"].owner is None


@pytest.mark.parametrize("args, message", [
    (["--owner", "ghost"], "there is no user 'ghost' in a user folder above /sub"),
    (["--owner", FM, "--keep-owners"], "not allowed with argument"),
])
def test_objweb_import_refuses_a_bad_choice_of_owner(home, args, message):
    path = export_file(home, "/note", "note.zexp")
    result = run_objweb(["import", path, "/sub"] + args, home)
    assert result.returncode != 0 and message in result.stderr
    with stored_site(home) as root:
        assert sorted(root["sub"].keys()) == ["tool"]


# -- the Python API ------------------------------------------------------------------

@pytest.fixture
def db():
    database = objweb.open_db("memory://")
    objweb.bootstrap(database, admin=ADMIN, password="admin-Pw-1")
    build(database)
    with objweb.site(database, user=ADMIN) as root:
        root.add("attack", Script(body=TAKEOVER)).set_proxy_roles(["Manager"])
    yield database
    database.close()


def exported(db, path: str) -> bytes:
    buffer = io.BytesIO()
    with objweb.site(db) as root:
        export_subtree(objweb.find(root, path), buffer)
    return buffer.getvalue()


def test_an_import_by_a_named_user_is_theirs(db):
    data = exported(db, "/attack")
    with objweb.site(db, user=FM) as root:
        import_subtree(root["sub"], io.BytesIO(data), name="mine")
    with objweb.site(db) as root:
        assert root["sub"]["mine"]._owner == ("/acl_users", FM)
    TestApp(objweb.make_app(db)).get("/sub/mine", status=401)
    assert banner_source(db) == BANNER


def test_an_import_by_trusted_code_gives_code_to_nobody(db):
    data = exported(db, "/sub")
    with objweb.site(db) as root:
        import_subtree(root, io.BytesIO(data), name="again")
    with objweb.site(db) as root:
        again = root["again"]
        assert again._owner is None and again["tool"]._owner == (None, None)
        assert again["tool"].proxy_roles == ()


def test_only_trusted_code_may_keep_the_owners_of_a_file(db):
    data = exported(db, "/attack")
    with objweb.site(db) as root:
        with pytest.raises(ValueError, match="only trusted code"):
            import_subtree(root["sub"], io.BytesIO(data), policy=object(), keep_owners=True)
