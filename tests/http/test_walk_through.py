"""A folder that withholds "Access contents information" hides what is in it, through every door.

The publisher requires the permission on every object a request walks
through, not only on the one it reaches: a Page that anonymous visitors may
View is still out of their reach inside a folder whose contents they may not
see. Each door is tried twice, with the folder closed and open, so that a
test passing for the wrong reason (a missing page, a broken view) fails on
the open side.
"""

import json
import logging

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template
from objweb.security import ANONYMOUS, MANAGER

from support import ADMIN_AUTH, basic_auth

ACCESS = "Access contents information"
WEBDAV = "WebDAV access"
JSON = {"Accept": "application/json"}


@pytest.fixture
def site(db):
    """/vault (closed to visitors unless `open`) holding a viewable Page, a Template and a folder."""
    with objweb.site(db) as root:
        vault = root.add("vault", Folder(title="Vault"))
        vault.add("plans", Page(title="Plans", body="<p>the secret plans</p>"))
        vault.add("inner", Folder(title="Inner")).add("deep", Page(title="Deep", body="<p>deep</p>"))
        vault.add("show", Template(source='<p tal:content="context/title">t</p>'))
        vault.add("reveal", Script(body="return 'inside ' + context.title"))
        root.add("peek", Script(body="return context['vault']['plans'].title"))
        root.add("list_vault", Script(body="return ','.join(context['vault'].keys())"))
    return db


def set_vault_access(db, roles):
    with objweb.site(db) as root:
        root["vault"].manage_permission(ACCESS, roles, acquire=False)


@pytest.fixture(params=["closed", "open"])
def state(request, site):
    """The vault closed to anonymous visitors, or open to them, and the app over it."""
    roles = [MANAGER] if request.param == "closed" else [MANAGER, ANONYMOUS]
    set_vault_access(site, roles)
    return request.param, TestApp(objweb.make_app(site))


def refused_or_shown(state, response, secret: str):
    name, _ = state
    if name == "closed":
        assert response.status_int in (401, 403), response.status
        assert secret not in response.text
    else:
        assert response.status_int == 200, response.status
        assert secret in response.text


DOORS = [
    ("the page by URL", "/vault/plans", {}, "the secret plans"),
    ("the page's JSON", "/vault/plans", JSON, "the secret plans"),
    ("a page two folders down", "/vault/inner/deep", {}, "deep"),
    ("the folder's page", "/vault", {}, "Vault"),
    ("a Template in the folder, on a page", "/vault/plans/show", {}, "Plans"),
    ("a Template acquired onto the page", "/vault/inner/deep/show", {}, "Deep"),
]


@pytest.mark.parametrize("door, path, headers, secret", DOORS, ids=[d[0] for d in DOORS])
def test_the_walk_through_check_guards_every_url_door(state, door, path, headers, secret):
    _, app = state
    response = app.get(path, headers=headers, expect_errors=True)
    refused_or_shown(state, response, secret)


def test_the_folder_s_json_leaves_out_its_items_when_it_is_closed(state):
    name, app = state
    record = json.loads(app.get("/vault", headers=JSON, status=200).text)
    assert record["title"] == "Vault"
    if name == "closed":
        assert "items" not in record and "items_total" not in record and "plans" not in str(record)
    else:
        assert [item["id"] for item in record["items"]] == ["inner", "plans", "reveal", "show"]


def test_scripts_reach_into_the_folder_only_when_it_is_open(state):
    name, app = state
    for path, secret in (("/peek", "Plans"), ("/list_vault", "plans")):
        response = app.get(path, expect_errors=True)
        if name == "closed":
            assert response.status_int in (401, 403) and secret not in response.text
        else:
            assert response.status_int == 200 and secret in response.text


def test_the_folder_s_manager_still_reaches_everything(site):
    set_vault_access(site, [MANAGER])
    app = TestApp(objweb.make_app(site))
    page = app.get("/vault/plans", headers=dict(ADMIN_AUTH, **JSON), status=200)
    assert json.loads(page.text)["body"] == "<p>the secret plans</p>"


SEARCHES = [
    ("search, as JSON", JSON),
    ("search, as a page", {"Accept": "text/html"}),
]


@pytest.mark.parametrize("door, headers", SEARCHES, ids=[d[0] for d in SEARCHES])
def test_search_finds_the_folder_s_items_only_when_it_is_open(state, door, headers):
    name, app = state
    response = app.get("/@@search", params={"text": "plans"}, headers=headers, status=200)
    if name == "closed":
        assert "/vault/plans" not in response.text and "Plans" not in response.text
    else:
        assert "http://localhost/vault/plans" in response.text and "Plans" in response.text
    # The folder's own search: reached, yet finding nothing below a folder closed to the visitor.
    below = app.get("/vault/@@search", params={"text": "deep"}, headers=headers, status=200)
    assert ("/vault/inner/deep" in below.text) is (name == "open")


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "open"])
@pytest.mark.parametrize("where", ["root", "vault"],
                         ids=["an index_html acquired from above", "the folder's own index_html"])
def test_a_folder_s_index_html_is_shown_only_to_who_may_see_its_contents(site, where, closed):
    with objweb.site(site) as root:
        place = root if where == "root" else root["vault"]
        place.add("index_html", Template(source='<p tal:content="string:index of ${context/title}">i</p>'))
    set_vault_access(site, [MANAGER] if closed else [MANAGER, ANONYMOUS])
    app = TestApp(objweb.make_app(site))
    response = app.get("/vault", status=401 if closed else 200)
    assert ("index of Vault" in response.text) is not closed

@pytest.mark.parametrize("closed", [True, False], ids=["closed", "open"])
def test_webdav_reads_into_the_folder_only_when_it_is_open(site, closed):
    set_vault_access(site, [MANAGER] if closed else [MANAGER, ANONYMOUS])
    with objweb.site(site) as root:
        root.manage_permission(WEBDAV, [MANAGER, ANONYMOUS], acquire=False)
    app = TestApp(objweb.make_app(site))
    page = app.get("/@@dav/vault/plans", status=401 if closed else 200)
    assert ("the secret plans" in page.text) is not closed
    listing = app.request("/@@dav/vault/", method="PROPFIND", headers={"Depth": "1"},
                          status=401 if closed else 207)
    assert ("plans" in listing.text) is not closed


# Each way a walk can end inside the folder: a missing name, a view named with @@, a
# plain view (the management screens' files), a Script given a subpath.
ENDINGS = [
    ("a missing name", "/vault/nope", {}, 404, "There is nothing at this address."),
    ("a view named with @@", "/vault/plans/@@search", JSON, 200, '"items"'),
    ("a plain view", "/vault/plans/manage_static/zmi.css", {}, 200, "objweb management interface"),
    ("a Script with a subpath", "/vault/reveal/more/names", {}, 200, "inside Vault"),
]


@pytest.mark.parametrize("ending, path, headers, status, shown", ENDINGS, ids=[e[0] for e in ENDINGS])
def test_every_way_a_walk_ends_inside_the_folder_is_checked(state, ending, path, headers, status,
                                                            shown):
    name, app = state
    response = app.get(path, headers=headers, status=401 if name == "closed" else status)
    assert (shown in response.text) is (name == "open")


def test_a_script_at_the_root_takes_the_names_after_it_as_its_subpath(site):
    set_vault_access(site, [MANAGER, ANONYMOUS])
    app = TestApp(objweb.make_app(site))
    assert app.get("/list_vault/more/names", status=200).text == "inner,plans,reveal,show"


@pytest.mark.parametrize("user, auth, status", [
    ("Anonymous", {}, 401),
    ("reader", basic_auth("reader", "pw-reader-1234"), 403),
])
def test_a_refusal_on_the_way_is_logged_with_what_decided_it(site, caplog, user, auth, status):
    with objweb.site(site) as root:
        root["acl_users"].add_user("reader", "pw-reader-1234")
    set_vault_access(site, [MANAGER])
    app = TestApp(objweb.make_app(site))
    with caplog.at_level(logging.INFO, logger="objweb.security"):
        app.get("/vault/plans", headers=auth, status=status)
    assert any(record.getMessage().startswith(
        f"denied: {user} on /vault needs {ACCESS!r} (roles ['Manager']), holds ")
        for record in caplog.records), [record.getMessage() for record in caplog.records]
