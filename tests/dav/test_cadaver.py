"""A third real WebDAV client, cadaver, driven through its standard input."""

import os
import shutil
import subprocess

import pytest

from dav_servers import PASSWORD, USER, make_home, send, serve

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("dav-cadaver")]

SCRIPT = """mkcol news
cd news
put view.pt
lock view.pt
put view.pt
unlock view.pt
propset view.pt colour red
propget view.pt colour
move view.pt v2.pt
copy v2.pt v3.pt
delete v3.pt
ls
quit
"""


def test_cadaver_edits_locks_and_moves(tmp_path):
    assert shutil.which("cadaver"), "cadaver is not installed (make test installs it)"
    (tmp_path / ".netrc").write_text(f"machine 127.0.0.1\nlogin {USER}\npassword {PASSWORD}\n")
    (tmp_path / ".netrc").chmod(0o600)
    (tmp_path / "view.pt").write_text('<p tal:content="context/title">x</p>\n')
    make_home(tmp_path)
    server = serve(tmp_path)
    try:
        result = subprocess.run(["cadaver", f"{server.url}/@@dav/"], input=SCRIPT, cwd=tmp_path,
                                capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, HOME=str(tmp_path)))
        output = result.stdout + result.stderr
        assert output.count("succeeded") == 10, output
        assert "Value of colour is: red" in output and "failed" not in output
        assert send("GET", f"{server.url}/news/v2.pt")[2] == b"<p>news</p>\n"
        assert send("GET", f"{server.url}/news/v3.pt")[0] == 404
    finally:
        server.stop()
