"""One request, one transaction: commit, abort, conflicts retried with the body replayed, 500s."""

import logging
import re
import threading
import time
import warnings

import pytest
import webob
from ZEO.Exceptions import ClientDisconnected

import objweb
from objweb import File, Folder, ValidationError
from objweb.content import Item
from objweb.content.site import site_root
from objweb.events import ObjectAdded, subscribe, unsubscribe
from objweb.security.protections import PUBLIC
from objweb.web.files import file_response
from support import ADMIN_AUTH

# Long enough for a thread to get as far as it can; the write gate gives up
# waiting after PATIENCE, so no test waits longer even when it fails.
SETTLE = 0.2
PATIENCE = 5.0


class Counter(Item):
    """A persistent counter without conflict resolution: concurrent writes conflict."""

    type_name = "Counter"
    value = 0


def make_counter(db, name="counter"):
    with objweb.site(db) as root:
        root[name] = Counter()


def bump_elsewhere(db, amount=100):
    """Commit a change to the counter from a second connection and transaction manager."""
    with db.transaction() as connection:
        site_root(connection)["counter"].value += amount


def read_counter(db):
    with objweb.site(db) as root:
        return root["counter"].value


def conflicting_view(db, bodies, conflicts):
    """A view that records the body it got, then loses the race `conflicts[0]` times."""
    def bump(obj, request):
        bodies.append((request.body, request.POST.get("n")))
        obj.value += int(request.POST["n"])
        if conflicts[0]:
            conflicts[0] -= 1
            bump_elsewhere(db)
        return webob.Response("bumped")
    return bump


def test_a_conflict_is_retried_with_the_body_replayed(app_with, test_views, db, caplog):
    make_counter(db)
    bodies, conflicts = [], [2]
    test_views.register(Counter, "bump", conflicting_view(db, bodies, conflicts),
                        action=PUBLIC, methods=("POST",))
    caplog.set_level(logging.INFO, "objweb.publisher")
    response = app_with(test_views).post("/counter/@@bump", {"n": "7"}, status=200)
    assert response.text == "bumped"
    assert bodies == [(b"n=7", "7")] * 3
    assert read_counter(db) == 200 + 7
    assert caplog.text.count("retrying POST /counter/@@bump after ConflictError") == 2


def test_conflicts_are_retried_three_times_then_503(app_with, test_views, db, caplog):
    make_counter(db)
    bodies, conflicts = [], [99]
    test_views.register(Counter, "bump", conflicting_view(db, bodies, conflicts),
                        action=PUBLIC, methods=("POST",))
    response = app_with(test_views).post("/counter/@@bump", {"n": "1"}, status=503)
    assert response.headers["Retry-After"] == "1"
    assert "<p>The site is busy with conflicting changes; try again.</p>" in response.text
    assert len(bodies) == 4 and set(bodies) == {(b"n=1", "1")}
    assert read_counter(db) == 400
    assert [record.getMessage() for record in caplog.records
            if record.levelno == logging.WARNING and record.name == "objweb.publisher"] == [
        "giving up POST /counter/@@bump after 4 attempts: conflict retries exhausted"]


def test_a_lost_database_is_retried_then_answers_503_saying_so(app_with, test_views, db, caplog):
    """A transient error that is no conflict (here ZEO's, with the client back
    by the time it is seen) is replayed too, and ends in a 503 that names the
    database rather than a conflict."""
    make_counter(db)
    calls = []

    def lose_server(obj, request):
        calls.append(request.path)
        raise ClientDisconnected("the ZEO server went away")
    test_views.register(Counter, "lose", lose_server, action=PUBLIC, methods=("POST",))
    caplog.set_level(logging.INFO, "objweb.publisher")
    response = app_with(test_views).post("/counter/@@lose", status=503)
    assert "The database is not answering" in response.text
    assert response.headers["Retry-After"] == "1"
    assert len(calls) == 4
    assert [record.getMessage() for record in caplog.records if record.levelno == logging.INFO
            ] == [f"retrying POST /counter/@@lose after ClientDisconnected (retry {n} of 3)"
                  for n in (1, 2, 3)]
    assert "giving up" not in caplog.text
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
            ] == ["the database is not answering: ClientDisconnected: the ZEO server went away"]


class ServerLostAt:
    """A resource manager whose server goes away in one phase of the commit, as a
    ZEO server killed then does; it sorts after the database, which by the
    second phase (`tpc_finish`) has committed."""

    def __init__(self, manager, phase: str):
        self.transaction_manager = manager
        self.phase = phase

    def sortKey(self):  # noqa: N802 (the transaction package's name)
        return "~ after the database"

    def tpc_vote(self, txn):
        self.lose("tpc_vote")

    def tpc_finish(self, txn):
        self.lose("tpc_finish")

    def lose(self, phase):
        if phase == self.phase:
            raise ClientDisconnected(f"the ZEO server went away during {phase}")

    def abort(self, txn):
        pass

    tpc_begin = commit = tpc_abort = abort


def bump_losing_the_server(calls: list, phase: str):
    """A view that adds one to the counter; its first commit loses the server in `phase`."""
    def bump(obj, request):
        calls.append(request.path)
        obj.value += 1
        if len(calls) == 1:
            manager = request.connection.transaction_manager
            manager.get().join(ServerLostAt(manager, phase))
        return webob.Response("bumped")
    return bump


def test_a_database_lost_during_the_commit_is_not_replayed(app_with, test_views, db, caplog):
    make_counter(db)
    calls = []
    test_views.register(Counter, "bump", bump_losing_the_server(calls, "tpc_finish"),
                        action=PUBLIC, methods=("POST",))
    response = app_with(test_views).post("/counter/@@bump", status=503)
    assert "it may or may not have been kept" in response.text
    assert response.headers["Retry-After"] == "1"
    # The change was kept: a replay would have made it twice.
    assert len(calls) == 1 and read_counter(db) == 1
    assert ("the database is not answering during the commit of POST /counter/@@bump: "
            "ClientDisconnected") in caplog.text


def test_a_database_lost_before_the_vote_ends_is_replayed(app_with, test_views, db):
    make_counter(db)
    calls = []
    test_views.register(Counter, "bump", bump_losing_the_server(calls, "tpc_vote"),
                        action=PUBLIC, methods=("POST",))
    assert app_with(test_views).post("/counter/@@bump", status=200).text == "bumped"
    # Nothing of the first attempt was kept, so the replay counted once.
    assert len(calls) == 2 and read_counter(db) == 1


def test_the_number_of_retries_is_a_setting(app_with, test_views, db):
    make_counter(db)
    bodies, conflicts = [], [99]
    test_views.register(Counter, "bump", conflicting_view(db, bodies, conflicts),
                        action=PUBLIC, methods=("POST",))
    app = app_with(test_views, objweb.Settings(conflict_retries=0, retry_after=7))
    response = app.post("/counter/@@bump", {"n": "1"},
                        headers={"Accept": "application/json"}, status=503)
    assert response.headers["Retry-After"] == "7" and "conflicting" in response.json["error"]
    assert len(bodies) == 1


def test_a_conflict_while_serving_a_file_closes_it(app_with, test_views, db):
    make_counter(db)
    with objweb.site(db) as root:
        root["data"] = File(data=b"bytes")
    conflicts, streams = [1], []

    def serve(obj, request):
        site_root(request.connection)["counter"].value += 1
        if conflicts[0]:
            conflicts[0] -= 1
            bump_elsewhere(db)
        response = file_response(obj, request)
        streams.append(response.app_iter.stream)
        return response
    test_views.register(File, "serve", serve, action=PUBLIC)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        assert app_with(test_views).get("/data/@@serve", status=200).body == b"bytes"
    assert read_counter(db) == 101
    # Only the publisher can close the first: it never reached the server.
    assert len(streams) == 2 and streams[0].closed


def test_a_refusal_aborts_what_the_view_changed(app_with, test_views, db):
    make_counter(db)

    def half_done(obj, request):
        obj.value = 5
        raise ValidationError("refused after a change")
    test_views.register(Counter, "half", half_done, action=PUBLIC, methods=("POST",))
    response = app_with(test_views).post("/counter/@@half", status=400)
    assert "refused after a change" in response.text
    assert read_counter(db) == 0


@pytest.mark.parametrize("status", [400, 418])
def test_an_error_answer_from_a_view_aborts_too(app_with, test_views, db, status):
    make_counter(db)

    def refuse(obj, request):
        obj.value = 5
        return webob.Response("no", status=status)
    test_views.register(Counter, "refuse", refuse, action=PUBLIC, methods=("POST",))
    app_with(test_views).post("/counter/@@refuse", status=status)
    assert read_counter(db) == 0


def test_a_bug_is_500_with_an_incident_id_logged_with_its_traceback(app_with, test_views, db,
                                                                   caplog):
    make_counter(db)

    def broken(obj, request):
        obj.value = 9
        raise RuntimeError("secret detail of the bug")
    test_views.register(Counter, "broken", broken, action=PUBLIC)
    app = app_with(test_views)
    response = app.get("/counter/@@broken", status=500)
    incident = re.search(r"incident ([0-9a-f]{12})", response.text).group(1)
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    [record] = [r for r in caplog.records if incident in r.getMessage()]
    assert record.levelno == logging.ERROR and record.exc_info[0] is RuntimeError
    assert "secret detail of the bug" in caplog.text and "Traceback" in caplog.text
    as_json = app.get("/counter/@@broken", headers={"Accept": "application/json"}, status=500)
    assert set(as_json.json) == {"error", "incident"}
    assert "secret" not in as_json.text
    assert read_counter(db) == 0


class ClosableBody(list):
    """A response body that notes whether the publisher closed it."""

    closed = False

    def close(self):
        self.closed = True


def test_a_response_the_commit_fails_under_is_closed(app_with, test_views, db):
    """What the view's answer holds open (a blob being served) is let go."""
    make_counter(db)
    bodies = []

    def unstorable(obj, request):
        obj.callback = lambda: None  # no pickle for a lambda: the commit fails
        bodies.append(ClosableBody([b"looks fine"]))
        return webob.Response(app_iter=bodies[-1])
    test_views.register(Counter, "unstorable", unstorable, action=PUBLIC, methods=("POST",))
    app_with(test_views).post("/counter/@@unstorable", status=500)
    assert bodies[0].closed


def test_a_failed_commit_is_500_and_keeps_nothing(app_with, test_views, db, caplog):
    make_counter(db)

    def unstorable(obj, request):
        obj.value = 3
        obj.callback = lambda: None  # no pickle for a lambda: the commit fails
        return webob.Response("looks fine")
    test_views.register(Counter, "unstorable", unstorable, action=PUBLIC, methods=("POST",))
    app = app_with(test_views)
    response = app.post("/counter/@@unstorable", status=500)
    assert "incident" in response.text and "looks fine" not in response.text
    assert "Traceback" in caplog.text
    assert read_counter(db) == 0
    assert app.get("/counter", headers={"Accept": "application/json"}, status=200).json[
        "@type"] == "Counter"


class HeldWrite:
    """A write held open (`@@hold`) and a write that conflicts once (`@@bump`).

    `attempts` lists each attempt of the bump with whether the held write was
    still in at the time.
    """

    def __init__(self, db, test_views):
        self.db = db
        self.holding, self.release = threading.Event(), threading.Event()
        self.held = False
        self.attempts = []
        test_views.register(Counter, "hold", self.hold, action=PUBLIC, methods=("POST",))
        test_views.register(Counter, "bump", self.bump, action=PUBLIC, methods=("POST",))

    def hold(self, obj, request):
        self.held = True
        self.holding.set()
        self.release.wait(PATIENCE)
        self.held = False
        return webob.Response("held")

    def bump(self, obj, request):
        self.attempts.append((request.environ["objweb.attempts"], self.held))
        obj.value += 1
        if len(self.attempts) == 1:
            bump_elsewhere(self.db)
        return webob.Response("bumped")

    def start_holding(self, app) -> threading.Thread:
        holder = threading.Thread(target=app.post, args=("/counter/@@hold",), daemon=True)
        holder.start()
        assert self.holding.wait(PATIENCE)
        return holder


def test_a_replay_waits_for_the_writes_under_way_and_reads_never_wait(app_with, test_views,
                                                                      db):
    """Writes go in side by side; the replay of one that conflicted goes in alone, once
    the writes under way have ended; reads take no part in the gate."""
    make_counter(db)
    race = HeldWrite(db, test_views)
    app = app_with(test_views, objweb.Settings(replay_wait=PATIENCE))
    holder = race.start_holding(app)
    bumper = threading.Thread(target=app.post, args=("/counter/@@bump",), daemon=True)
    bumper.start()
    deadline = time.monotonic() + PATIENCE
    while not race.attempts and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(SETTLE)
    # The first attempt went in beside the held write; its replay waits for it.
    assert race.attempts == [(1, True)]
    started = time.monotonic()
    assert app.get("/counter", headers={"Accept": "application/json"}, status=200)
    assert time.monotonic() - started < PATIENCE / 2
    race.release.set()
    holder.join(PATIENCE)
    bumper.join(PATIENCE)
    assert race.attempts == [(1, True), (2, False)]
    assert read_counter(db) == 101


def test_a_file_put_again_after_a_conflict_keeps_every_byte(app, db):
    """The replay reads the body from its start, as the first attempt did."""
    with objweb.site(db) as root:
        root["box"] = Folder(title="Box")
    data = bytes(range(256)) * 64
    conflicts = [1]

    def change_the_folder_here_and_elsewhere(event):
        if conflicts[0]:
            conflicts[0] -= 1
            event.object.__parent__.title = "here"
            with db.transaction() as connection:
                site_root(connection)["box"].title = "elsewhere"
    subscribe(ObjectAdded, change_the_folder_here_and_elsewhere)
    try:
        app.put("/box/data.bin", data, headers={
            **ADMIN_AUTH, "Content-Type": "application/octet-stream"}, status=201)
    finally:
        unsubscribe(ObjectAdded, change_the_folder_here_and_elsewhere)
    with objweb.site(db) as root:
        assert root["box"].title == "elsewhere"
        assert root["box"]["data.bin"].data == data


def test_a_database_that_cannot_be_opened_answers_503_and_says_why_in_the_log(app, db,
                                                                              caplog):
    db.close()
    response = app.get("/", headers={"Accept": "application/json"}, status=503)
    assert response.json == {"error": "The database is not answering; try again shortly."}
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage().startswith("the database is not answering: ")
    assert record.getMessage() != "the database is not answering: NoneType: None"


def test_a_replay_that_runs_out_of_patience_goes_in_beside_the_writes(app_with, test_views,
                                                                      db):
    make_counter(db)
    race = HeldWrite(db, test_views)
    app = app_with(test_views, objweb.Settings(replay_wait=SETTLE))
    holder = race.start_holding(app)
    try:
        assert app.post("/counter/@@bump", status=200).text == "bumped"
    finally:
        race.release.set()
        holder.join(PATIENCE)
    # The replay waited its patience out, then went in while the long write was held.
    assert race.attempts == [(1, True), (2, True)]
