"""Several `objweb serve` processes sharing one `objweb zeo` server.

A real ZEO server and two real serve processes run in subprocesses over one
instance home. Process A reads blobs through ZEO's blob cache, process B
reads the server's blob directory directly (`shared_blob_dir`).
"""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ops_servers import (
    ZeoProcess, get_json, make_site, port_answers, request, start_fixture_serve)
from support import basic_auth, free_port, run_objweb, wait_for

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("zeo")]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """A ZEO server and two serve processes (A and B) over one instance home.

    Session-scoped: started once per test process, whatever order the tests
    of this module come in."""
    home = tmp_path_factory.mktemp("zeo-home")
    make_site(home)
    zeo = ZeoProcess(home)
    started = [zeo]
    try:
        a = start_fixture_serve(home, zeo.uri, "serve-a")
        started.append(a)
        b = start_fixture_serve(home, zeo.uri + "?shared_blob_dir=1", "serve-b")
        started.append(b)
        yield {"home": home, "zeo": zeo, "a": a, "b": b}
    finally:
        for process in reversed(started):
            process.stop()


def test_an_edit_through_one_process_is_seen_through_the_other_at_once(cluster):
    a, b = cluster["a"].url, cluster["b"].url
    status, headers, _ = request("POST", a + "/", body={"@type": "Page", "id": "shared",
                                                        "title": "v0", "body": "<p>0</p>"})
    assert status == 201
    for round_number in range(1, 7):
        writer, reader = (a, b) if round_number % 2 else (b, a)
        status, _, _ = request("PATCH", writer + "/shared", body={"title": f"v{round_number}"})
        assert status == 204
        assert get_json(reader + "/shared")["title"] == f"v{round_number}"


def test_a_file_uploaded_through_one_process_downloads_through_both(cluster):
    a, b = cluster["a"].url, cluster["b"].url
    data = bytes(range(256)) * 4096
    status, _, _ = request("PUT", b + "/upload.bin", body=data,
                           headers={"Content-Type": "application/octet-stream"})
    assert status == 201
    for url in (a, b):
        status, headers, body = request("GET", url + "/upload.bin")
        assert status == 200 and body == data
    replacement = b"second version" * 1000
    status, _, _ = request("PUT", a + "/upload.bin", body=replacement,
                           headers={"Content-Type": "application/octet-stream"})
    assert status in (200, 204)
    assert request("GET", b + "/upload.bin")[2] == replacement
    assert (cluster["home"] / "var" / "blobcache").is_dir()


def test_adds_of_different_names_to_one_folder_at_once_all_succeed(cluster):
    a, b = cluster["a"].url, cluster["b"].url
    assert request("POST", a + "/", body={"@type": "Folder", "id": "busy"})[0] == 201

    def add(number):
        url = (a, b)[number % 2]
        return request("POST", url + "/busy", body={"@type": "Page", "id": f"p{number}",
                                                    "title": str(number)})[0]
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(add, range(24)))
    assert statuses == [201] * 24
    listing = get_json(b + "/busy?b_size=100")
    assert sorted(item["id"] for item in listing["items"]) == sorted(f"p{n}" for n in range(24))


def test_a_counter_incremented_through_two_processes_loses_no_increment(cluster):
    """Each increment reads and writes one object in one transaction; overlapping
    requests conflict and are replayed by the publisher, never lost."""
    a, b = cluster["a"].url, cluster["b"].url
    assert request("POST", a + "/", body={"@type": "TestCounter", "id": "counter"})[0] == 201
    refused = []

    def increment(number):
        url = (a, b)[number % 2] + "/counter/@@increment"
        while True:
            status, _, body = request("POST", url, auth=False)
            if status == 200:
                return json.loads(body)["value"]
            assert status == 503, body  # every retry conflicted: nothing was counted
            refused.append(number)
    with ThreadPoolExecutor(8) as pool:
        values = list(pool.map(increment, range(160)))
    assert sorted(values) == list(range(1, 161))
    for url in (a, b):
        assert json.loads(request("GET", url + "/counter/@@value", auth=False)[2]) == {
            "value": 160}
    retried = sum(len(re.findall(r"retrying POST /counter/@@increment after \w*Conflict",
                                 process.stderr)) for process in (cluster["a"], cluster["b"]))
    assert retried > 0, "no request conflicted, so the test proved nothing"


def test_debug_and_run_change_the_live_site(cluster):
    home, zeo, a, b = cluster["home"], cluster["zeo"], cluster["a"].url, cluster["b"].url
    script = home / "retitle.py"
    script.write_text(
        "import sys\n"
        "from objweb import Page\n"
        "app.add(sys.argv[1], Page(title='Made by run', body='<p>run</p>'))\n"
        "transaction.get().note('objweb run')\n"
        "transaction.commit()\n")
    ran = run_objweb(["run", "--db", zeo.uri, str(script), "from-run"], home)
    assert ran.returncode == 0, ran.stderr
    assert get_json(a + "/from-run")["title"] == "Made by run"
    shell = run_objweb(["debug", "--db", zeo.uri], home,
                       input="app['from-run'].edit(title='Changed in debug')\ncommit()\n")
    assert shell.returncode == 0, shell.stderr
    assert get_json(b + "/from-run")["title"] == "Changed in debug"
    assert get_json(a + "/from-run")["title"] == "Changed in debug"


def test_adduser_and_pack_work_against_the_live_site(cluster):
    home, zeo, a = cluster["home"], cluster["zeo"], cluster["a"].url
    added = run_objweb(["adduser", "ops-editor", "ops-editor-pw", "--role", "Editor", "--db",
                        zeo.uri], home)
    assert added.returncode == 0, added.stderr
    status, _, _ = request("GET", a + "/", headers=basic_auth("ops-editor", "ops-editor-pw"),
                           auth=False)
    assert status == 200
    assert request("POST", a + "/", body={"@type": "Page", "id": "before-pack"})[0] == 201
    for title in ("one", "two", "three"):
        assert request("PATCH", a + "/before-pack", body={"title": title})[0] == 204
    packed = run_objweb(["pack", "--db", zeo.uri], home)
    assert packed.returncode == 0, packed.stderr
    assert "Packed" in packed.stdout
    assert get_json(cluster["b"].url + "/before-pack")["title"] == "three"


def test_export_and_import_work_against_the_live_site(cluster):
    home, zeo, a, b = cluster["home"], cluster["zeo"], cluster["a"].url, cluster["b"].url
    data = b"exported through ZEO" * 1000
    assert request("POST", a + "/", body={"@type": "Folder", "id": "outbox"})[0] == 201
    status, _, _ = request("PUT", a + "/outbox/data.bin", body=data,
                           headers={"Content-Type": "application/octet-stream"})
    assert status == 201
    exported = run_objweb(["export", "/outbox", "outbox.zexp", "--db", zeo.uri], home)
    assert exported.returncode == 0, exported.stderr
    imported = run_objweb(["import", "outbox.zexp", "/", "--name", "outbox-copy",
                           "--db", zeo.uri], home)
    assert imported.returncode == 0, imported.stderr
    assert request("GET", b + "/outbox-copy/data.bin")[2] == data


def test_the_data_file_is_locked_while_zeo_serves_it(cluster):
    locked = run_objweb(["adduser", "someone", "someone-Passw0rd"], cluster["home"])
    assert locked.returncode == 1
    assert f"in use by process {cluster['zeo'].pid} (objweb zeo)" in locked.stderr
    assert f"give this command --db zeo://127.0.0.1:{cluster['zeo'].port}" in locked.stderr


def test_a_second_zeo_server_on_the_same_port_is_refused(cluster, tmp_path):
    make_site(tmp_path)
    refused = run_objweb(["zeo", "--port", str(cluster["zeo"].port)], tmp_path, timeout=60)
    assert refused.returncode == 1
    assert f"cannot listen on 127.0.0.1:{cluster['zeo'].port}" in refused.stderr


def test_a_zeo_uri_with_no_server_fails_fast_with_a_sentence(tmp_path):
    port = free_port()
    # ZEO's client waits for a server forever by default: a command that did would
    # run into this timeout (TimeoutExpired) instead of answering.
    result = run_objweb(["adduser", "nobody", "nobody-Passw0rd", "--db", f"zeo://127.0.0.1:{port}"],
                        tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"objweb adduser: cannot reach the ZEO server of zeo://127.0.0.1:{port} "
        "(is `objweb zeo` running there?)")
    assert "Traceback" not in result.stderr


def test_health_answers_503_while_the_zeo_server_is_down_and_200_again_after(tmp_path):
    make_site(tmp_path)
    zeo = ZeoProcess(tmp_path)
    serve = start_fixture_serve(tmp_path, zeo.uri, "serve-health")
    try:
        assert request("GET", serve.url + "/@@health", auth=False)[0] == 200
        zeo.stop()
        started = time.monotonic()
        status, headers, body = request("GET", serve.url + "/@@health", auth=False)
        assert (status, body) == (503, b"database unavailable\n")
        assert time.monotonic() - started < 10
        zeo = ZeoProcess(tmp_path, port=zeo.port, name="zeo-again")
        wait_for(lambda: request("GET", serve.url + "/@@health", auth=False)[0] == 200,
                 timeout=30, message="the serve process did not reconnect")
        assert get_json(serve.url + "/")["@type"] == "Folder"
    finally:
        serve.stop()
        zeo.stop()
    assert not port_answers(zeo.port)
