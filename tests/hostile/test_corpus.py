"""The fuzz corpus replayed: every request `bench/hostile_run.py` found interesting.

The corpus holds one request per distinct outcome the fuzz runs met (method,
status, message) and every request that once broke a property; replaying it
keeps what the long runs found in each `make test`.
"""

from pathlib import Path

from hostile_site import RawRequest, problems

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "fuzz-corpus" / "requests.jsonl"


def test_the_corpus_is_kept():
    assert len(CORPUS.read_text().splitlines()) >= 100


def test_every_request_of_the_corpus_is_answered_without_a_server_error(hostile_site):
    broken = []
    for line in CORPUS.read_text().splitlines():
        request = RawRequest.from_json(line)
        answer, changed = hostile_site.send(request)
        found = problems(request, answer, changed)
        if found:
            broken.append(f"{request!r}: {'; '.join(found)}")
    assert not broken, "\n".join(broken[:20])
