"""The whole litmus suite (Debian's `litmus`, the WebDAV conformance suite) against `objweb serve`.

All five suites run: basic, copymove, props, locks and http. Every test
must pass and litmus must print no warning.
"""

import os
import re
import shutil
import subprocess

import pytest

from dav_servers import PASSWORD, USER, make_home, serve

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("dav-litmus")]

SUITES = ("basic", "copymove", "props", "locks", "http")
SUMMARY = re.compile(r"<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed")


def test_litmus_passes_every_test_of_every_suite(tmp_path):
    litmus = shutil.which("litmus")
    assert litmus, "litmus is not installed (make test installs Debian's litmus)"
    make_home(tmp_path)
    server = serve(tmp_path)
    try:
        result = subprocess.run(
            [litmus, "-k", f"{server.url}/@@dav/", USER, PASSWORD], cwd=tmp_path,
            capture_output=True, text=True, timeout=600,
            env=dict(os.environ, TESTS=" ".join(SUITES)))
    finally:
        server.stop()
    output = result.stdout + result.stderr
    summaries = {found[0]: found[1:] for found in SUMMARY.findall(output)}
    assert list(summaries) == list(SUITES), output
    for suite, (run, passed, failed) in summaries.items():
        assert run == passed and failed == "0", f"{suite}:\n{output}"
    assert "WARNING" not in output, output
    assert sum(int(run) for run, _, _ in summaries.values()) == 104
