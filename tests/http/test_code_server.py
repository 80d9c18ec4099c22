"""A real `objweb serve`: runaway code is stopped while other requests are served.

The site is prepared in a file storage, then served by the real command with
its default settings (a 5 s budget). An endless loop and a template producing
endless output run in threads of their own while the test keeps asking for
an ordinary page, which must answer quickly all along.
"""

import threading
import time
import urllib.error
import urllib.request

import pytest

import objweb
from objweb import Page, Script, Template
from support import ServeProcess

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    """`objweb serve` over a site holding runaway code, stopped after the test."""
    uri = f"file://{tmp_path}/var/Data.fs?blobstorage_dir={tmp_path}/var/blobs"
    db = objweb.open_db(uri)
    objweb.bootstrap(db, admin="admin", password="s3cret")
    with objweb.site(db) as root:
        root["page"] = Page(title="Page", body="<p>still here</p>")
        root["loop"] = Script(body="n = 0\nwhile True:\n    n += 1")
        root["flood"] = Template(source=(
            '<p tal:repeat="i python: range(1000000)">'
            '<b tal:repeat="j python: range(1000000)">0123456789abcdef</b></p>'))
    db.close()
    process = ServeProcess(tmp_path, db=uri)
    yield process
    process.stop()


def fetch(url: str) -> tuple[int, str, float]:
    """Return (status, body, seconds) of a GET to `url`."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


def test_runaway_code_is_stopped_while_other_requests_are_served(server):
    results = {}

    def call(name):
        results[name] = fetch(f"{server.url}/{name}")

    threads = [threading.Thread(target=call, args=(name,)) for name in ("loop", "flood")]
    for thread in threads:
        thread.start()
    served = []
    while any(thread.is_alive() for thread in threads) and len(served) < 200:
        served.append(fetch(f"{server.url}/page"))
    for thread in threads:
        thread.join(timeout=60)
    assert len(served) >= 3
    assert all(status == 200 and "still here" in body for status, body, _ in served)
    status, body, _ = results["loop"]
    assert status == 503
    assert "ran past its time budget of 5 s and was stopped" in body
    status, body, _ = results["flood"]
    assert status == 503
    assert "characters of output" in body or "time budget" in body
    assert fetch(f"{server.url}/page")[0] == 200
