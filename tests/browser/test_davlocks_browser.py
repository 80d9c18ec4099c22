"""The WebDAV locks tab in a real browser: a Manager finds a lock left behind and clears it."""

import base64
import urllib.request

import pytest
from playwright.sync_api import expect

from objweb import Folder, Page
from support import ADMIN, ADMIN_PASSWORD
from test_zmi_browser import (  # noqa: F401 (the fixtures of the ZMI's browser tests)
    last_transaction, manager, populate, read_site)

pytestmark = pytest.mark.browser

AUTH = {"Authorization": "Basic " + base64.b64encode(f"{ADMIN}:{ADMIN_PASSWORD}".encode())
        .decode()}
LOCK_BODY = (b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
             b"<D:locktype><D:write/></D:locktype><D:owner>Ann's laptop</D:owner></D:lockinfo>")


@pytest.fixture
def news_site(populate):
    populate(lambda root: root.add("news", Folder(title="News")).add("story", Page(title="S")))


def dav(server, method: str, path: str, body: bytes = b"", headers=None) -> int:
    request = urllib.request.Request(server.url + "/@@dav" + path, data=body or None,
                                     method=method, headers={**AUTH, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_manager_clears_a_lock_left_behind(news_site, manager):
    assert dav(manager.server, "LOCK", "/news/story", LOCK_BODY, {"Depth": "0"}) == 200
    manager.go("/news/manage_davlocks")
    row = manager.page.locator("table.listing tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("/news/story")
    expect(row).to_contain_text("Ann's laptop")
    expect(row).to_contain_text("admin (/acl_users)")
    token = manager.page.locator("input[name=tokens]").get_attribute("value")
    manager.refused_without_token("/news/manage_davlocks",
                                  {"command": "clear", "tokens": token})
    before = last_transaction(manager.home)
    manager.page.check("input[name=tokens]")
    manager.command("Clear the ticked locks")
    expect(manager.page.locator(".flash-success")).to_contain_text("Cleared 1 lock.")
    expect(manager.page.locator(".empty")).to_have_text("No WebDAV locks here.")
    assert last_transaction(manager.home) != before
    assert read_site(manager.home, lambda root: len(
        root._p_jar.root()["objweb.webdav_locks"].by_path)) == 0
    assert dav(manager.server, "PUT", "/news/story", b"<p>free</p>") == 204
