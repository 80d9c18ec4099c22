"""A second real WebDAV client, rclone: a directory tree up, a Template edited, the tree down."""

import filecmp
import os
import shutil
import subprocess

import pytest

from cli_support import stored_site
from dav_servers import PASSWORD, USER, make_home, send, serve
from sample_site import png_bytes

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("dav-rclone")]

TEMPLATE = '<h1 tal:content="context/title">title</h1>\n'
EDITED = '<h2 class="edited" tal:content="context/title">title</h2>\n'


def make_tree(tree) -> None:
    (tree / "docs" / "sub").mkdir(parents=True)
    (tree / "view.pt").write_text(TEMPLATE)
    (tree / "greet.py").write_text("## parameters=name='world'\nreturn 'Hello ' + name\n")
    (tree / "docs" / "page.html").write_text("<p>A page</p>")
    (tree / "docs" / "logo.png").write_bytes(png_bytes(40, 30))
    (tree / "docs" / "sub" / "blob.bin").write_bytes(os.urandom(300_000))
    (tree / "docs" / "notes.txt").write_text("notes\n")


def rclone(*args, home) -> str:
    result = subprocess.run(["rclone", *args], cwd=home, capture_output=True, text=True,
                            timeout=300, env=dict(os.environ, RCLONE_CONFIG=str(home / "none")))
    assert result.returncode == 0, result.stderr
    return result.stdout


def same_trees(left, right) -> bool:
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return not mismatch and not errors and all(
        same_trees(left / name, right / name) for name in comparison.common_dirs)


def test_rclone_round_trip(tmp_path):
    assert shutil.which("rclone"), "rclone is not installed (make test installs Debian's rclone)"
    tree, back = tmp_path / "tree", tmp_path / "back"
    make_tree(tree)
    make_home(tmp_path)
    server = serve(tmp_path)
    try:
        password = rclone("obscure", PASSWORD, home=tmp_path).strip()
        remote = [f"--webdav-url={server.url}/@@dav/", f"--webdav-user={USER}",
                  f"--webdav-pass={password}", "--webdav-vendor=other"]
        rclone("mkdir", ":webdav:site", *remote, home=tmp_path)
        rclone("copy", str(tree), ":webdav:site", *remote, home=tmp_path)
        (tree / "view.pt").write_text(EDITED)
        rclone("copy", str(tree), ":webdav:site", *remote, home=tmp_path)
        status, _, page = send("GET", f"{server.url}/site/view.pt")
        assert status == 200 and b'<h2 class="edited">site</h2>' in page
        status, _, greeting = send("GET", f"{server.url}/site/greet.py?name=rclone")
        assert (status, greeting) == (200, b"Hello rclone")
        rclone("copy", ":webdav:site", str(back), *remote, home=tmp_path)
    finally:
        server.stop()
    assert same_trees(tree, back)
    with stored_site(tmp_path) as root:
        site = root["site"]
        assert [site[name].type_name for name in ("view.pt", "greet.py", "docs")] == \
            ["Template", "Script", "Folder"]
        docs = site["docs"]
        assert [docs[name].type_name for name in ("page.html", "logo.png", "notes.txt")] == \
            ["Page", "Image", "File"]
        assert (docs["logo.png"].width, docs["logo.png"].height) == (40, 30)
        assert docs["sub"]["blob.bin"].owner == USER
