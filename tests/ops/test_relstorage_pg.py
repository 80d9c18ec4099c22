"""RelStorage on a real PostgreSQL server that this module starts and stops.

Blobs are kept in PostgreSQL: two clients with blob caches of their own both
read a file the other wrote, so nothing but the database is shared.
"""

import time

import pytest
import transaction

import objweb
from objweb import File, Folder, Page
from objweb.storage.pack import DAY, pack
from ops_servers import PostgresServer, get_json, request, start_fixture_serve
from support import ADMIN, ADMIN_PASSWORD, free_port, run_objweb, wait_for

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("postgresql")]


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server, started once per test process."""
    server = PostgresServer().start()
    yield server
    server.remove()


@pytest.fixture
def database(postgres, request):
    """The URI of a new, empty database on the server."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return postgres.create_database(name)


def open_client(uri: str, cache_dir) -> objweb.open_db:
    return objweb.open_db(f"{uri}?blob_dir={cache_dir}")


def test_a_site_on_postgresql_keeps_files_users_and_roles(database, tmp_path):
    first = open_client(database, tmp_path / "cache-one")
    objweb.bootstrap(first, admin=ADMIN, password=ADMIN_PASSWORD)
    with objweb.site(first, user=ADMIN) as root:
        news = root.add("news", Folder(title="News"))
        news.add("report", File(title="Q3", data=b"%PDF" * 10000,
                                content_type="application/pdf"))
        news.manage_setLocalRoles(ADMIN, ["Editor"])
    second = open_client(database, tmp_path / "cache-two")
    try:
        with objweb.site(second) as root:
            assert root["news"]["report"].data == b"%PDF" * 10000
            assert root["acl_users"].check_password(ADMIN, ADMIN_PASSWORD)
            root["news"]["report"].write(b"rewritten by the second client")
        with objweb.site(first) as root:
            assert root["news"]["report"].data == b"rewritten by the second client"
    finally:
        second.close()
        first.close()


def test_adds_to_one_folder_from_two_clients_do_not_conflict(database, tmp_path):
    one, two = (open_client(database, tmp_path / name) for name in ("one", "two"))
    try:
        objweb.bootstrap(one)
        with objweb.site(one) as root:
            root.add("inbox", Folder())
        managers = [transaction.TransactionManager(explicit=True) for _ in range(2)]
        connections = [db.open(transaction_manager=manager)
                       for db, manager in zip((one, two), managers)]
        for number, (connection, manager) in enumerate(zip(connections, managers)):
            manager.begin()
            inbox = connection.root()["objweb"]["inbox"]
            inbox.add(f"item-{number}", Page(title=str(number)))
        for manager in managers:
            manager.commit()
        for connection in connections:
            connection.close()
        with objweb.site(two) as root:
            assert sorted(root["inbox"].keys()) == ["item-0", "item-1"]
            assert len(root["inbox"]) == 2
    finally:
        one.close()
        two.close()


def notes(uri: str, cache_dir) -> list[str]:
    """Return the undo log's notes, read through a new client."""
    db = open_client(uri, cache_dir)
    try:
        return [entry["description"] for entry in db.undoLog(0, 100)]
    finally:
        db.close()


def edit_page(db, title: str) -> None:
    with objweb.site(db) as root:
        if "page" not in root:
            root.add("page", Page())
        root["page"].edit(title=title)
        root._p_jar.transaction_manager.get().note(f"title {title}")


def test_pack_on_postgresql_keeps_recent_history(database, tmp_path):
    db = open_client(database, tmp_path / "cache")
    try:
        objweb.bootstrap(db)
        edit_page(db, "v1")
        edit_page(db, "v2")
        cut = time.time()
        wait_for(lambda: time.time() > cut + 0.01)
        edit_page(db, "v3")
        assert {"title v1", "title v2", "title v3"} <= set(notes(database, tmp_path / "c2"))
        pack(db, days=1, now=cut + DAY)
        after = notes(database, tmp_path / "c3")
        assert "title v3" in after and "title v1" not in after
        latest = db.undoLog(0, 1)[0]
        assert latest["description"] == "title v3"
        db.undo(latest["id"])
        transaction.commit()
        with objweb.site(db) as root:
            assert root["page"].title == "v2"
    finally:
        db.close()


def test_serve_over_postgresql_with_blobs_in_the_database(database, tmp_path):
    made = run_objweb(["adduser", ADMIN, ADMIN_PASSWORD, "--db", database], tmp_path)
    assert made.returncode == 0, made.stderr
    serve = start_fixture_serve(tmp_path, database, "serve-pg")
    try:
        data = bytes(range(256)) * 1000
        status, _, _ = request("PUT", serve.url + "/photo.bin", body=data,
                               headers={"Content-Type": "application/octet-stream"})
        assert status == 201
        assert (tmp_path / "var" / "blobcache-postgresql").is_dir()
        outside = open_client(database, tmp_path / "outside-cache")
        try:
            with objweb.site(outside) as root:
                assert root["photo.bin"].data == data
                root.add("from-outside", Page(title="Written outside"))
        finally:
            outside.close()
        assert get_json(serve.url + "/from-outside")["title"] == "Written outside"
        packed = run_objweb(["pack", "--db", database], tmp_path)
        assert packed.returncode == 0, packed.stderr
        assert "user:" not in packed.stdout and "pg-secret" not in packed.stdout
        assert request("GET", serve.url + "/photo.bin")[2] == data
    finally:
        serve.stop()


def test_health_answers_503_while_postgresql_is_down(tmp_path):
    server = PostgresServer().start()
    try:
        uri = server.create_database("health")
        assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD, "--db", uri],
                          tmp_path).returncode == 0
        serve = start_fixture_serve(tmp_path, uri, "serve-pg-health")
        try:
            assert request("GET", serve.url + "/@@health", auth=False)[0] == 200
            server.stop()
            status, headers, body = request("GET", serve.url + "/@@health", auth=False)
            assert status == 503 and headers["Retry-After"] == "1"
            assert b"Traceback" not in body
            assert request("GET", serve.url + "/", auth=False)[0] == 503
            server.start()
            wait_for(lambda: request("GET", serve.url + "/@@health", auth=False)[0] == 200,
                     timeout=30, message="the serve process did not reconnect")
        finally:
            serve.stop()
    finally:
        server.remove()


def test_an_unreachable_postgresql_fails_fast_without_showing_the_password(tmp_path):
    uri = f"postgresql://objweb:pg-secret@127.0.0.1:{free_port()}/nothing"
    started = time.monotonic()
    result = run_objweb(["adduser", "someone", "someone-Passw0rd", "--db", uri], tmp_path, timeout=60)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("objweb adduser: cannot open the PostgreSQL database "
                                "postgresql://objweb:***@127.0.0.1:")
    assert "pg-secret" not in result.stderr and "Traceback" not in result.stderr
