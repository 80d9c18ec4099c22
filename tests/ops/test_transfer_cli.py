"""`objweb export PATH FILE` and `objweb import FILE PATH` between two instance homes."""

import pytest

import objweb
from objweb import File, Folder, Page
from objweb.security.rolemap import local_roles_of
from ops_servers import make_site
from support import ADMIN


def site_uri(home) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


@pytest.fixture
def homes(tmp_path_factory):
    """A source home with /news (page, file, users, local roles) and an empty target home."""
    source, target = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("target")
    make_site(source)
    db = objweb.open_db(site_uri(source))
    with objweb.site(db, user=ADMIN) as root:
        news = root.add("news", Folder(title="News"))
        news.add("hello", Page(title="Hello", body="<p>Hi</p>"))
        news.add("report", File(title="Q3", data=b"%PDF" * 5000, content_type="application/pdf"))
        news.add("acl_users", objweb.UserFolder()).add_user("editor", "pw", roles=["Editor"])
        news.manage_setLocalRoles("editor", ["Owner"])
    db.close()
    make_site(target)
    return source, target


def test_export_then_import_into_another_site(homes, objweb_ok):
    source, target = homes
    exported = objweb_ok(["export", "/news", "news.zexp"], source)
    assert exported.stdout.startswith("Exported /news to news.zexp (")
    imported = objweb_ok(["import", str(source / "news.zexp"), "/", "--owner", ADMIN], target)
    assert imported.stdout.startswith(f"Imported {source / 'news.zexp'} as /news. "
                                      f"{ADMIN} owns everything imported.")
    db = objweb.open_db(site_uri(target))
    try:
        with objweb.site(db) as root:
            news = root["news"]
            assert news["report"].data == b"%PDF" * 5000
            assert news["hello"].owner == ADMIN
            assert local_roles_of(news)["editor"] == {"Owner"}
            assert news["acl_users"].get_user("editor").roles == ("Editor",)
        assert db.undoLog(0, 1)[0]["description"] == "objweb import news.zexp"
    finally:
        db.close()


def test_import_refuses_a_name_in_use_then_takes_another_name(homes, objweb_ok,
                                                              objweb_command):
    source, target = homes
    objweb_ok(["export", "/news", "news.zexp"], source)
    objweb_ok(["import", str(source / "news.zexp"), "/"], target)
    clash = objweb_command(["import", str(source / "news.zexp"), "/"], target)
    assert clash.returncode == 1
    assert clash.stderr.strip() == (f"objweb import: {source / 'news.zexp'} was not imported: "
                                    "the name 'news' is already in use in /")
    renamed = objweb_ok(["import", str(source / "news.zexp"), "/news", "--name", "copy"],
                        target)
    assert "as /news/copy." in renamed.stdout


@pytest.mark.parametrize("args, message", [
    (["export", "/nowhere", "x.zexp"], "there is no object at /nowhere"),
    (["export", "/news", "objweb.ini"], "objweb.ini exists; remove it or choose another"),
    (["import", "missing.zexp", "/"], "no such file: missing.zexp"),
    (["import", "objweb.ini", "/"], "not an export file"),
    (["import", "news.zexp", "/news/hello"], "/news/hello is not a folder"),
])
def test_refusals_are_one_sentence_and_change_nothing(homes, args, message, objweb_ok,
                                                     objweb_command):
    source, _ = homes
    (source / "objweb.ini").write_text("[server]\n")
    objweb_ok(["export", "/news", "news.zexp"], source)
    result = objweb_command(args, source)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    db = objweb.open_db(site_uri(source))
    try:
        with objweb.site(db) as root:
            assert sorted(root.keys()) == ["acl_users", "news"]
    finally:
        db.close()
