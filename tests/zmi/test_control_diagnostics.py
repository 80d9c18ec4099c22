"""The Control panel's diagnostics: incidents, slowest requests and conflicts, for Managers."""

import re

import pytest
import webob
from webtest import TestApp

import objweb
from objweb import Page, Script
from objweb.app import configure
from objweb.content.site import site_root
from objweb.security.protections import PUBLIC
from objweb.traversal.views import ViewRegistry

from support import ADMIN, ADMIN_AUTH


@pytest.fixture
def broken(site):
    site(lambda root: root.add("broken", Script(title="Broken", body="return 1 / 0")))


def text_of(element) -> str:
    """Return an element's text with its white space made single spaces."""
    return " ".join(element.get_text().split())


def incident_of(client) -> str:
    return re.search(r"incident ([0-9a-f]{12})", client.get("/broken", status=500).text).group(1)


def test_a_500_shows_in_the_incidents_with_its_traceback(manager, broken):
    incident = incident_of(manager)
    page = manager.get("/manage_control")
    found = page.html.select_one(f"#incident-{incident}")
    assert found.name == "details" and not found.has_attr("open")
    summary = text_of(found.select_one("summary"))
    assert incident in summary and "GET /broken" in summary and ADMIN in summary
    assert "ZeroDivisionError" in found.select_one("pre.traceback").get_text()
    assert "1 since it started" in text_of(page.html.select_one("#incidents"))


def test_asking_for_an_incident_opens_it(manager, broken):
    incident = incident_of(manager)
    page = manager.get(f"/manage_control?incident={incident}")
    assert page.html.select_one(f"#incident-{incident}").has_attr("open")
    assert page.html.select_one("#incident-id")["value"] == incident
    assert page.html.select_one("#incidents .notice") is None


def test_asking_for_an_incident_this_process_does_not_keep_says_so(manager, broken):
    page = manager.get("/manage_control?incident=0123456789ab")
    notice = text_of(page.html.select_one("#incidents .notice"))
    assert "keeps no incident 0123456789ab" in notice and "event log" in notice


def test_an_empty_panel_says_there_was_nothing(manager):
    page = manager.get("/manage_control")
    assert "No incident since this process started." in page.text
    assert "No conflict since this process started." in page.text
    requests = page.html.select("#slowest tbody tr")
    # The login and the token's page came before: each request is timed once answered.
    assert requests and all(len(row.select("td")) == 6 for row in requests)


def test_an_editor_sees_the_figures_but_no_diagnostics(editor, db):
    with objweb.site(db, user=ADMIN) as root:
        root.add("broken", Script(title="Broken", body="return 1 / 0"))
    page = editor.get("/manage_control")
    assert page.html.select_one("#db-title") is not None
    assert page.html.select_one("#incidents") is None
    assert page.html.select_one("#slowest") is None and page.html.select_one("#conflicts") is None


def test_the_conflicts_name_the_hot_object_and_the_slowest_requests_its_attempts(db, site):
    site(lambda root: root.add("hot", Page(title="Hot")))
    losses = [2]

    def race(page, request):
        page.title = "mine"
        if losses[0]:
            losses[0] -= 1
            with db.transaction() as connection:
                site_root(connection)["hot"].title = "theirs"
        return webob.Response("raced")
    registry = configure(ViewRegistry())
    registry.register(Page, "race", race, action=PUBLIC, methods=("POST",))
    app = TestApp(objweb.Application(db, None, registry))
    app.post("/hot/@@race", status=200)
    page = app.get("/manage_control", headers=ADMIN_AUTH, status=200)
    [row] = page.html.select("#conflicts tbody tr")
    cells = [text_of(cell) for cell in row.select("td")]
    assert cells[0].startswith("/hot (oid 0x")
    assert cells[1:5] == ["objweb.content.page.Page", "2", "2", "0"]
    assert cells[5].endswith("POST /hot/@@race")
    raced = [row for row in page.html.select("#slowest tbody tr")
             if "POST /hot/@@race" in row.get_text()]
    assert [row.select("td")[5].get_text() for row in raced] == ["3"]


def test_an_incident_of_code_shows_where_the_code_failed(manager, broken):
    incident = incident_of(manager)
    found = manager.get("/manage_control").html.select_one(f"#incident-{incident}")
    detail = found.select_one("pre.incident-detail").get_text()
    assert "line 1" in detail and "return 1 / 0" in detail
