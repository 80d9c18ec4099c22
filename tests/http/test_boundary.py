"""The error boundary and the batching helpers, each answer checked on its own."""

import logging
import re

import pytest
import webob.exc
import ZODB
from ZODB.POSException import UndoError
from webtest import TestApp

import objweb
from objweb import File, Folder
from objweb.errors import (
    AccessDenied, Forbidden, LimitExceededError, StorageError, Unauthorized)
from objweb.sandbox.failures import CodeError
from objweb.security.policy import Decision
from objweb.web.batching import Batch, batch_of
from objweb.web.boundary import problem_for
from objweb.web.request import Request
from support import ADMIN_AUTH, ADMIN_PASSWORD


def test_a_storage_error_is_an_incident_that_says_what_the_database_cannot_do(caplog):
    error = StorageError("this database keeps no blobs")
    problem = problem_for(error)
    assert problem.status == 500 and problem.incident
    assert problem.message == (f"The database cannot do this: this database keeps no blobs "
                               f"(incident {problem.incident})")
    [record] = caplog.records
    assert record.getMessage() == f"incident {problem.incident}: this database keeps no blobs"
    assert record.exc_info[1] is error


def test_a_bare_denial_is_403():
    assert problem_for(AccessDenied("no")).status == 403


@pytest.mark.parametrize("error, status, message", [
    (Unauthorized("no"), 401, "Log in to see this."),
    (Forbidden("no"), 403, "You are not allowed to do this here."),
    (AccessDenied("no"), 403, "You are not allowed to do this here."),
], ids=["unauthorized", "forbidden", "bare"])
def test_a_denial_tells_the_client_what_it_may_do_and_the_log_why(caplog, error, status,
                                                                    message):
    error.decision = Decision(False, "View", "/closed", frozenset({"Manager"}),
                              frozenset({"Anonymous"}), None)
    with caplog.at_level(logging.INFO, logger="objweb.security"):
        problem = problem_for(error)
    assert (problem.status, problem.message) == (status, message)
    assert [record.getMessage() for record in caplog.records] == [
        "denied: Anonymous on /closed needs 'View' (roles ['Manager']), holds ['Anonymous']"]


def test_a_file_posted_to_a_database_without_blobs_is_kept_and_served():
    db = ZODB.DB(None)
    try:
        objweb.bootstrap(db, admin="admin", password=ADMIN_PASSWORD)
        app = TestApp(objweb.make_app(db))
        app.post_json("/", {"@type": "File", "id": "f", "data": "eA=="},
                      headers=ADMIN_AUTH, status=201)
        assert app.get("/f", status=200).body == b"x"
    finally:
        db.close()


def test_put_on_a_file_without_a_type_keeps_its_type(app, db):
    with objweb.site(db) as root:
        root["f"] = File(data=b"old", content_type="text/csv")
    app.request("/f", method="PUT", body=b"a,b", headers=ADMIN_AUTH, status=204)
    with objweb.site(db) as root:
        assert root["f"].content_type == "text/csv" and root["f"].data == b"a,b"


def test_batches_of_a_plain_mapping_are_sliced_from_its_keys():
    class Names(dict):
        def keys(self):
            return sorted(super().keys())
    batch = batch_of(Names(a=1, b=2, c=3), 1, 5)
    assert batch == Batch(1, 5, 3, ("b", "c"))
    assert batch.next_start is None and batch.previous_start == 0


def test_a_note_without_a_connection_is_dropped():
    request = Request.blank("/")
    request.note("nothing to note on")
    assert request.connection is None


def test_a_folder_batch_through_batch_of():
    folder = Folder()
    for name in "abc":
        folder.add(name, Folder())
    assert batch_of(folder, 2, 2).names == ("c",)


@pytest.mark.parametrize("error, headers", [
    (webob.exc.HTTPServiceUnavailable(headers={"Retry-After": "5"}), {"Retry-After": "5"}),
    (webob.exc.HTTPFound(location="/elsewhere"), {"Location": "/elsewhere"}),
    (webob.exc.HTTPMethodNotAllowed(headers={"Allow": "GET"}), {"Allow": "GET"}),
], ids=["Retry-After", "Location", "Allow"])
def test_an_http_error_keeps_the_headers_that_tell_the_client_what_next(error, headers):
    assert problem_for(error).headers == headers


def test_an_undo_that_later_changes_stand_in_the_way_of_is_409():
    problem = problem_for(UndoError("conflict"))
    assert (problem.status, problem.message) == (
        409, "Later changes stand in the way of this undo; reload the Undo tab and try again.")


def test_a_limit_exceeded_is_503_to_retry_later_and_logged(caplog):
    error = LimitExceededError("the Script at /x ran past its time budget")
    error.detail = "Script /x, line 2"
    with caplog.at_level(logging.WARNING, logger="objweb"):
        problem = problem_for(error)
    assert (problem.status, problem.message, problem.headers, problem.detail) == (
        503, "the Script at /x ran past its time budget", {"Retry-After": "10"},
        "Script /x, line 2")
    assert [record.getMessage() for record in caplog.records] == [
        "the Script at /x ran past its time budget"]


def test_a_limit_exceeded_without_a_detail_is_503_without_one():
    problem = problem_for(LimitExceededError("the import ran past its time budget"))
    assert (problem.status, problem.message, problem.detail) == (
        503, "the import ran past its time budget", None)


def test_a_failure_of_code_is_an_incident_with_its_detail(caplog):
    problem = problem_for(CodeError("The Script at /x failed.", detail="ValueError: v"))
    assert re.fullmatch(r"The Script at /x failed\. It has been logged\. "
                        r"\(incident [0-9a-f]{12}\)", problem.message)
    assert (problem.status, problem.detail) == (500, "ValueError: v")
    assert [record.getMessage() for record in caplog.records] == [
        f"incident {problem.incident}: The Script at /x failed."]
