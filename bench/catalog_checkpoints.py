"""What the walk-through check costs a search: a 20,000-Page folder holding a few closed folders.

Builds /big with 20,000 Pages and 5 folders of 200 Pages each that withhold
"Access contents information" from all but Managers, drains the catalog,
then asks three queries as an anonymous visitor and as a Manager with the
check on and off (the check replaced by nothing), taking the best median
of two rounds each, and last times the check alone: deciding the
checkpoints below /big and taking their subtrees out of the hits.

    .venv/bin/python bench/catalog_checkpoints.py
"""

import statistics
import sys
import time

import objweb
from objweb import Folder, Page
from objweb.catalog import drain_all, find_results
from objweb.catalog.gate import Gate
from objweb.catalog.search import lists_of, viewers_of
from objweb.catalog.store import catalog_of
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL

ACCESS = "Access contents information"
QUERIES = ({"path": "/big"}, {"text": "ledger"},
           {"path": "/big", "type": "Page", "sort_on": "id"})
# `objweb.catalog.search` is also the name of a function: the module is read from sys.modules.
search_module = sys.modules["objweb.catalog.search"]
CHECK = search_module._close


def build():
    db = objweb.open_db("memory://")
    objweb.bootstrap(db, admin="admin", password="pw-admin-measure-1")
    with objweb.site(db) as root:
        big = root.add("big", Folder())
        for number in range(20_000):
            big.add(f"p{number:05d}", Page(title=f"page {number}", body="<p>ledger entry</p>"))
        for number in range(5):
            closed = big.add(f"closed{number}", Folder())
            for inner in range(200):
                closed.add(f"q{inner:03d}", Page(title=f"inside {inner}", body="<p>ledger</p>"))
            closed.manage_permission(ACCESS, ["Manager"], acquire=False)
    drain_all(db)
    return db


def policy_of(root, who):
    if who == "anonymous":
        return SecurityPolicy(ANONYMOUS_PRINCIPAL)
    return SecurityPolicy(principal_by_login(root, "admin"))


def timed(db, query, who, runs):
    times, total = [], 0
    for _ in range(runs):
        with objweb.site(db) as root:
            policy = policy_of(root, who)
            start = time.perf_counter()
            results = find_results(root, lists_of(query), policy=policy)
            total = len(results)
            results[:20]
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, total


def check_alone(db, who, runs=31):
    costs = []
    for _ in range(runs):
        with objweb.site(db) as root:
            catalog = catalog_of(root._p_jar)
            policy = policy_of(root, who)
            hits = catalog.below("/big")
            gate = Gate(catalog, viewers_of(policy), policy=policy)
            start = time.perf_counter()
            CHECK(catalog, root, "/big", gate, False)
            kept = gate._outside_closed(hits)  # the added work only, not the View filter
            costs.append(time.perf_counter() - start)
    return statistics.median(costs) * 1000, len(gate.closed), len(hits), len(kept)


def main():
    db = build()
    for query in QUERIES:
        for who in ("anonymous", "admin"):
            timed(db, query, who, runs=3)
    for query in QUERIES:
        for who in ("anonymous", "admin"):
            rounds = {}
            for label in ("on", "off", "on", "off"):
                search_module._close = CHECK if label == "on" else (lambda *args: None)
                rounds.setdefault(label, []).append(timed(db, query, who, runs=11))
            on, off = min(rounds["on"]), min(rounds["off"])
            print(f"{who:9} {str(query):50} check on {on[0]:6.1f} ms ({on[1]} found)"
                  f"  off {off[0]:6.1f} ms ({off[1]} found)")
    search_module._close = CHECK
    for who in ("anonymous", "admin"):
        cost, closed, hits, kept = check_alone(db, who)
        print(f"{who:9} the check alone: {cost:.2f} ms, {closed} closed, {hits} -> {kept} hits")
    db.close()


if __name__ == "__main__":
    main()
