"""The Undo tab on a FileStorage: history with paths, filters, undo, and blocked undos."""

import pytest
import transaction
import ZODB
from webtest import TestApp

import objweb
from objweb import File, Folder, Page
from objweb.app import configure
from objweb.content.chunks import CHUNK_SIZE
from objweb.storage import history, records, undo
from objweb.traversal.views import ViewRegistry
from support import ADMIN, ADMIN_PASSWORD, basic_auth, basic_csrf_token


@pytest.fixture
def news(file_db, file_manager):
    with objweb.site(file_db, user="admin") as root:
        news = root.add("news", Folder(title="News"))
        news.add("alpha", Page(title="Alpha"))
        news.add("beta", Page(title="Beta"))
        root.add("other", Folder())
    return "/news/manage_undo"


def read(file_db, function):
    connection = file_db.open(transaction_manager=transaction.TransactionManager())
    try:
        return function(connection.root()["objweb"])
    finally:
        connection.close()


def rows(page):
    table = page.html.find("table", class_="history")
    return [] if table is None else table.tbody.find_all("tr")


def test_memory_storage_says_it_keeps_no_history(manager):
    page = manager.get("/manage_undo")
    assert "This database keeps no" in page.text
    assert page.html.find(id="undo-form") is None


def test_a_delete_is_listed_with_its_paths_and_undone(file_manager, file_db, news):
    file_manager.post("/news/manage_contents", {"command": "delete", "names": "alpha"})
    page = file_manager.get(news)
    first = rows(page)[0]
    cells = [cell.get_text(" ", strip=True) for cell in first.find_all("td")]
    assert cells[2] == "admin"
    assert "Deleted 'alpha' from /news" in cells[3]
    assert "/news/manage_contents" in cells[3]
    assert "/news/alpha (since removed)" in cells[4] and "/news" in cells[4].split()
    undo_id = first.find("input", attrs={"name": "ids"})["value"]
    response = file_manager.post(news, {"command": "undo", "ids": undo_id, "path": "/news"})
    assert "Undid 1 transaction." in file_manager.follow(response).text
    assert read(file_db, lambda root: sorted(root["news"].keys())) == ["alpha", "beta"]


def test_an_undo_blocked_by_later_changes_names_them_and_undoes_them_together(
        file_manager, file_db, news):
    for title in ("Second", "Third"):
        file_manager.post("/news/alpha/manage_properties", {"command": "save", "title": title})
    history_rows = rows(file_manager.get(news))
    older = history_rows[1].find("input", attrs={"name": "ids"})["value"]
    page = file_manager.post(news, {"command": "undo", "ids": older}, status=409)
    blocked = page.html.find("section", class_="blocked")
    assert "Later changes stand in the way" in blocked.get_text()
    assert "/news/alpha" in blocked.find("ul").get_text()
    assert read(file_db, lambda root: root["news"]["alpha"].title) == "Third"
    together = blocked.find("form")
    ids = [field["value"] for field in together.find_all("input", attrs={"name": "ids"})]
    assert len(ids) == 2 and older in ids
    file_manager.post(news, [("command", "undo")] + [("ids", value) for value in ids])
    assert read(file_db, lambda root: root["news"]["alpha"].title) == "Alpha"


def test_the_history_of_a_folder_is_narrowed_to_it(file_manager, file_db, news):
    file_manager.post("/other/manage_properties", {"command": "save", "title": "Elsewhere"})
    file_manager.post("/news/manage_properties", {"command": "save", "title": "Here"})
    notes = [row.find_all("td")[3].get_text() for row in rows(file_manager.get(news))]
    assert any("/news" in note for note in notes)
    assert not any("/other" in note for note in notes)
    everything = file_manager.get("/manage_undo")
    assert any("/other" in row.get_text() for row in rows(everything))


def test_filtering_by_user(file_manager, file_db, news, client_for):
    with objweb.site(file_db) as root:
        root["acl_users"].add_user("ann", "pw-ann", roles=["Manager"])
    ann = client_for(file_db, "ann", "pw-ann")
    ann.post("/news/manage_properties", {"command": "save", "title": "By Ann"})
    file_manager.post("/news/manage_properties", {"command": "save", "title": "By admin"})
    page = file_manager.get("/manage_undo?user=ann")
    users = {row.find_all("td")[2].get_text() for row in rows(page)}
    assert users == {"ann"}


def test_filtering_by_date(file_manager, news):
    assert rows(file_manager.get("/manage_undo?until=1999-12-31")) == []
    assert rows(file_manager.get("/manage_undo?since=2000-01-01"))


def test_a_bad_date_is_shown(file_manager, news):
    page = file_manager.get("/manage_undo?since=yesterday")
    assert "'yesterday' is not a date" in page.text


def test_the_history_is_batched(file_manager, file_db, news):
    for number in range(22):
        with objweb.site(file_db, user="admin") as root:
            root["news"]["alpha"].edit(title=f"Title {number}")
    page = file_manager.get("/manage_undo")
    assert len(rows(page)) == 20
    older = file_manager.get(page.html.find("a", rel="next")["href"])
    assert rows(older) and older.html.find("a", rel="prev")


def test_undo_without_a_selection_is_refused(file_manager, news):
    page = file_manager.post(news, {"command": "undo"}, status=400)
    assert "tick the transactions" in page.text


@pytest.mark.parametrize("undo_id, message", [("!!", "names no transaction"),
                                              ("AAAAAAAAAAA=", "cannot be undone")])
def test_undo_of_an_unknown_transaction_is_refused(file_manager, news, undo_id, message):
    page = file_manager.post(news, {"command": "undo", "ids": undo_id}, status=400)
    assert message in page.text


def test_undo_from_a_folder_of_a_change_elsewhere_is_refused(file_manager, file_db, news):
    file_manager.post("/other/manage_properties", {"command": "save", "title": "Elsewhere"})
    undo_id = rows(file_manager.get("/manage_undo"))[0].find("input")["value"]
    page = file_manager.post(news, {"command": "undo", "ids": undo_id}, status=403)
    assert "outside /news" in page.text
    assert read(file_db, lambda root: root["other"].title) == "Elsewhere"


def test_records_held_by_objects_are_charged_to_them(file_manager, file_db, news):
    file_manager.post("/acl_users/manage_users", {"command": "add_user", "name": "carl",
                                                  "password": "carl-password",
                                                  "confirm": "carl-password"})
    connection = file_db.open(transaction_manager=transaction.TransactionManager())
    try:
        newest = history.history(connection, history.Filter(), size=1)[0][0]
        assert newest.paths == ("/acl_users",)
        assert newest.hidden == 0
        assert newest.path == "/acl_users/manage_users"
        assert newest.note == "Added the user carl to /acl_users"
    finally:
        connection.close()


def test_history_helpers():
    assert history.split_user("/a b admin") == ("/a b", "admin")
    assert history.split_description("POST /x\nnote one\nnote two") == \
        ("/x", "note one; note two")
    assert history.split_description("bootstrap") == ("", "bootstrap")
    assert history.split_description(b"") == ("", "")
    assert history.split_user(b"") == ("", "")
    assert history.is_below("/news/a (since removed)", "/news")
    assert not history.is_below("/newsroom", "/news")
    assert history.is_below("/x", "/")
    assert history.undo_id_of(history.tid_of("AAAAAAAAAAE=")) == "AAAAAAAAAAE="
    with pytest.raises(ValueError):
        history.tid_of("é")


def test_a_big_folder_and_a_big_user_folder_are_charged_their_records(file_manager, file_db):
    with objweb.site(file_db, user="admin") as root:
        big = root.add("big", Folder())
        for number in range(5000):
            big.add(f"item-{number:04d}", Page())
        for number in range(100):
            root["acl_users"].add_group(f"group-{number:03d}")
    file_manager.post("/big/manage_contents", {"command": "delete", "names": "item-2500"})
    file_manager.post("/acl_users/manage_users", {"command": "add_group",
                                                  "group_name": "group-050x"})
    connection = file_db.open(transaction_manager=transaction.TransactionManager())
    try:
        groups, delete = history.history(connection, history.Filter(), size=2)[0]
        assert (groups.paths, groups.hidden) == (("/acl_users",), 0)
        assert set(delete.paths) == {"/big", "/big/item-2500 (since removed)"}
        assert delete.hidden == 0
    finally:
        connection.close()


def test_the_history_of_a_folder_is_batched_too(file_manager, file_db, news):
    for number in range(22):
        with objweb.site(file_db, user="admin") as root:
            root["news"]["alpha"].edit(title=f"Title {number}")
            root["news"]["beta"].edit(title=f"Beta {number}")
        with objweb.site(file_db, user="admin") as root:
            root["other"].edit(title=f"Other {number}")
    page = file_manager.get(news)
    assert len(rows(page)) == 20
    assert not any("/other" in row.get_text() for row in rows(page))
    assert page.html.find("a", rel="next")


def test_undoing_two_of_three_changes_names_the_third(file_manager, file_db, news,
                                                      monkeypatch):
    for title in ("One", "Two", "Three"):
        file_manager.post("/news/alpha/manage_properties", {"command": "save", "title": title})
    ids = [row.find("input")["value"] for row in rows(file_manager.get(news))[1:3]]
    page = file_manager.post(news, [("command", "undo")] + [("ids", value) for value in ids],
                             status=409)
    blocked = page.html.find("section", class_="blocked")
    assert len(blocked.find("ul").find_all("li")) == 1
    monkeypatch.setattr(undo, "BLOCKER_SCAN_LIMIT", 0)
    page = file_manager.post(news, [("command", "undo")] + [("ids", value) for value in ids],
                             status=409)
    blocked = page.html.find("section", class_="blocked")
    assert "further back than" in blocked.get_text()
    assert blocked.find("form") is None


def test_records_the_storage_no_longer_has_have_no_place(file_db, news):
    connection = file_db.open(transaction_manager=transaction.TransactionManager())
    try:
        assert records.records_of(file_db, b"\0" * 8) == []
        placement = records.place_records(connection, b"\0" * 8, [b"\xff" * 8], "")
        assert (placement.places, placement.unplaced) == ((), 1)
        assert not placement.is_complete
    finally:
        connection.close()


def test_an_object_never_in_the_site_has_no_place(file_db, news):
    manager = transaction.TransactionManager()
    connection = file_db.open(transaction_manager=manager)
    try:
        stray = Page(title="Stray")
        connection.add(stray)
        manager.commit()
        placement = records.place_records(connection, stray._p_serial, [stray._p_oid], "")
        assert (placement.paths, placement.unplaced) == ([], 1)
    finally:
        connection.close()


def offered_ids(page) -> list[str]:
    return [box["value"] for box in page.html.find(id="undo-form").find_all(
        "input", attrs={"name": "ids", "type": "checkbox"})]


def test_an_undone_addition_can_be_redone(file_manager, file_db, news):
    file_manager.post("/news/manage_add", {"command": "add", "type": "Page", "name": "gamma",
                                           "title": "Gamma"})
    for expected in (False, True):
        newest = offered_ids(file_manager.get(news))[0]
        file_manager.post(news, {"command": "undo", "ids": newest})
        assert read(file_db, lambda root: "gamma" in root["news"]) is expected


def test_a_move_is_undone_from_above_only(file_manager, file_db, news):
    file_manager.post("/news/manage_contents", {"command": "cut", "names": "alpha"})
    file_manager.post("/other/manage_contents", {"command": "paste"})
    page = file_manager.get(news)
    assert not any("Pasted" in row.get_text() for row in rows(page))
    move = offered_ids(file_manager.get("/manage_undo"))[0]
    page = file_manager.post(news, {"command": "undo", "ids": move}, status=403)
    assert "outside /news" in page.text
    file_manager.post("/manage_undo", {"command": "undo", "ids": move})
    assert read(file_db, lambda root: ("alpha" in root["news"], "alpha" in root["other"])) == \
        (True, False)


def test_a_transaction_with_too_many_records_is_not_offered(file_manager, file_db, news,
                                                            monkeypatch):
    file_manager.post("/news/manage_contents", {"command": "delete", "names": "alpha"})
    monkeypatch.setattr(records, "RECORD_LIMIT", 1)
    page = file_manager.get("/manage_undo")
    first = rows(page)[0]
    assert first.find("input", attrs={"type": "checkbox"}) is None
    assert "too many to check" in first.get_text()
    undo_id = file_db.undoLog(0, 1)[0]["id"].decode("ascii")
    file_manager.post("/manage_undo", {"command": "undo", "ids": undo_id}, status=403)
    assert read(file_db, lambda root: "alpha" in root["news"]) is False


def test_a_files_chunks_are_charged_to_the_file():
    database = ZODB.DB(None)
    objweb.bootstrap(database, admin="admin", password="pw-admin")
    with objweb.site(database) as root:
        root.add("report", File(data=b"x" * (CHUNK_SIZE + 1), content_type="text/plain"))
    with objweb.site(database) as root:
        report = root["report"]
        held = list(records.held_records(report))
        chunk_ids = [chunk._p_oid for chunk in report._blob.chunks]
        assert held == [("_blob", report._blob._p_oid)] + [("_blob", oid) for oid in chunk_ids]
        assert len(chunk_ids) == 2
    database.close()


def test_a_move_is_charged_to_both_folders(file_manager, file_db, news):
    file_manager.post("/news/manage_contents", {"command": "cut", "names": "alpha"})
    file_manager.post("/other/manage_contents", {"command": "paste"})
    changed = rows(file_manager.get("/manage_undo"))[0].find_all("td")[4]
    paths = [item.get_text() for item in changed.find_all("li")]
    assert set(paths) == {"/other/alpha", "/other", "/news"}


def test_a_transaction_named_twice_is_undone_once(file_manager, file_db, news):
    file_manager.post("/news/manage_contents", {"command": "delete", "names": "alpha"})
    undo_id = rows(file_manager.get(news))[0].find("input")["value"]
    response = file_manager.post(news, [("command", "undo"), ("ids", undo_id), ("ids", undo_id)])
    assert "Undid 1 transaction." in file_manager.follow(response).text
    assert read(file_db, lambda root: sorted(root["news"].keys())) == ["alpha", "beta"]


def undo_then_fail(outcomes: list):
    """A view that runs the Undo tab's own undo command, then fails as a request can."""
    def view(obj, request):
        undo_screen = request.registry.lookup(obj, "manage_undo", "POST")
        outcomes.append(undo_screen.handler(obj, request).status_int)
        raise RuntimeError("the request fails after the undo")
    return view


@pytest.mark.parametrize("fails", [True, False], ids=["then-fails", "succeeds"])
def test_an_undo_in_a_request_that_then_fails_leaves_the_database_as_it_was(
        file_manager, file_db, news, fails):
    file_manager.post("/news/manage_contents", {"command": "delete", "names": "alpha"})
    undo_id = rows(file_manager.get(news))[0].find("input", attrs={"name": "ids"})["value"]
    outcomes = []
    registry = configure(ViewRegistry())
    if fails:
        registry.register(Folder, "undo-then-fail", undo_then_fail(outcomes), action="undo",
                          methods=("POST",), requires_token=True)
    app = TestApp(objweb.Application(file_db, registry=registry))
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    fields = {"command": "undo", "ids": undo_id, "csrf_token": basic_csrf_token(app, auth)}
    before = file_db.lastTransaction()
    if fails:
        app.post("/news/@@undo-then-fail", fields, headers=auth, status=500)
        # The undo command itself went through; only the request failed afterwards.
        assert outcomes == [303]
        assert file_db.lastTransaction() == before
        assert read(file_db, lambda root: sorted(root["news"].keys())) == ["beta"]
    else:
        app.post("/news/manage_undo", fields, headers=auth, status=303)
        assert file_db.lastTransaction() != before
        assert read(file_db, lambda root: sorted(root["news"].keys())) == ["alpha", "beta"]
