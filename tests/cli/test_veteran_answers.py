"""The answers a Zope veteran gets from the shell and the command line (issue 19, items 10–12, 17).

Each case once ended in a traceback, a wrong hint or a silent loss: a
move into a Page, a pack of `nan` days, an export into a missing directory, a
server with no thread, the wrong ZEO port in a hint, a log file shared by
every process, a PUT stored as octet-stream, a debug shell that chained every
error to IPython, commits with no user.
"""

import getpass
import json

import pytest

import objweb
from objweb import Folder, Page
from objweb.errors import NotFoundError
from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, ServeProcess, free_port, run_objweb

from cli_support import one_sentence, stored_site


def site_uri(home) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


# -- item 10: the shell's moves ---------------------------------------------------

def test_moving_into_something_that_is_not_a_folder_says_so():
    root = Folder()
    page = root.add("page", Page())
    root.add("news", Page())
    with pytest.raises(ValueError, match=r"^/news is not a folder: only a folder can take /page$"):
        root.move("page", root["news"])
    with pytest.raises(ValueError, match=r"^a Page is not a folder"):
        root.move("page", Page())
    assert root["page"] is page and page.__parent__ is root


def test_moving_a_missing_name_raises_not_found_as_remove_does():
    root = Folder()
    target = root.add("target", Folder())
    with pytest.raises(NotFoundError, match="has no item 'ghost'") as moved:
        root.move("ghost", target)
    with pytest.raises(NotFoundError) as removed:
        root.remove("ghost")
    assert type(moved.value) is type(removed.value)
    assert isinstance(moved.value, KeyError)


# -- item 10: the commands' refusals ----------------------------------------------

def test_an_export_into_a_missing_directory_is_one_sentence(home):
    result = run_objweb(["export", "/", "no/such/dir/site.zexp"], home)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "export") == (
        f"there is no directory {home / 'no/such/dir'} to write no/such/dir/site.zexp in; "
        "create it first")
    assert not (home / "no").exists()


@pytest.mark.parametrize("line, message", [
    ("threads = 0", "threads: 0 is not a number from 1 to 1000"),
    ("threads = 5000", "threads: 5000 is not a number from 1 to 1000"),
    ("port = 70000", "port: 70000 is not a number from 0 to 65535"),
    ("connection_limit = 0", "connection_limit: at least one connection must be served"),
])
def test_a_server_section_that_cannot_serve_is_refused_before_starting(home, line, message):
    (home / "objweb.ini").write_text(f"[server]\n{line}\n")
    result = run_objweb(["serve"], home, timeout=30)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "serve") == f"{home / 'objweb.ini'}: [server] {message}"
    assert not (home / "var" / "Data.fs").exists()


def test_backup_of_a_memory_database_says_there_is_nothing_on_disk(home):
    result = run_objweb(["backup", "--db", "memory://"], home)
    assert result.returncode == 1
    message = one_sentence(result.stderr, "backup")
    assert message == ("memory:// lives in memory and is gone when the process ends: "
                       "there is nothing on disk to back up")


@pytest.mark.server
def test_a_database_in_use_names_the_holder_and_the_configured_zeo_port(home):
    zeo_port = free_port()
    (home / "objweb.ini").write_text(f"[zeo]\nport = {zeo_port}\n")
    server = ServeProcess(home)
    try:
        result = run_objweb(["adduser", "second", "second-Passw0rd"], home)
    finally:
        server.stop()
    assert result.returncode == 1
    message = one_sentence(result.stderr, "adduser")
    assert f"is in use by process {server.pid} (objweb serve)" in message
    assert f"--db zeo://127.0.0.1:{zeo_port}" in message and "8100" not in message


@pytest.mark.server
def test_a_file_held_by_objweb_zeo_is_blamed_on_zeo_not_serve(home):
    port = free_port()
    from support import Process, OBJWEB, wait_for
    zeo = Process([OBJWEB, "zeo", "--port", str(port)], home, name="zeo")
    try:
        wait_for(lambda: "connect with" in zeo.stdout, timeout=60, message=zeo.stderr)
        result = run_objweb(["pack"], home)
    finally:
        zeo.stop()
    message = one_sentence(result.stderr, "pack")
    assert f"in use by process {zeo.pid} (objweb zeo), which serves it" in message
    assert f"give this command --db zeo://127.0.0.1:{port}" in message
    assert "objweb serve" not in message


def test_processes_that_listen_on_no_port_log_to_files_of_their_own(home):
    (home / "objweb.ini").write_text("[logging]\nevent_log = var/log/event-{port}.log\n")
    (home / "script.py").write_text("import logging\nlogging.getLogger('objweb').warning('ran')\n")
    assert run_objweb(["run", "script.py"], home).returncode == 0
    assert run_objweb(["pack"], home).returncode == 0
    names = sorted(path.name for path in (home / "var" / "log").iterdir())
    assert [name.split("-")[1] for name in names] == ["pack", "run"], names
    assert all(name.split("-")[2].removesuffix(".log").isdigit() for name in names)
    assert "event-.log" not in names
    run_log = next(name for name in names if "-run-" in name)
    assert "ran" in (home / "var" / "log" / run_log).read_text()


# -- item 11 -------------------------------------------------------------------------

def test_the_debug_shell_s_tracebacks_are_not_chained_to_a_missing_ipython(home):
    result = run_objweb(["debug"], home, input="1/0\nprint('still here')\n")
    assert result.returncode == 0
    assert "ZeroDivisionError" in result.stderr and "still here" in result.stdout
    assert "IPython" not in result.stderr
    assert "During handling of the above exception" not in result.stderr


def test_adduser_says_a_user_without_roles_is_a_manager(home):
    help_text = run_objweb(["adduser", "--help"], home).stdout
    assert "without --role is a Manager of the whole site" in " ".join(help_text.split())
    added = run_objweb(["adduser", "chief", "pw-long-enough"], home)
    assert added.stdout.strip() == "Added user 'chief' with roles Manager"


def test_the_build_declares_its_licence_the_current_way_and_bounds_setuptools():
    import tomllib
    from pathlib import Path
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["license"] == "ZPL-2.1"
    setuptools = next(req for req in project["build-system"]["requires"]
                      if req.startswith("setuptools"))
    assert ">=77" in setuptools and "<" in setuptools


# -- item 17: who committed from the shell ----------------------------------------

def last_change(home) -> dict:
    db = objweb.open_db(site_uri(home))
    try:
        return db.undoLog(0, 1)[0]
    finally:
        db.close()


def test_a_debug_commit_records_the_system_user_and_owns_nothing(home):
    result = run_objweb(["debug"], home, input="from objweb import Page\n"
                        "app['hello'] = Page(title='Hi')\ncommit('added hello')\n")
    assert result.returncode == 0, result.stderr
    entry = last_change(home)
    assert entry["user_name"] == f"(system user) {getpass.getuser()}"
    assert entry["description"] == "added hello"
    with stored_site(home) as root:
        assert root["hello"].owner is None


def test_run_with_user_records_that_user_and_gives_them_what_it_adds(home):
    assert run_objweb(["adduser", ADMIN, "pw-long-enough"], home).returncode == 0
    (home / "add.py").write_text("import transaction\nfrom objweb import Page\n"
                                 "app['made'] = Page(title='Made')\ntransaction.commit()\n")
    result = run_objweb(["run", "--user", ADMIN, "add.py"], home)
    assert result.returncode == 0, result.stderr
    entry = last_change(home)
    assert entry["user_name"] == f"/ {ADMIN}"
    assert entry["description"] == "objweb run"
    with stored_site(home) as root:
        assert root["made"].owner == ADMIN


def test_the_undo_tab_shows_who_committed_from_the_shell(home):
    from webtest import TestApp
    from objweb.wsgi import make_app
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], home).returncode == 0
    run_objweb(["debug", "--user", ADMIN], home,
               input="from objweb import Page\napp['by_shell'] = Page()\ncommit()\n")
    db = objweb.open_db(site_uri(home))
    try:
        page = TestApp(make_app(db)).get("/manage_undo", headers=ADMIN_AUTH, status=200)
        assert "objweb debug" in page.text and f">{ADMIN}<" in page.text.replace(" ", "")
    finally:
        db.close()


def test_an_unknown_user_is_refused_before_anything_runs(home):
    (home / "add.py").write_text("raise SystemExit('must not run')\n")
    result = run_objweb(["run", "--user", "nobody", "add.py"], home)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "run") == (
        "--user 'nobody': the site's root user folder has no such user")


def test_a_shell_commit_is_on_the_audit_log(home):
    (home / "objweb.ini").write_text("[logging]\nevent_log = var/log/event.log\n")
    run_objweb(["debug"], home, input="from objweb import Page\napp['x'] = Page()\n"
               "commit('made x')\n")
    log = (home / "var" / "log" / "event.log").read_text()
    assert f"objweb.audit {getpass.getuser()}@(system user) from objweb debug: made x" in log


# -- item 11: a PUT without a Content-Type ----------------------------------------

def test_a_put_without_a_content_type_takes_the_type_its_name_says(tmp_path):
    from webtest import TestApp, TestRequest
    from objweb.wsgi import make_app
    db = objweb.open_db("memory://")
    objweb.bootstrap(db, admin=ADMIN, password=ADMIN_PASSWORD)
    app = TestApp(make_app(db))

    def untyped_put(path: str, body: bytes):
        # webtest's put() adds a form type; a raw request sends none, as `curl -T` does.
        request = TestRequest.blank(path, method="PUT", body=body, headers=ADMIN_AUTH)
        assert "Content-Type" not in request.headers
        app.do_request(request, status=201)
    untyped_put("/report.pdf", b"%PDF-1.7 ...")
    untyped_put("/blob", b"\x00\x01")
    assert app.get("/report.pdf", status=200).content_type == "application/pdf"
    assert app.get("/blob", headers=ADMIN_AUTH, status=200).content_type == \
        "application/octet-stream"
    listing = app.get("/", headers=dict(ADMIN_AUTH, Accept="application/json"), status=200)
    kinds = {item["id"]: item["@type"] for item in json.loads(listing.text)["items"]}
    assert kinds["report.pdf"] == "File"


# -- item 12: an index ZODB rejects for no fault ------------------------------------

@pytest.mark.server
def test_a_restored_backup_last_written_through_zeo_is_not_called_damaged(home):
    from support import OBJWEB, Process, wait_for
    port = free_port()
    assert run_objweb(["adduser", ADMIN, "pw-long-enough"], home).returncode == 0
    zeo = Process([OBJWEB, "zeo", "--port", str(port)], home, name="zeo")
    try:
        wait_for(lambda: "connect with" in zeo.stdout, timeout=60, message=zeo.stderr)
        (home / "upload.py").write_text(
            "import transaction\nfrom objweb import File\n"
            "app['big'] = File(data=b'x' * 100000)\ntransaction.commit()\n")
        uploaded = run_objweb(["run", "--db", f"zeo://127.0.0.1:{port}", "upload.py"], home)
        assert uploaded.returncode == 0, uploaded.stderr
    finally:
        zeo.stop()
    assert run_objweb(["backup"], home).returncode == 0
    assert run_objweb(["restore", "--yes"], home).returncode == 0
    (home / "read.py").write_text("print(len(app['big'].data))\n")
    for _ in range(2):
        opened = run_objweb(["run", "read.py"], home)
        assert opened.returncode == 0 and opened.stdout.strip() == "100000"
        assert "WARNING" not in opened.stderr, opened.stderr
        assert "did not match the data" not in opened.stderr
        assert "stores an object twice (ZEO writes a new blob's record so); the data and " \
               "the index are sound" in opened.stderr


# -- item 11: gunicorn ----------------------------------------------------------------

def gunicorn(home, port: int, workers: int):
    from pathlib import Path

    from support import OBJWEB, Process
    (home / "objweb.ini").write_text("[app:main]\nuse = egg:objweb\n")
    return Process([str(Path(OBJWEB).with_name("gunicorn")), "--paste", "objweb.ini",
                    "--bind", f"127.0.0.1:{port}", "--workers", str(workers)], home,
                   name="gunicorn")


def answers(port: int) -> int | None:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/@@health", timeout=2) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.mark.server
def test_gunicorn_on_a_fresh_file_database_makes_the_admin_and_prints_the_password(home):
    from support import wait_for
    port = free_port()
    server = gunicorn(home, port, workers=1)
    try:
        wait_for(lambda: answers(port) == 200, timeout=60, message=server.stderr)
        line = next(line for line in server.stdout.splitlines() if "first user" in line)
    finally:
        server.stop()
    password = line.rsplit(" ", 1)[1].strip("'")
    db = objweb.open_db(site_uri(home))
    try:
        with objweb.site(db) as root:
            assert root["acl_users"].check_password(ADMIN, password)
    finally:
        db.close()


@pytest.mark.server
def test_two_gunicorn_workers_on_a_file_database_say_why_one_cannot_start(home):
    from support import wait_for
    port = free_port()
    server = gunicorn(home, port, workers=2)
    try:
        wait_for(lambda: "serves one process only" in server.stderr, timeout=60,
                 message=server.stderr)
        # The worker that opened the file serves; on a loaded machine it may still be starting.
        wait_for(lambda: answers(port) == 200, timeout=60, message=server.stderr)
    finally:
        server.stop()
    assert "zc.lockfile.LockError" not in server.stderr
    assert "a server with several workers needs `objweb zeo`" in server.stderr


# -- item 18: make run -------------------------------------------------------------

@pytest.mark.server
def test_make_run_passes_the_port_and_serve_options_and_puts_the_admin_line_first(home):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from support import wait_for
    repository = Path(__file__).parents[2]
    venv = Path(sys.executable).parent.parent
    (home / "pyproject.toml").write_bytes((repository / "pyproject.toml").read_bytes())
    marker = home / "installed"
    marker.touch()  # newer than pyproject.toml: nothing to install
    port = free_port()
    make = subprocess.Popen(
        ["make", "-s", "-f", str(repository / "Makefile"), "run", f"PORT={port}",
         "OPTIONS=--threads 2 --db file://other/Data.fs?blobstorage_dir=other/blobs", f"VENV={venv}", f"RUN_INSTALLED={marker}"],
        cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        wait_for(lambda: answers(port) == 200, timeout=60)
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        output = make.communicate(timeout=30)[0]
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines[0].startswith("Created the first user of this site. Log in as 'admin'")
    assert lines[1] == f"Serving http://127.0.0.1:{port}/"
    assert "blob" not in output.lower()
    assert (home / "other" / "Data.fs").exists() and not (home / "var").exists()


# -- item 14: the README's table for Zope users ---------------------------------------

ZOPE_HABITS = ("manage_addFolder", "objectIds", "manage_renameObject", "manage_cutObjects",
               "manage_copyObjects", "undoLog", "manage_permission", "changeOwnership",
               "unrestrictedTraverse", "absolute_url")

TABLE_SESSION = """
import objweb
from objweb import Folder, Page
app["news"] = Folder(title="News")
app.add("archive", Folder())
app["news"]["hello"] = Page(title="Hello")
assert list(app["news"].keys()) == ["hello"] and len(app) == 3
app["news"].rename("hello", "hi")
app["news"].move("hi", app["archive"])
app["archive"].copy("hi", app["news"], new_name="hi-copy")
removed = app["news"].remove("hi-copy")
assert removed.__parent__ is None and "hi-copy" not in app["news"]
page = objweb.find(app, "/archive/hi")
page.manage_permission("View", ["Manager"], acquire=False)
page.manage_setLocalRoles("admin", ["Owner"])
page.change_owner("admin")
commit("the table's session")
print(objweb.url_of(page, "https://example.org"), objweb.path_of(page), page.owner)
print(db.undoLog(0, 1)[0]["description"])
"""


def test_the_coming_from_zope_table_names_each_habit_and_its_answers_work(home):
    from pathlib import Path
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    table = readme.split("### Coming from Zope", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for habit in ZOPE_HABITS:
        assert any(habit in row.split(" | ")[0] for row in rows), habit
    assert run_objweb(["adduser", ADMIN, "pw-long-enough"], home).returncode == 0
    result = run_objweb(["debug", "--user", ADMIN], home, input=TABLE_SESSION)
    assert "Traceback" not in result.stderr, result.stderr
    assert "https://example.org/archive/hi /archive/hi admin" in result.stdout
    assert "the table's session" in result.stdout
