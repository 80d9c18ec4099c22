"""Through the web, code runs as its owner, a user of one user folder, never a namesake.

The Manager of one folder (`fm`, see `takeover_site`) tries to make code
they wrote run with the rights of the site's Manager, as a local namesake
of admin.
"""

import json

import pytest
from webtest import TestApp

import objweb
from objweb import Script, UserFolder
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
    assert owner_record(db, "/sub/evil") == ("/sub/acl_users", ADMIN)
    app.get("/sub/evil", status=401)
    with objweb.site(db) as root:
        root["sub"]["acl_users"].delete_user(ADMIN)
    app.get("/sub/evil", status=401)
    assert banner_source(db) == BANNER


def test_the_json_owner_is_still_a_user_id(app, db):
    answer = app.get("/sub/tool", headers={**ADMIN_AUTH, "Accept": "application/json"},
                     status=200)
    assert answer.json["owner"] == ADMIN
    with objweb.site(db) as root:
        root["sub"].add("orphan", Script(body="return 1"))
    answer = app.get("/sub/orphan", headers={**ADMIN_AUTH, "Accept": "application/json"},
                     status=200)
    assert answer.json["owner"] is None
