"""Conflicts under load: many writers on one object, and on one folder, at once.

A real `objweb serve` over a FileStorage takes eight concurrent writers.
Requests that conflict are replayed by the publisher (the log says so, with
the retry's number), each replay alone among the process's writes, so in one
process the first replay succeeds: no request uses up its retries, none
answers 503 or 500. What the writers were told matches what the site holds
afterwards, and the diagnostics count the conflicts against the object that met them.
"""

import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from crash_site import CrashSite
from ops.ops_servers import request
from storm import titles_in

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("conflicts")]

WRITERS = 8
# What the other tests of the module add to the storm folder.
OTHER_ITEMS = ("counter", "one")
RETRIED = re.compile(r"retrying (\w+ \S+) after \w*Conflict\w* \(retry ([123]) of 3\)")
GAVE_UP = re.compile(r"giving up (\w+ \S+) after 4 attempts: conflict retries exhausted")


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory):
    """One site for the module, with its public storm folder; stopped at the end."""
    site = CrashSite(tmp_path_factory.mktemp("busy"))
    yield site
    site.stop()


def at_once(send, count: int) -> list:
    """Return the results of `send(number)` for `count` numbers, WRITERS at a time."""
    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(send, range(count)))


def log_since(site, mark: int) -> str:
    """Return what the site's server logged after `mark` characters."""
    return site.server_log()[mark:]


def assert_replays_ran_alone(log: str) -> None:
    """Every conflicted request succeeded at its first replay, which ran alone."""
    assert {number for _, number in RETRIED.findall(log)} <= {"1"}
    assert GAVE_UP.findall(log) == []
    assert "incident" not in log


def test_increments_of_one_object_at_once_are_each_counted_once_or_refused(busy_site):
    url = busy_site.storm_url
    created = request("POST", url, body={"@type": "TestCounter", "id": "counter"}, auth=False)
    assert created[0] == 201
    mark = len(busy_site.server_log())

    def increment(_):
        status, _, body = request("POST", f"{url}/counter/@@increment", auth=False)
        return status, json.loads(body)["value"] if status == 200 else None
    answers = at_once(increment, 120)
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) == {200}
    # Each increment that was acknowledged read the value the one before it wrote.
    assert sorted(value for status, value in answers if status == 200) == list(
        range(1, statuses[200] + 1))
    final = request("GET", f"{url}/counter/@@value", auth=False)
    assert json.loads(final[2]) == {"value": statuses[200]}
    log = log_since(busy_site, mark)
    retried = RETRIED.findall(log)
    assert retried, "no request conflicted, so the test proved nothing"
    assert {line for line, _ in retried} == {"POST /storm/counter/@@increment"}
    assert_replays_ran_alone(log)
    # The Control panel's diagnostics count each of those conflicts against the counter.
    report = json.loads(request("GET", f"{busy_site.serve.url}/@@diagnostics")[2])
    [counter] = [hot for hot in report["conflicts"] if hot["path"] == "/storm/counter"]
    assert counter["class"].endswith(".Counter")
    assert (counter["conflicts"], counter["retries"], counter["unavailable"]) == (
        len(retried), len(retried), 0)
    assert counter["last_request"] == "POST /storm/counter/@@increment"


def test_changes_to_one_page_at_once_leave_an_acknowledged_title(busy_site):
    url = busy_site.storm_url
    created = request("POST", url, body={"@type": "Page", "id": "one", "title": "t-first"},
                      auth=False)
    assert created[0] == 201
    mark = len(busy_site.server_log())

    def change(number):
        title = f"t{number}"
        return request("PATCH", f"{url}/one", body={"title": title}, auth=False)[0], title
    answers = at_once(change, 120)
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) == {204}
    final = json.loads(request("GET", f"{url}/one", headers={"Accept": "application/json"},
                               auth=False)[2])
    assert final["title"] in {title for status, title in answers if status == 204}
    assert_replays_ran_alone(log_since(busy_site, mark))


def test_adds_to_one_folder_at_once_are_all_there_or_refused(busy_site):
    mark = len(busy_site.server_log())
    ledger = busy_site.ledger
    with busy_site.storm():
        busy_site.wait_for_acks(240)
    titles = titles_in(busy_site.storm_url)
    for name in OTHER_ITEMS:
        titles.pop(name, None)
    assert ledger.errored == 0
    assert set(ledger.statuses) <= {201, 204}
    # Every acknowledged add and change is there, and nothing else was added.
    assert ledger.lost(titles) == [] and ledger.unexplained(titles) == []
    assert sorted(titles) == sorted(ledger.acknowledged)
    assert_replays_ran_alone(log_since(busy_site, mark))
