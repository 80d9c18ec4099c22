"""The Edit and Security tabs and code's owner: whoever writes it owns it; none lends it out.

The Manager of one folder (`fm`, see `takeover_site`) may write code in
their folder and take code there over; only a Manager of the whole site may
give code to someone else, since it runs with its owner's rights.
"""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Script
from support import ADMIN, ADMIN_AUTH
from takeover_site import BANNER, FM, FM_AUTH, TAKEOVER, banner_source, build
from zmi.conftest import TOKEN, Client


@pytest.fixture
def takeover(db):
    build(db)
    return db


def client(db, headers: dict, folder: str) -> Client:
    user = Client(TestApp(objweb.make_app(db)), headers)
    user._token = TOKEN.search(user.get(f"{folder}/manage_contents").text).group(1)
    return user


@pytest.fixture
def fm(takeover) -> Client:
    return client(takeover, FM_AUTH, "/sub")


@pytest.fixture
def admin(takeover) -> Client:
    return client(takeover, ADMIN_AUTH, "")


def owner_record(db, path: str):
    with objweb.site(db) as root:
        return objweb.find(root, path)._owner


def test_finding_07_saving_code_on_the_edit_tab_makes_the_editor_its_owner(takeover, fm):
    fm.post("/sub/tool/manage_edit", {"command": "save", "title": "Tool", "params": "",
                                      "body": TAKEOVER})
    TestApp(objweb.make_app(takeover)).get("/sub/tool", status=401)
    assert banner_source(takeover) == BANNER
    assert owner_record(takeover, "/sub/tool") == ("/acl_users", FM)


def test_saving_code_unchanged_keeps_its_owner(takeover, admin):
    admin.post("/sub/tool/manage_edit", {"command": "save", "title": "New title", "params": "",
                                         "body": "return 'a tool'"})
    assert owner_record(takeover, "/sub/tool") == ("/acl_users", ADMIN)


def test_the_security_tab_names_the_owner_and_their_user_folder(takeover, fm):
    page = fm.get("/sub/tool/manage_security")
    assert page.html.find(id="owner-name").get_text() == f"{ADMIN} of /acl_users"
    with objweb.site(takeover) as root:
        root["sub"].add("orphan", Script(body="return 1"))
        root["sub"].add("lost", Script(body="return 1")).change_owner("ghost")
    assert fm.get("/sub/orphan/manage_security").html.find(id="owner-name").get_text() \
        == "no one"
    assert "ghost is no longer a user" in \
        fm.get("/sub/lost/manage_security").html.find(id="owner-name").get_text()
    with objweb.site(takeover) as root:
        root["sub"]["lost"].set_ownership((None, None))
    assert fm.get("/sub/lost/manage_security").html.find(id="owner-name").get_text() \
        == "nobody (an anonymous visitor)"


def test_a_folder_manager_cannot_give_code_to_the_site_manager(takeover, fm):
    with objweb.site(takeover, user=FM) as root:
        root["sub"]["mine"] = Script(body=TAKEOVER)
        root["sub"]["mine"].set_proxy_roles(["Manager"])
    page = fm.post("/sub/mine/manage_security", {"command": "owner", "owner": ADMIN},
                   status=400)
    assert "only a Manager of the whole site may give a Script" in \
        page.html.find(id="owner-form").get_text()
    assert owner_record(takeover, "/sub/mine") == ("/acl_users", FM)
    TestApp(objweb.make_app(takeover)).get("/sub/mine", status=401)
    assert banner_source(takeover) == BANNER


def test_a_folder_manager_may_take_code_over_and_give_other_things_away(takeover, fm):
    fm.post("/sub/tool/manage_security", {"command": "owner", "owner": FM})
    assert owner_record(takeover, "/sub/tool") == ("/acl_users", FM)
    with objweb.site(takeover) as root:
        root["sub"].add("box", Folder())
    fm.post("/sub/box/manage_security", {"command": "owner", "owner": ADMIN})
    assert owner_record(takeover, "/sub/box") == ("/acl_users", ADMIN)


def test_the_site_manager_may_give_code_to_anyone(takeover, admin):
    admin.post("/sub/tool/manage_security", {"command": "owner", "owner": FM})
    assert owner_record(takeover, "/sub/tool") == ("/acl_users", FM)
