"""Property tests: whatever a client sends, the answer is below 500, carries no
traceback, and a refused request changes nothing.

Each test draws requests of one family (paths, headers, query strings, Range
and conditional headers, bodies) from `hostile_strategies` with a fixed,
derandomized budget, so a run takes the same bounded time and finds the same
inputs every time. `bench/hostile_run.py` draws many more from the same
strategies and keeps what it found in `bench/fuzz-corpus/`, which
`test_corpus.py` replays.
"""

from hypothesis import HealthCheck, given, settings

from hostile_site import judge
from hostile_strategies import (
    any_request, body_requests, header_requests, path_requests, query_requests, range_requests)

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])


@BOUNDED
@given(request=path_requests)
def test_any_path_is_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)


@BOUNDED
@given(request=header_requests)
def test_any_headers_are_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)


@BOUNDED
@given(request=query_requests)
def test_any_query_string_is_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)


@BOUNDED
@given(request=range_requests)
def test_any_range_or_condition_is_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)


@BOUNDED
@given(request=body_requests())
def test_any_body_is_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)


@BOUNDED
@given(request=any_request)
def test_any_request_is_answered_without_a_server_error(hostile_site, request):
    judge(hostile_site, request)
