"""Every door that changes the site keeps search right, for visitors, Editors and Managers.

Changes go through HTTP as users make them (the JSON API, PUT, the
management screens, an import, an undo); the next search, before the
queue drains or after, finds what each kind of user may View and nothing
else. A request that fails leaves the catalog as it was.
"""

import io

import pytest
import ZODB
from ZODB.DemoStorage import DemoStorage
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script
from objweb.catalog import drain_all, find_results, queue_length
from objweb.catalog.search import lists_of
from objweb.storage.transfer import export_subtree
from objweb.security.permissions import ALL_PERMISSIONS, VIEW
from sandbox_support import base_storage, policy_for  # noqa: F401 (fixture: users made once)
from support import ADMIN_AUTH, ADMIN_PASSWORD, basic_auth, basic_csrf_token

EDITOR_AUTH = basic_auth("editor", "pw-editor")
WHO = (None, "alice", "editor", "admin")
EVERYONE = {who: True for who in WHO}
STAFF = {None: False, "alice": False, "editor": True, "admin": True}


@pytest.fixture(params=["queued", "drained"])
def drained(request):
    return request.param == "drained"


@pytest.fixture
def db(base_storage):
    """Public /news with a Page, /news/private that only Managers and Editors may View."""
    database = ZODB.DB(DemoStorage(name="doors", base=base_storage, close_base_on_close=False))
    with objweb.site(database, user="admin") as root:
        news = root["news"] = Folder(title="News")
        news["hello"] = Page(title="Hello", body="<p>first words</p>")
        private = news["private"] = Folder(title="Private")
        private.manage_permission(VIEW, roles=["Manager", "Editor"], acquire=False)
        private["plan"] = Page(title="Plan", body="<p>secret words</p>")
        root["archive"] = Folder(title="Archive")
    drain_all(database)
    yield database
    database.close()


@pytest.fixture
def web(db):
    return TestApp(objweb.make_app(db))


def found(db, who, **query) -> list[str]:
    """The paths `who` (None: an anonymous visitor) finds for `query` below the root."""
    with objweb.site(db) as root:
        results = find_results(root, lists_of(query), policy=policy_for(root, who))
        return sorted(result.path for result in results)


def settle(db, drained: bool) -> None:
    if drained:
        drain_all(db)
        assert queue_length(db) == 0


def assert_seen(db, paths: list[str], seen: dict, **query) -> None:
    """Each user finds `paths` for `query` if `seen[user]`, else nothing."""
    for who in WHO:
        assert found(db, who, **query) == (paths if seen[who] else []), who


def zmi(web, auth=ADMIN_AUTH):
    token = basic_csrf_token(web, auth)

    def post(path, pairs, status=303, **options):
        pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
        return web.post(path, pairs + [("csrf_token", token)], headers=auth, status=status,
                        **options)
    return post


def test_json_create_edit_and_delete(db, web, drained):
    web.post_json("/news", {"@type": "Page", "id": "launch", "title": "Launch",
                            "body": "<p>zebra crossing</p>"}, headers=ADMIN_AUTH, status=201)
    web.post_json("/news/private", {"@type": "Page", "id": "quiet", "title": "Quiet",
                                    "body": "<p>zebra herd</p>"}, headers=EDITOR_AUTH, status=201)
    settle(db, drained)
    assert_seen(db, ["/news/launch"], EVERYONE, text="zebra", path="/news", depth=1)
    assert_seen(db, ["/news/private/quiet"], STAFF, text="herd")
    assert found(db, "editor", owner="editor") == ["/news/private/quiet"]
    web.patch_json("/news/launch", {"title": "Liftoff", "body": "<p>giraffe</p>"},
                   headers=ADMIN_AUTH, status=204)
    settle(db, drained)
    assert_seen(db, [], EVERYONE, text="zebra crossing")
    assert_seen(db, ["/news/launch"], EVERYONE, text="giraffe liftoff")
    web.delete("/news/private/quiet", headers=ADMIN_AUTH, status=204)
    settle(db, drained)
    assert_seen(db, [], EVERYONE, text="herd")


def test_put_creates_and_replaces(db, web, drained):
    headers = {**ADMIN_AUTH, "Content-Type": "text/html"}
    web.put("/news/dropped", b"<p>walrus</p>", headers=headers, status=201)
    settle(db, drained)
    assert_seen(db, ["/news/dropped"], EVERYONE, text="walrus", type="Page")
    web.put("/news/dropped", b"<p>narwhal</p>", headers=headers, status=204)
    settle(db, drained)
    assert_seen(db, [], EVERYONE, text="walrus")
    assert_seen(db, ["/news/dropped"], EVERYONE, text="narwhal")


def test_rename_moves_a_folder_and_all_below_it(db, web, drained):
    zmi(web)("/manage_contents", [("command", "rename_confirm"), ("old", "news"),
                                  ("new", "press")])
    settle(db, drained)
    assert_seen(db, [], EVERYONE, path="/news")
    assert_seen(db, ["/press/hello"], EVERYONE, text="first")
    assert_seen(db, ["/press/private/plan"], STAFF, text="secret", path="/press/private")
    assert found(db, "admin", path="/press", depth=1) == ["/press/hello", "/press/private"]


def test_cut_and_paste_moves_out_of_a_private_folder(db, web, drained):
    post = zmi(web)
    post("/news/private/manage_contents", [("command", "cut"), ("names", "plan")])
    post("/archive/manage_contents", {"command": "paste"})
    settle(db, drained)
    assert_seen(db, ["/archive/plan"], EVERYONE, text="secret")
    assert_seen(db, [], EVERYONE, path="/news/private")


def test_copy_and_paste_finds_both(db, web, drained):
    post = zmi(web)
    post("/news/manage_contents", [("command", "copy"), ("names", "private")])
    post("/archive/manage_contents", {"command": "paste"})
    settle(db, drained)
    assert_seen(db, ["/archive/private/plan", "/news/private/plan"], STAFF, text="secret")
    assert_seen(db, ["/archive/private"], STAFF, path="/archive", type="Folder")


def test_import_finds_what_came_in(db, web, drained):
    with objweb.site(db) as root:
        buffer = io.BytesIO()
        export_subtree(root["news"], buffer)
    zmi(web)("/archive/manage_importexport", {"command": "import"},
             upload_files=[("file", "news.zexp", buffer.getvalue())])
    settle(db, drained)
    assert_seen(db, ["/archive/news/hello", "/news/hello"], EVERYONE, text="first")
    assert_seen(db, ["/archive/news/private/plan", "/news/private/plan"], STAFF, text="secret")


def matrix(view_roles: list[str], acquire: bool) -> list:
    """The Security tab's form: View as given, every other permission acquired."""
    pairs = [("command", "permissions")]
    for index, permission in enumerate(ALL_PERMISSIONS):
        roles, acquires = (view_roles, acquire) if permission == VIEW else ([], True)
        pairs += [(f"roles-{index}", role) for role in roles]
        if acquires:
            pairs.append((f"acquire-{index}", "on"))
    return pairs


def test_permissions_on_an_ancestor_hide_and_show(db, web, drained):
    post = zmi(web)
    post("/news/manage_security", matrix(["Manager", "Editor"], False))
    settle(db, drained)
    assert_seen(db, ["/news/hello", "/news/private", "/news/private/plan"], STAFF, path="/news")
    post("/news/manage_security", matrix([], True))
    post("/news/private/manage_security", matrix([], True))
    settle(db, drained)
    assert_seen(db, ["/news/hello", "/news/private", "/news/private/plan"], EVERYONE,
                path="/news")


def test_local_roles_on_an_ancestor_let_a_user_find(db, web, drained):
    post = zmi(web)
    post("/news/manage_security", [("command", "local_roles"), ("principal", "alice"),
                                   ("local_roles", "Editor")])
    settle(db, drained)
    assert found(db, "alice", text="secret") == ["/news/private/plan"]
    assert found(db, None, text="secret") == []
    post("/news/manage_security", {"command": "remove_local_roles", "remove": "alice"})
    settle(db, drained)
    assert found(db, "alice", text="secret") == []


def test_a_failed_request_leaves_the_catalog_as_it_was(db, web):
    with objweb.site(db, user="admin") as root:
        root["breaks"] = Script(body="context.edit(title='Vanished')\nreturn 1 / 0")
    drain_all(db)
    web.get("/news/hello/breaks", headers=ADMIN_AUTH, status=500)
    web.post_json("/news", {"@type": "Page", "id": "bad", "title": "Kept out", "colour": "red"},
                  headers=ADMIN_AUTH, status=400)
    web.post_json("/news", {"@type": "Page", "id": "hello", "title": "Twice"},
                  headers=ADMIN_AUTH, status=400)
    assert queue_length(db) == 0
    assert found(db, "admin", text="vanished", type="Page") == []
    assert found(db, "admin", text="kept") == []
    assert found(db, "admin", text="hello") == ["/news/hello"]


def test_undo_puts_back_what_search_finds(tmp_path):
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db, admin="admin", password=ADMIN_PASSWORD)
    with objweb.site(db, user="admin") as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>first words</p>")
    drain_all(db)
    web = TestApp(objweb.make_app(db))
    post = zmi(web)
    post("/news/manage_contents", {"command": "delete", "names": "hello"})
    drain_all(db)
    assert found(db, None, text="first") == []
    page = web.get("/news/manage_undo", headers=ADMIN_AUTH, status=200)
    undo_id = page.html.find("table", class_="history").tbody.find("input",
                                                                   attrs={"name": "ids"})["value"]
    post("/news/manage_undo", {"command": "undo", "ids": undo_id, "path": "/news"})
    assert found(db, None, text="first") == ["/news/hello"]
    drain_all(db)
    assert found(db, None, text="first") == ["/news/hello"]
    db.close()
