"""A folder that withholds "Access contents information" hides its items from search, at every door.

The publisher refuses what lies in a folder a user may not walk through,
however viewable it is; search finds it no more: from Python, from a
Script and a Template, through `@@search` (JSON and HTML) and the ZMI's
Find tab. A local role that grants the permission there opens it for its
holder, giving the permission back opens it for everyone, a block of
local roles closes it again, and an item moved out is found. Each case is
asked with the changes still queued and after the queue drained.
"""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template
from objweb.catalog import drain_all, find_results
from objweb.catalog.search import lists_of
from objweb.security.rolemap import set_block_local_roles
from sandbox_support import base_storage, db, policy_for  # noqa: F401 (fixtures: users made once)
from support import ADMIN_AUTH, BROWSER_ACCEPT, basic_auth

ACCESS = "Access contents information"
AUTH = {None: {}, "alice": basic_auth("alice", "pw-alice"),
        "editor": basic_auth("editor", "pw-editor"), "admin": ADMIN_AUTH}
JSON = {"Accept": "application/json"}
OUTSIDE = ["/open", "/vault"]
INSIDE = ["/vault/inner/deep", "/vault/plans"]
EVERYTHING = sorted(OUTSIDE + INSIDE)


@pytest.fixture(params=["queued", "drained"])
def drained(request):
    return request.param == "drained"


@pytest.fixture
def site(db, drained):
    """/vault (its contents closed to all but Managers and Owners there) and /open, all saying "ledger"."""
    with objweb.site(db) as root:
        vault = root.add("vault", Folder(title="Vault ledger"))
        vault.add("plans", Page(title="Plans", body="<p>the ledger plans</p>"))
        vault.add("inner", Folder(title="Inner")).add("deep", Page(title="Deep ledger"))
        vault.manage_permission(ACCESS, ["Manager", "Owner"], acquire=False)
        root.add("open", Page(title="Open ledger"))
        root.add("find", Script(body="return sorted(r.path for r in context.search(text='led' + 'ger'))"))
        root.add("listing", Template(source=(
            '<p tal:repeat="found python: context.search(text=\'led\' + \'ger\', sort_on=\'id\')"'
            ' tal:content="found/path">x</p>')))
        for name in ("find", "listing"):
            root[name].owner = "admin"
    if drained:
        drain_all(db)
    return db


# The code spells the word in two halves: an Editor's search reads code too.


def change(db, drained: bool, how) -> None:
    with objweb.site(db) as root:
        how(root)
    if drained:
        drain_all(db)


def by_python(db, app, who):
    if who is None:
        # Trusted code sees everything: an anonymous visitor's search is asked for its policy.
        with objweb.site(db) as root:
            results = find_results(root, lists_of({"text": "ledger"}),
                                   policy=policy_for(root, None))
            return sorted(result.path for result in results)
    with objweb.site(db, user=who) as root:
        return sorted(result.path for result in objweb.search(root, text="ledger"))


def by_script(db, app, who):
    return app.get("/find", headers=AUTH[who], status=200).json


def by_template(db, app, who):
    page = app.get("/listing", headers=AUTH[who], status=200)
    return sorted(found.get_text() for found in page.html.find_all("p"))


def by_search_json(db, app, who):
    answer = app.get("/@@search", params={"text": "ledger"}, headers=dict(AUTH[who], **JSON),
                     status=200).json
    paths = sorted(item["@id"].removeprefix("http://localhost") for item in answer["items"])
    assert answer["items_total"] == len(paths)
    return paths


def by_search_page(db, app, who):
    page = app.get("/@@search", params={"text": "ledger"},
                   headers=dict(AUTH[who], **BROWSER_ACCEPT), status=200)
    links = page.html.find(id="search-results")
    paths = [] if links is None else sorted(
        link["href"].removeprefix("http://localhost") for link in links.find_all("a"))
    assert page.html.find(id="search-count").get_text() == f"{len(paths)} found"
    return paths


def by_find_tab(db, app, who):
    if who in (None, "alice"):
        return None  # the management screens are for Editors and Managers
    page = app.get("/manage_find", params={"search": "1", "text": "ledger"}, headers=AUTH[who],
                   status=200)
    table = page.html.find(id="find-results")
    return [] if table is None else sorted(row.td.get_text() for row in table.tbody("tr"))


DOORS = [by_python, by_script, by_template, by_search_json, by_search_page, by_find_tab]


def assert_found(db, door, expected: dict) -> None:
    """Each user finds what `expected` says through `door` (the Find tab: who may use it)."""
    app = TestApp(objweb.make_app(db))
    for who, paths in expected.items():
        found = door(db, app, who)
        if found is not None:
            assert found == paths, (door.__name__, who)


@pytest.mark.parametrize("door", DOORS)
def test_a_closed_folder_hides_its_items_from_all_but_managers(site, door):
    assert_found(site, door, {None: OUTSIDE, "alice": OUTSIDE, "editor": OUTSIDE,
                              "admin": EVERYTHING})


@pytest.mark.parametrize("door", DOORS)
def test_a_local_role_granting_access_there_opens_it_for_its_holder(site, drained, door):
    def grant(root):
        root["vault"].manage_setLocalRoles("alice", ["Owner"])
        root["vault"].manage_setLocalRoles("editor", ["Owner"])
    change(site, drained, grant)
    assert_found(site, door, {None: OUTSIDE, "alice": EVERYTHING, "editor": EVERYTHING})


@pytest.mark.parametrize("door", DOORS)
def test_opening_the_folder_again_shows_its_items(site, drained, door):
    change(site, drained, lambda root: root["vault"].manage_permission(ACCESS, [], acquire=True))
    assert_found(site, door, {None: EVERYTHING, "alice": EVERYTHING, "editor": EVERYTHING})


@pytest.mark.parametrize("door", DOORS)
def test_a_block_of_local_roles_closes_the_folder_again(site, drained, door):
    def grant_above(root):
        root.manage_setLocalRoles("alice", ["Owner"])
        root.manage_setLocalRoles("editor", ["Owner"])
    change(site, drained, grant_above)
    assert_found(site, door, {None: OUTSIDE, "alice": EVERYTHING, "editor": EVERYTHING})
    change(site, drained, lambda root: set_block_local_roles(root["vault"], True))
    assert_found(site, door, {None: OUTSIDE, "alice": OUTSIDE, "editor": OUTSIDE})


@pytest.mark.parametrize("door", DOORS)
def test_an_item_moved_out_of_the_closed_folder_is_found(site, drained, door):
    change(site, drained, lambda root: root["vault"].move("inner", root))
    assert_found(site, door, {None: ["/inner/deep", *OUTSIDE],
                              "alice": ["/inner/deep", *OUTSIDE],
                              "admin": ["/inner/deep", "/open", "/vault", "/vault/plans"]})
