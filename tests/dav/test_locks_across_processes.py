"""WebDAV locks live in the database: two `objweb serve` over `objweb zeo` see the same
locks, a race for one lock has one winner, and a lock outlives a restart of every process."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from dav_servers import LOCK_BODY, ZeoServer, make_home, send, serve, take_lock

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("dav-zeo")]


def test_a_lock_taken_through_one_process_holds_in_the_other(tmp_path):
    make_home(tmp_path)
    zeo = ZeoServer(tmp_path)
    started = [zeo]
    try:
        a = serve(tmp_path, db=zeo.uri, name="a")
        started.append(a)
        b = serve(tmp_path, db=zeo.uri, name="b")
        started.append(b)
        assert send("PUT", f"{a.url}/@@dav/doc.txt", body=b"v1")[0] == 201
        token = take_lock(f"{a.url}/@@dav/doc.txt")
        assert send("PUT", f"{b.url}/@@dav/doc.txt", body=b"v2")[0] == 423
        assert send("PUT", f"{b.url}/@@dav/doc.txt", body=b"v2",
                    headers={"If": f"(<{token}>)"})[0] == 204
        assert send("GET", f"{a.url}/@@dav/doc.txt")[2] == b"v2"
        assert send("UNLOCK", f"{b.url}/@@dav/doc.txt",
                    headers={"Lock-Token": f"<{token}>"})[0] == 204
        assert send("PUT", f"{a.url}/@@dav/doc.txt", body=b"v3")[0] == 204
    finally:
        for process in reversed(started):
            process.stop()


def test_a_race_for_one_lock_over_two_processes_has_one_winner(tmp_path):
    make_home(tmp_path)
    zeo = ZeoServer(tmp_path)
    started = [zeo]
    try:
        a = serve(tmp_path, db=zeo.uri, name="a")
        started.append(a)
        b = serve(tmp_path, db=zeo.uri, name="b")
        started.append(b)
        for round_number in range(3):
            url = f"/@@dav/race{round_number}.txt"
            assert send("PUT", a.url + url, body=b"x")[0] == 201
            targets = [(a if number % 2 else b).url + url for number in range(12)]
            with ThreadPoolExecutor(max_workers=12) as pool:
                statuses = list(pool.map(
                    lambda target: send("LOCK", target, body=LOCK_BODY,
                                        headers={"Depth": "0"})[0], targets))
            assert sorted(statuses) == [200] + [423] * 11, statuses
    finally:
        for process in reversed(started):
            process.stop()


def test_a_lock_outlives_a_restart(tmp_path):
    make_home(tmp_path)
    first = serve(tmp_path, name="first")
    try:
        assert send("PUT", f"{first.url}/@@dav/kept.txt", body=b"v1")[0] == 201
        token = take_lock(f"{first.url}/@@dav/kept.txt")
    finally:
        first.stop()
    second = serve(tmp_path, name="second")
    try:
        url = f"{second.url}/@@dav/kept.txt"
        assert send("PUT", url, body=b"v2")[0] == 423
        status, _, listing = send("PROPFIND", url, headers={"Depth": "0"})
        assert status == 207 and token.encode() in listing
        assert send("PUT", url, body=b"v2", headers={"If": f"(<{token}>)"})[0] == 204
    finally:
        second.stop()
