"""GET /@@diagnostics: this process's incidents, slowest requests and conflicts, for Managers."""

import re
import time

import pytest
import webob
from ZODB.POSException import ConflictError
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script
from objweb.content.site import site_root
from objweb.security.protections import PUBLIC
from objweb.web.config import Settings
from objweb.web.diagnostics import (
    MAX_SUMMARY, MAX_TRACEBACK, Diagnostics, describe_error, located_path, oid_text)

from support import ADMIN, ADMIN_AUTH, basic_auth

JSON = {"Accept": "application/json"}
EDITOR_AUTH = basic_auth("ed", "ed-pw")


@pytest.fixture
def news(db):
    with objweb.site(db, user=ADMIN) as root:
        root["news"] = Folder(title="News")
        root["news"]["hot"] = Page(title="Hot", body="<p>0</p>")
        root["news"]["broken"] = Script(title="Broken", body="return 1 / 0")
        root["acl_users"].add_user("ed", "ed-pw", roles=["Editor"])
    return db


def diagnostics_of(app) -> dict:
    return app.get("/@@diagnostics", headers=ADMIN_AUTH, status=200).json


def incident_id(response) -> str:
    return re.search(r"incident ([0-9a-f]{12})", response.text).group(1)


def retitle_elsewhere(db, title: str) -> None:
    """Another writer changes the hot page in a transaction of its own."""
    with db.transaction() as connection:
        site_root(connection)["news"]["hot"].title = title


def racing_view(db, losses: list):
    """A view that changes the hot page while another writer does too, `losses[0]` times."""
    def race(page, request):
        page.title = "mine"
        if losses[0]:
            losses[0] -= 1
            retitle_elsewhere(db, f"theirs {losses[0]}")
        return webob.Response("raced")
    return race


def test_a_forced_500_is_an_incident_with_its_id_traceback_user_path_and_time(app, news):
    response = app.get("/news/broken", headers=ADMIN_AUTH, status=500)
    incident = incident_id(response)
    assert "Traceback" not in response.text
    [found] = diagnostics_of(app)["incidents"]
    assert found["id"] == incident
    assert found["user"] == ADMIN and found["method"] == "GET"
    assert found["path"] == "/news/broken"
    assert "ZeroDivisionError" in found["error"]
    assert found["traceback"].startswith("Traceback (most recent call last)")
    assert "ZeroDivisionError" in found["traceback"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", found["time"])


def test_an_anonymous_500_names_no_user_and_keeps_no_query(app, news):
    app.get("/news/broken?password=hunter2", status=500)
    [found] = diagnostics_of(app)["incidents"]
    assert found["user"] is None and found["path"] == "/news/broken"
    assert "hunter2" not in app.get("/@@diagnostics", headers=ADMIN_AUTH, status=200).text


def test_incidents_are_bounded_newest_first_and_counted(news):
    app = TestApp(objweb.Application(news, Settings(diagnostics_incidents=2)))
    ids = [incident_id(app.get("/news/broken", headers=ADMIN_AUTH, status=500))
           for _ in range(3)]
    report = diagnostics_of(app)
    assert [found["id"] for found in report["incidents"]] == ids[:0:-1]
    assert report["totals"]["incidents"] == 3


def test_a_conflict_storm_on_one_object_shows_its_path_class_retries_and_503s(
        app_with, test_views, news):
    losses = [2]
    test_views.register(Page, "race", racing_view(news, losses), action=PUBLIC,
                        methods=("POST",))
    app = app_with(test_views)
    app.post("/news/hot/@@race", status=200)
    losses[0] = 99
    app.post("/news/hot/@@race", status=503)
    report = diagnostics_of(app)
    [hot] = report["conflicts"]
    assert hot["class"] == "objweb.content.page.Page" and hot["path"] == "/news/hot"
    assert (hot["conflicts"], hot["retries"], hot["unavailable"]) == (6, 5, 1)
    assert hot["last_request"] == "POST /news/hot/@@race" and hot["oid"].startswith("0x")
    assert {key: report["totals"][key] for key in ("conflicts", "retries", "unavailable")} == {
        "conflicts": 6, "retries": 5, "unavailable": 1}
    attempts = {(timing["status"], timing["attempts"]) for timing in report["slowest_requests"]
                if timing["path"] == "/news/hot/@@race"}
    assert attempts == {(200, 3), (503, 4)}


def test_the_objects_counted_are_bounded_keeping_the_latest(app_with, test_views, news):
    with objweb.site(news) as root:
        root["news"]["cold"] = Page(title="Cold")

    def race_cold(page, request):
        page.title = "mine"
        if request.environ["objweb.attempts"] == 1:
            with news.transaction() as connection:
                site_root(connection)["news"]["cold"].title = "theirs"
        return webob.Response("raced")
    test_views.register(Page, "race", race_cold, action=PUBLIC, methods=("POST",))
    losses = [1]
    test_views.register(Page, "race_hot", racing_view(news, losses), action=PUBLIC,
                        methods=("POST",))
    app = app_with(test_views, Settings(diagnostics_objects=1))
    app.post("/news/hot/@@race_hot", status=200)
    app.post("/news/cold/@@race", status=200)
    report = diagnostics_of(app)
    assert [hot["path"] for hot in report["conflicts"]] == ["/news/cold"]
    assert report["totals"]["conflicts"] == 2


def test_the_slowest_requests_are_sorted_bounded_and_name_status_and_user(news):
    app = TestApp(objweb.Application(news, Settings(diagnostics_requests=3)))
    app.get("/news/hot", status=200)
    app.get("/news/missing", status=404)
    app.get("/news/hot", headers=ADMIN_AUTH, status=200)
    report = diagnostics_of(app)
    slowest = report["slowest_requests"]
    seconds = [timing["seconds"] for timing in slowest]
    assert seconds == sorted(seconds, reverse=True)
    # The last three requests: the report's own request is timed once it is answered.
    assert sorted((timing["path"], timing["status"], timing["user"] or "")
                  for timing in slowest) == [
        ("/news/hot", 200, ""), ("/news/hot", 200, ADMIN), ("/news/missing", 404, "")]
    assert report["totals"]["requests"] == 3
    assert set(report["process"]) == {"host", "pid", "started"}


def test_a_request_refused_before_publishing_is_timed_too_under_its_full_path(news):
    app = TestApp(objweb.Application(news, Settings()),
                  extra_environ={"SCRIPT_NAME": "/mount"})
    started = time.perf_counter()
    app.get("/news/hot", status=200)
    app.get("/" + "a" * 9000, status=414)
    elapsed = time.perf_counter() - started
    slowest = diagnostics_of(app)["slowest_requests"]
    assert sorted((timing["method"], timing["path"][:12], timing["status"], timing["attempts"])
                  for timing in slowest) == [
        ("GET", "/mount/aaaaa", 414, 1), ("GET", "/mount/news/", 200, 1)]
    assert all(0 <= timing["seconds"] <= elapsed for timing in slowest)


def test_a_request_whose_server_omits_the_empty_path_variables_is_timed(news):
    """WSGI lets a server leave out SCRIPT_NAME and PATH_INFO when they are empty."""
    application = objweb.Application(news, Settings())
    request = webob.Request.blank("/")
    del request.environ["SCRIPT_NAME"], request.environ["PATH_INFO"]
    assert request.get_response(application).status_int == 200
    [timing] = diagnostics_of(TestApp(application))["slowest_requests"]
    assert (timing["method"], timing["path"], timing["status"]) == ("GET", "", 200)


def test_only_a_manager_of_the_root_reads_the_diagnostics(app, news):
    app.get("/@@diagnostics", headers=JSON, status=401)
    app.get("/@@diagnostics", headers=EDITOR_AUTH, status=403)
    app.get("/news/@@diagnostics", headers=ADMIN_AUTH, status=404)
    response = app.get("/@@diagnostics", headers=ADMIN_AUTH, status=200)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_diagnostics_are_each_processs_own(news):
    first, second = (TestApp(objweb.Application(news)) for _ in range(2))
    first.get("/news/broken", headers=ADMIN_AUTH, status=500)
    assert len(diagnostics_of(first)["incidents"]) == 1
    assert diagnostics_of(second)["incidents"] == []


def test_an_object_outside_the_tree_or_gone_has_no_path(news):
    connection = news.open()
    try:
        root = site_root(connection)
        items = root["news"]._items  # a folder's B-tree: persistent, and in no path
        assert located_path(connection, root, items._p_oid) is None
        assert located_path(connection, root, None) is None
        assert located_path(connection, root, b"\x7f" * 8) is None
        assert located_path(connection, root, root["news"]["hot"]._p_oid) == "/news/hot"
    finally:
        connection.close()


def test_a_long_error_keeps_the_end_of_its_traceback_and_the_start_of_its_summary():
    try:
        raise ValueError("the bottom " + "x" * MAX_TRACEBACK)
    except ValueError as error:
        summary, text = describe_error(error)
    assert summary.startswith("ValueError: the bottom x") and summary.endswith("…")
    assert len(summary) <= MAX_SUMMARY + 1
    assert text.startswith("… (the start is cut)\n") and text.endswith("xxx\n")
    assert len(text) == len("… (the start is cut)\n") + MAX_TRACEBACK
    assert Diagnostics(incidents=1).incident("nope") is None


def test_a_conflict_that_names_no_object_is_counted_by_its_kind():
    diagnostics = Diagnostics(objects=5)
    diagnostics.record_conflict(ConflictError(), "POST /x", retried=True)
    [count] = diagnostics.report().conflicts
    assert (count.oid, count.class_name, count.conflicts, count.retries) == (
        None, "ConflictError", 1, 1)
    assert oid_text(count.oid) == ""
