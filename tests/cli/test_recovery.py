"""Startup after a crash: a data file cut short, an index missing or stale, a bad database.

Each test makes a real FileStorage with the `objweb` command, damages it as a
crash or an operator would, and runs `objweb` again in a subprocess: the
database opens with what was committed before the damage and the log says
what was repaired, or the command says in one sentence why it cannot open
the database and how to fix it.
"""

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ZODB.FileStorage import FileIterator

import objweb
from objweb.storage.db import DEFAULT_URI, DatabaseURIError, resolve_db_uri
from cli_support import one_sentence, stored_site
from support import OBJWEB, ServeProcess, run_objweb

USERS_SCRIPT = 'print(",".join(sorted(app["acl_users"].user_names())))\n'
ADD_USERS_SCRIPT = """import sys
import transaction
for name in sys.argv[1:]:
    app["acl_users"].add_user(name, "pw")
    transaction.commit()
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An instance home whose database holds three users, each added in its own transaction.

    Its `index-after-two` is the index as saved when the database held two:
    what a crash during the third transaction would leave.
    """
    home = tmp_path_factory.mktemp("template")
    (home / "users.py").write_text(USERS_SCRIPT)
    (home / "add_users.py").write_text(ADD_USERS_SCRIPT)
    assert run_objweb(["run", "add_users.py", "first", "second"], home).returncode == 0
    shutil.copy2(home / "var" / "Data.fs.index", home / "index-after-two")
    assert run_objweb(["run", "add_users.py", "third"], home).returncode == 0
    return home


@pytest.fixture
def home(template, tmp_path):
    """A copy of the template instance home, for one test to damage."""
    return Path(shutil.copytree(template, tmp_path / "home"))


def data_file(home):
    return home / "var" / "Data.fs"


def users(home) -> tuple[list[str], str]:
    """Return the users `objweb run` finds, and what it logged."""
    result = run_objweb(["run", "users.py"], home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.strip().split(","), result.stderr


def transaction_spans(path) -> list[tuple[int, int]]:
    """Return where each transaction of the data file `path` begins and where its data ends."""
    transactions = FileIterator(str(path))
    try:
        return [(record._tpos, record._tend) for record in transactions]
    finally:
        transactions.close()


def cut_in_last_transaction(home) -> int:
    """Cut the data file in the middle of its last transaction; return where that began."""
    start, end = transaction_spans(data_file(home))[-1]
    os.truncate(data_file(home), (start + end) // 2)
    return start


CUT_SHORT = ("var/Data.fs: the last transaction was cut short (the process writing it stopped) "
             "and was dropped")


def test_a_last_transaction_cut_short_is_dropped_and_reported(home):
    start = cut_in_last_transaction(home)
    found, log = users(home)
    assert found == ["first", "second"]
    assert CUT_SHORT in log
    assert f"from offset {start}, kept in var/Data.fs.tr0; every transaction before it is intact" \
        in log
    assert (home / "var" / "Data.fs.tr0").stat().st_size > 0
    # Repaired once: the next start has nothing to say, and new transactions follow on.
    result = run_objweb(["run", "add_users.py", "fourth"], home)
    assert result.returncode == 0
    # Only the audit line of the script's own commit: nothing repaired, nothing rebuilt.
    assert [line.split(" ", 4)[3] for line in result.stderr.splitlines()] == ["objweb.audit"]
    with stored_site(home) as root:
        assert sorted(root["acl_users"].user_names()) == ["first", "fourth", "second"]


def test_a_crash_during_the_last_transaction_leaves_an_old_index_and_a_cut_file(home):
    # The index is saved when the database closes: a crash leaves the one from before.
    cut_in_last_transaction(home)
    shutil.copy2(home / "index-after-two", data_file(home).with_suffix(".fs.index"))
    found, log = users(home)
    assert found == ["first", "second"]
    assert CUT_SHORT in log


def test_a_cut_inside_the_last_transaction_header_is_dropped_too(tmp_path, caplog):
    uri = f"file://{tmp_path}/Data.fs"
    for name in ("first", "second"):
        db = objweb.open_db(uri)
        with objweb.site(db) as root:
            root[name] = objweb.Page(title=name)
        db.close()
    start = transaction_spans(tmp_path / "Data.fs")[-1][0]
    os.truncate(tmp_path / "Data.fs", start + 10)
    with caplog.at_level(logging.WARNING, logger="objweb.storage.db"):
        db = objweb.open_db(uri)
    try:
        with objweb.site(db) as root:
            assert "first" in root and "second" not in root
    finally:
        db.close()
    assert (f"{tmp_path}/Data.fs: the last transaction was cut short (the process writing it "
            f"stopped) and was dropped: 10 bytes from offset {start}, too short to keep"
            in caplog.text)


@pytest.mark.server
@pytest.mark.xdist_group("serve")
def test_serve_opens_a_data_file_cut_short(home):
    cut_in_last_transaction(home)
    served = ServeProcess(home)
    try:
        assert CUT_SHORT in served.stderr
    finally:
        assert served.stop() == 0
    assert users(home)[0] == ["first", "second"]


def test_a_missing_index_is_rebuilt_with_a_message(home):
    index = data_file(home).with_suffix(".fs.index")
    index.unlink()
    found, log = users(home)
    assert found == ["first", "second", "third"]
    assert ("rebuilding the index of var/Data.fs: var/Data.fs.index is missing; "
            "this reads the whole file once") in log
    assert index.exists()


def test_an_index_older_than_the_data_is_brought_up_to_date_with_a_message(home):
    index = data_file(home).with_suffix(".fs.index")
    shutil.copy2(home / "index-after-two", index)
    os.utime(index, (0, 0))
    found, log = users(home)
    assert found == ["first", "second", "third"]
    assert ("rebuilt the index of var/Data.fs from its last save: it was older than the data "
            "(the last process to use it did not close it)") in log


def test_an_index_that_cannot_be_read_is_rebuilt_without_a_traceback(home):
    data_file(home).with_suffix(".fs.index").write_bytes(b"not an index")
    found, log = users(home)
    assert found == ["first", "second", "third"]
    assert ("rebuilt the index of var/Data.fs: the index did not match the data or could not "
            "be read") in log


# -- a database that cannot be opened --------------------------------------------------

def refusal(home, args=("adduser", "x", "x-Passw0rd-long")) -> str:
    result = run_objweb(list(args), home)
    assert result.returncode == 1
    assert "rebuilt" not in result.stderr and "cut short" not in result.stderr
    return one_sentence(result.stderr, args[0])


def test_a_file_that_is_no_database_says_how_to_recover(home):
    data_file(home).write_bytes(b"this is not a FileStorage at all")
    data_file(home).with_suffix(".fs.index").unlink()
    message = refusal(home)
    assert "it is damaged or not a database file" in message
    assert "`objweb restore --yes`" in message
    assert "`python -m ZODB.fsrecover var/Data.fs var/Data.fs.recovered`" in message


def test_a_damaged_transaction_header_says_how_to_recover(home):
    second_start = transaction_spans(data_file(home))[1][0]
    with open(data_file(home), "r+b") as file:
        file.seek(second_start + 8)  # the transaction's length: now far too small
        file.write(b"\0" * 8)
    data_file(home).with_suffix(".fs.index").unlink()
    message = refusal(home, ("run", "users.py"))
    assert "it is damaged or not a database file" in message
    assert "python -m ZODB.fsrecover" in message


def test_a_directory_in_place_of_the_data_file_says_so(tmp_path):
    (tmp_path / "var" / "Data.fs").mkdir(parents=True)
    message = refusal(tmp_path)
    assert "var/Data.fs is a directory; give --db the path of a data file" in message


def test_a_data_file_objweb_may_not_open_says_so(home):
    os.chmod(data_file(home), 0)
    # Root reads any file: without the capabilities that let it, it meets the mode too.
    as_root = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    result = subprocess.run((as_root if os.geteuid() == 0 else []) + [OBJWEB, "adduser", "x", "x-Passw0rd-long"],
                            cwd=home, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    message = one_sentence(result.stderr, "adduser")
    assert "permission denied on var/Data.fs; give the user running objweb read and write " \
           "access to it and to its folder" in message


# A ZEO address nobody answers: tests/ops/test_zeo_cluster.py.
def test_a_bad_uri_says_what_a_good_one_looks_like(tmp_path):
    message = refusal(tmp_path, ("adduser", "x", "x-Passw0rd-long", "--db", "file://var/Data.fs?no_such=1"))
    assert "Unrecognized database keyword(s): no_such" in message
    assert "(try 'file://var/Data.fs?blobstorage_dir=var/blobs')" in message


@pytest.mark.parametrize("uri", ["zeo://127.0.0.1:port", "Data.fs", "gopher://x/y"])
def test_every_bad_uri_names_a_good_one(uri):
    with pytest.raises(DatabaseURIError, match=re.escape(f"(try {DEFAULT_URI!r})")):
        resolve_db_uri(uri)
