"""LOCK and UNLOCK through the door: scopes, depth, refresh, expiry, and the If header."""

import re

import pytest

import objweb
from objweb.content.locks import Locks

from dav_site import EDITOR_AUTH, OTHER_EDITOR_AUTH, lockinfo, take
from support import ADMIN_AUTH


def test_an_exclusive_lock_keeps_others_out_and_lets_its_holder_write(dav, stored):
    token, answer = take(dav, "/docs/page.html")
    assert "<D:timeout>Second-600</D:timeout>" in answer.text
    assert "<D:owner><D:href>mailto:ann@example.com</D:href></D:owner>" in answer.text
    dav("PUT", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=b"<p>b</p>", status=423)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>a</p>", status=423)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>a</p>",
        headers={"If": f"(<{token}>)"}, status=204)
    # The token is the holder's: another user naming it still gets no access.
    dav("PUT", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=b"<p>b</p>",
        headers={"If": f"(<{token}>)"}, status=423)
    dav("LOCK", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=lockinfo("shared"),
        status=423)
    assert stored("/docs/page.html", lambda obj: obj.body) == "<p>a</p>"


def test_shared_locks_go_together(dav):
    take(dav, "/docs/page.html", scope="shared")
    take(dav, "/docs/page.html", auth=OTHER_EDITOR_AUTH, scope="shared")
    take(dav, "/docs/page.html", scope="exclusive", status=423)
    discovery = dav("PROPFIND", "/docs/page.html", headers={"Depth": "0"}, status=207).text
    assert discovery.count("<D:activelock>") == 2


def test_a_depth_infinity_lock_covers_the_members_and_their_membership(dav, stored):
    token, _ = take(dav, "/docs", depth="infinity")
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>x</p>", status=423)
    dav("PUT", "/docs/new.txt", auth=EDITOR_AUTH, body=b"x", status=423)
    dav("DELETE", "/docs/data.bin", auth=EDITOR_AUTH, status=423)
    dav("MOVE", "/docs/data.bin", auth=EDITOR_AUTH, headers={"Destination": "/@@dav/x.bin"},
        status=423)
    listing = dav("PROPFIND", "/docs/", headers={"Depth": "1"}, status=207).text
    assert listing.count(f"<D:href>{token}</D:href>") == 6
    dav("PUT", "/docs/new.txt", auth=EDITOR_AUTH, body=b"x", headers={"If": f"(<{token}>)"},
        status=201)
    # A lock on the folder below which something is locked by another conflicts.
    dav("LOCK", "/", auth=OTHER_EDITOR_AUTH, body=lockinfo(), headers={"Depth": "infinity"},
        status=423)
    assert stored("/docs/data.bin") is not None


def test_a_delete_drops_the_locks_below(dav, db):
    token, _ = take(dav, "/docs/page.html")
    dav("DELETE", "/docs", auth=EDITOR_AUTH, headers={"If": f"</@@dav/docs/page.html> (<{token}>)"},
        status=204)
    with objweb.site(db) as root:
        assert Locks(root._p_jar).everything() == []


def test_a_lock_refreshes_with_its_token_alone(dav):
    token, _ = take(dav, "/docs/page.html")
    refreshed = dav("LOCK", "/docs/page.html", auth=EDITOR_AUTH,
                    headers={"If": f"(<{token}>)", "Timeout": "Infinite"}, status=200)
    assert f"<D:timeout>Second-{7 * 24 * 3600}</D:timeout>" in refreshed.text
    dav("LOCK", "/docs/page.html", auth=OTHER_EDITOR_AUTH,
        headers={"If": f"(<{token}>)"}, status=412)
    dav("LOCK", "/docs/data.bin", auth=EDITOR_AUTH, headers={"If": f"(<{token}>)"},
        status=412)


def test_a_lock_on_a_name_where_nothing_is_makes_an_empty_file(dav, stored):
    token, _ = take(dav, "/docs/new.txt", status=201)
    assert stored("/docs/new.txt", lambda obj: obj.size) == 0
    dav("PUT", "/docs/new.txt", auth=EDITOR_AUTH, body=b"filled",
        headers={"If": f"(<{token}>)"}, status=204)


def test_unlock_needs_a_token_that_applies(dav):
    token, _ = take(dav, "/docs/page.html")
    dav("UNLOCK", "/docs/page.html", auth=EDITOR_AUTH, status=400)
    dav("UNLOCK", "/docs/data.bin", auth=EDITOR_AUTH, headers={"Lock-Token": f"<{token}>"},
        status=409)
    dav("UNLOCK", "/docs/page.html", auth=EDITOR_AUTH, headers={"Lock-Token": f"<{token}>"},
        status=204)
    dav("PUT", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=b"<p>b</p>", status=204)


def test_an_expired_lock_no_longer_holds(dav, db):
    take(dav, "/docs/page.html")
    with objweb.site(db) as root:
        table = root._p_jar.root()["objweb.webdav_locks"]
        (held,) = table.by_path["/docs/page.html"]
        from dataclasses import replace
        table.by_path["/docs/page.html"] = (replace(held, expires=held.expires - 10_000),)
    dav("PUT", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=b"<p>b</p>", status=204)


def test_if_header_state_tokens_and_etags(dav, stored):
    token, _ = take(dav, "/docs/page.html")
    etag = re.search(r'<D:getetag>("[^"]*")</D:getetag>',
                     dav("PROPFIND", "/docs/page.html", headers={"Depth": "0"},
                         status=207).text).group(1)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>1</p>",
        headers={"If": f'(<{token}> ["wrong"])'}, status=412)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>1</p>",
        headers={"If": f"(<{token}> [{etag}])"}, status=204)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>2</p>",
        headers={"If": f"(Not <DAV:no-lock>) (<{token}>)"}, status=204)
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH, body=b"<p>3</p>",
        headers={"If": "(<DAV:no-lock>)"}, status=412)
    assert stored("/docs/page.html", lambda obj: obj.body) == "<p>2</p>"


@pytest.mark.parametrize("body", [
    b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope></D:lockinfo>',
    b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:other/></D:lockscope>'
    b"<D:locktype><D:write/></D:locktype></D:lockinfo>",
    b'<D:propfind xmlns:D="DAV:"/>',
    lockinfo(owner=b"x" * 5000),
], ids=["no-type", "bad-scope", "not-lockinfo", "long-owner"])
def test_a_lock_body_that_is_no_lockinfo_is_refused(dav, body):
    dav("LOCK", "/docs/page.html", auth=EDITOR_AUTH, body=body, status=400)


def test_lock_depth_and_refresh_rules(dav):
    dav("LOCK", "/docs/page.html", auth=EDITOR_AUTH, body=lockinfo(),
        headers={"Depth": "1"}, status=400)
    dav("LOCK", "/docs/page.html", auth=EDITOR_AUTH, status=400)
    dav("LOCK", "/nowhere/x", auth=EDITOR_AUTH, body=lockinfo(), status=409)


@pytest.mark.parametrize("header,seconds", [
    ("Second-30", 30), ("Infinite, Second-5", 7 * 24 * 3600), ("Second-99999999999", 604800),
    ("bogus", 3600), (None, 3600),
])
def test_timeouts(header, seconds):
    from objweb.dav.locking import read_timeout
    assert read_timeout(header) == seconds


def test_a_template_locked_before_it_is_saved_becomes_a_template(dav, stored):
    # An editor may lock the new name, but not make a Template of it.
    token, _ = take(dav, "/docs/new.pt", status=201)
    dav("PUT", "/docs/new.pt", auth=EDITOR_AUTH, body=b"<p>x</p>",
        headers={"If": f"(<{token}>)"}, status=403)
    assert stored("/docs/new.pt", lambda obj: obj.type_name) == "File"
    admin_token, _ = take(dav, "/docs/mine.pt", auth=ADMIN_AUTH, status=201)
    dav("PUT", "/docs/mine.pt", body=b'<p tal:content="context/title">x</p>',
        headers={"If": f"(<{admin_token}>)"}, status=204)
    assert stored("/docs/mine.pt", lambda obj: obj.type_name) == "Template"
    dav("PUT", "/docs/mine.pt", body=b"<p>2</p>", status=423)
