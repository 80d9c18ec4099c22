"""Hostile input at volume: many more requests from the property tests' strategies.

Draws requests from `tests/hostile/hostile_strategies.py` (every family: paths,
headers, query strings, Range and conditions, bodies, and all of them mixed),
sends each to a fresh copy of the sample site through the WSGI application,
and prints the requests sent, the status histogram and the server errors,
which must be 0. A request whose outcome is new (its method, status
and the answer's message not met before) is added to the corpus
`bench/fuzz-corpus/requests.jsonl`, which `tests/hostile/test_corpus.py`
replays; so is every request that broke a property.

    .venv/bin/python bench/hostile_run.py                      # 20,000 requests
    .venv/bin/python bench/hostile_run.py --requests 2000 --seconds 60
"""

import argparse
import logging
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests"), str(HERE.parent / "tests" / "hostile")]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from hostile_site import HostileSite, RawRequest, problems  # noqa: E402
from hostile_strategies import (  # noqa: E402
    any_request, body_requests, header_requests, path_requests, query_requests, range_requests)

CORPUS = HERE / "fuzz-corpus" / "requests.jsonl"
FAMILIES = {"path": path_requests, "headers": header_requests, "query": query_requests,
            "range": range_requests, "body": body_requests(), "any": any_request}
KNOWN_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# Incident ids, numbers and quoted values vary from one request to the next.
_VARYING = re.compile(r"incident [0-9a-f]+|\d+|'[^']*'|\"[^\"]*\"")


class IncidentLog(logging.Handler):
    """Keeps where the last logged incident was raised, to group server errors by cause."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = None

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            frame = traceback.extract_tb(record.exc_info[2])[-1]
            error = record.exc_info[1]
            self.last = f"{type(error).__name__} at {frame.filename}:{frame.lineno}: {error}"


def outcome(request: RawRequest, status: int, body: bytes) -> tuple:
    """Return what makes an answer new: the method, the status and the shape of its message."""
    message = body[:400].decode("latin-1")
    found = re.search(r'"error": "([^"]*)"|<p>([^<]*)</p>', message)
    text = (found.group(1) or found.group(2)) if found else message[:60]
    method = request.method if request.method in KNOWN_METHODS else "other"
    return method, status, _VARYING.sub("_", text)[:80]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000, help="requests to send in all")
    parser.add_argument("--seconds", type=float, default=900, help="stop after this long")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed of the first family")
    parser.add_argument("--no-corpus", action="store_true", help="do not add to the corpus")
    options = parser.parse_args()

    logging.getLogger("objweb.access").propagate = False
    incidents = IncidentLog()
    logging.getLogger("objweb").addHandler(incidents)
    logging.getLogger("objweb").setLevel(logging.ERROR)
    site = HostileSite()
    known = [RawRequest.from_json(line) for line in CORPUS.read_text().splitlines()] \
        if CORPUS.exists() else []
    seen_outcomes: set = set()
    statuses: Counter = Counter()
    errors: Counter = Counter()
    new_lines: list[str] = []
    deadline = time.monotonic() + options.seconds
    sent = 0

    def send(family: str, request: RawRequest) -> None:
        nonlocal sent
        incidents.last = None
        answer, changed = site.send(request)
        sent += 1
        statuses[answer.status] += 1
        broken = problems(request, answer, changed)
        for problem in broken:
            cause = answer.escaped or incidents.last or problem
            errors[f"{family}: {_VARYING.sub('_', cause)[:300]}"] += 1
        key = outcome(request, answer.status, answer.body)
        if key not in seen_outcomes or broken:
            seen_outcomes.add(key)
            new_lines.append(request.to_json())

    start = time.monotonic()
    for request in known:
        send("corpus", request)
    new_lines.clear()  # the corpus's own outcomes are known, not new
    print(f"replayed the corpus: {len(known)} requests", flush=True)
    per_family = max(1, (options.requests - sent) // len(FAMILIES))
    for number, (family, strategy) in enumerate(FAMILIES.items()):
        if time.monotonic() > deadline:
            break

        @seed(options.seed + number)
        @settings(max_examples=per_family, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(request=strategy)
        def run(request):
            if time.monotonic() < deadline:
                send(run.family, request)

        run.family = family
        before = (sent, sum(errors.values()))
        run()
        print(f"{family}: {sent - before[0]} requests, "
              f"{sum(errors.values()) - before[1]} server errors", flush=True)
    elapsed = time.monotonic() - start

    if new_lines and not options.no_corpus:
        CORPUS.parent.mkdir(exist_ok=True)
        with CORPUS.open("a") as corpus:
            corpus.write("".join(line + "\n" for line in new_lines))
    print(f"requests sent: {sent} in {elapsed:.0f} s ({sent / elapsed:.0f} requests/s), "
          f"{len(known)} of them replayed from the corpus")
    print("status histogram:", ", ".join(f"{status}: {count}"
                                         for status, count in sorted(statuses.items())))
    print(f"server errors (5xx, escaped exceptions, tracebacks, changes by refusals): "
          f"{sum(errors.values())}")
    for cause, count in errors.most_common():
        print(f"  {count:6d}  {cause}")
    print(f"corpus: {len(known) + (0 if options.no_corpus else len(new_lines))} requests "
          f"in {CORPUS.relative_to(HERE.parent)} ({len(new_lines)} new outcomes this run)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
