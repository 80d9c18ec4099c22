"""Through the web, code runs as its owner: whoever writes it, never a user they borrowed.

The Manager of one folder (`fm`, see `takeover_site`) tries to make code
they wrote run with the rights of the site's Manager: by writing it into a
Script of admin's, as a local namesake of admin, or by giving it to admin.
"""

import json

import pytest
from webtest import TestApp

import objweb
from objweb import Script, Template, UserFolder
from objweb.security.permissions import CHANGE_CODE
from support import ADMIN, ADMIN_AUTH, basic_auth
from takeover_site import BANNER, FM, FM_AUTH, TAKEOVER, banner_source, build

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def app(db):
    build(db)
    return TestApp(objweb.make_app(db))


def owner_record(db, path: str):
    with objweb.site(db) as root:
        return objweb.find(root, path)._owner


def patch(app, path: str, values: dict, headers: dict, status: int = 204):
    return app.patch(path, json.dumps(values), headers={**headers, **JSON}, status=status)


# -- finding 7: writing code makes the writer its owner ---------------------------------

def test_finding_07_editing_code_makes_the_editor_its_owner(app, db):
    patch(app, "/sub/tool", {"body": TAKEOVER}, FM_AUTH)
    app.get("/sub/tool", status=401)
    app.get("/sub/tool", headers=FM_AUTH, status=403)
    assert banner_source(db) == BANNER
    assert owner_record(db, "/sub/tool") == ("/acl_users", FM)


def test_the_site_manager_running_code_an_editor_wrote_gets_the_editors_rights(app, db):
    patch(app, "/sub/tool", {"params": "x=1", "body": TAKEOVER}, FM_AUTH)
    app.get("/sub/tool", headers=ADMIN_AUTH, status=403)
    assert banner_source(db) == BANNER


def test_editing_a_template_makes_the_editor_its_owner(app, db):
    with objweb.site(db, user=ADMIN) as root:
        root["sub"]["view"] = Template(source="<p>admin's</p>")
    patch(app, "/sub/view", {"source": "<p>fm's</p>"}, FM_AUTH)
    assert owner_record(db, "/sub/view") == ("/acl_users", FM)


def test_changing_only_the_title_of_code_keeps_its_owner(app, db):
    patch(app, "/sub/tool", {"title": "Renamed", "body": "return 'a tool'"}, FM_AUTH)
    assert owner_record(db, "/sub/tool") == ("/acl_users", ADMIN)


def test_code_written_by_an_anonymous_visitor_is_nobodys(app, db):
    with objweb.site(db) as root:
        root["sub"]["tool"].manage_permission(CHANGE_CODE, roles=["Anonymous", "Manager"])
    patch(app, "/sub/tool", {"body": TAKEOVER}, {})
    assert owner_record(db, "/sub/tool") == (None, None)
    app.get("/sub/tool", status=401)
    app.get("/sub/tool", headers=ADMIN_AUTH, status=403)
    assert banner_source(db) == BANNER


def test_put_cannot_write_code(app, db):
    app.put("/sub/tool", TAKEOVER, headers={**FM_AUTH, "Content-Type": "text/html"},
            status=400)
    assert owner_record(db, "/sub/tool") == ("/acl_users", ADMIN)
    with objweb.site(db) as root:
        assert root["sub"]["tool"].body == "return 'a tool'"


def test_code_made_by_json_is_owned_with_the_makers_user_folder(app, db):
    app.post("/sub", json.dumps({"@type": "Script", "id": "made", "body": "return 1"}),
             headers={**FM_AUTH, **JSON}, status=201)
    assert owner_record(db, "/sub/made") == ("/acl_users", FM)
    answer = app.get("/sub/made", headers={**FM_AUTH, "Accept": "application/json"},
                     status=200)
    assert answer.json["owner"] == FM


# -- finding 4, through the web ----------------------------------------------------------

def test_finding_04_code_of_a_deleted_local_namesake_runs_as_nobody(app, db):
    with objweb.site(db) as root:
        root["sub"]["acl_users"] = UserFolder()
        root["sub"]["acl_users"].add_user(ADMIN, "local-Pw-1", roles=["Manager"])
    local_admin = basic_auth(ADMIN, "local-Pw-1")
    app.post("/sub", json.dumps({"@type": "Script", "id": "evil", "body": TAKEOVER}),
             headers={**local_admin, **JSON}, status=201)
    app.post("/sub/evil/@@proxy-roles", json.dumps({"roles": ["Manager"]}),
             headers={**local_admin, **JSON}, status=200)
    app.get("/sub/evil", status=401)
    with objweb.site(db) as root:
        root["sub"]["acl_users"].delete_user(ADMIN)
    app.get("/sub/evil", status=401)
    assert banner_source(db) == BANNER
    assert owner_record(db, "/sub/evil") == ("/sub/acl_users", ADMIN)


def test_the_json_owner_is_still_a_user_id(app, db):
    answer = app.get("/sub/tool", headers={**ADMIN_AUTH, "Accept": "application/json"},
                     status=200)
    assert answer.json["owner"] == ADMIN
    with objweb.site(db) as root:
        root["sub"].add("orphan", Script(body="return 1"))
    answer = app.get("/sub/orphan", headers={**ADMIN_AUTH, "Accept": "application/json"},
                     status=200)
    assert answer.json["owner"] is None
