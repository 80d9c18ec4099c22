"""The ZMI's WebDAV locks screen: a Manager sees every lock below a folder and clears them."""

import objweb
from objweb.content.locks import Locks

from dav_site import EDITOR_AUTH, take
from support import ADMIN_AUTH, basic_csrf_token


def live_locks(db) -> list:
    with objweb.site(db) as root:
        return Locks(root._p_jar).everything()


def test_a_manager_sees_the_locks_below_a_folder(dav, app):
    token, _ = take(dav, "/docs/page.html")
    take(dav, "/private", auth=ADMIN_AUTH)
    page = app.get("/docs/manage_davlocks", headers=ADMIN_AUTH, status=200)
    assert "/docs/page.html" in page.text and token in page.text
    assert "editor (/acl_users)" in page.text and "mailto:ann@example.com" in page.text
    assert "<td>/private</td>" not in page.text and "<td>/docs/page.html</td>" in page.text
    root_page = app.get("/manage_davlocks", headers=ADMIN_AUTH, status=200)
    assert "<td>/private</td>" in root_page.text
    assert "WebDAV locks" in app.get("/docs/manage_contents", headers=ADMIN_AUTH, status=200).text


def test_an_editor_may_not_see_the_screen(dav, app):
    app.get("/docs/manage_davlocks", headers=EDITOR_AUTH, status=403)


def test_clearing_a_lock_needs_the_csrf_token(dav, app, db):
    token, _ = take(dav, "/docs/page.html")
    app.post("/docs/manage_davlocks", {"command": "clear", "tokens": token},
             headers=ADMIN_AUTH, status=403)
    assert len(live_locks(db)) == 1
    csrf = basic_csrf_token(app, ADMIN_AUTH)
    app.post("/docs/manage_davlocks", {"command": "clear", "tokens": token, "csrf_token": csrf},
             headers=ADMIN_AUTH, status=303)
    assert live_locks(db) == []
    dav("PUT", "/docs/page.html", body=b"<p>free</p>", status=204)


def test_clearing_nothing_is_refused(app):
    csrf = basic_csrf_token(app, ADMIN_AUTH)
    page = app.post("/docs/manage_davlocks", {"command": "clear", "csrf_token": csrf},
                    headers=ADMIN_AUTH, status=400)
    assert "tick at least one lock" in page.text


def test_dropping_expired_locks(dav, app, db):
    take(dav, "/docs/page.html")
    with objweb.site(db) as root:
        table = root._p_jar.root()["objweb.webdav_locks"]
        from dataclasses import replace
        (held,) = table.by_path["/docs/page.html"]
        table.by_path["/docs/page.html"] = (replace(held, expires=0.0),)
    csrf = basic_csrf_token(app, ADMIN_AUTH)
    app.post("/manage_davlocks", {"command": "sweep", "csrf_token": csrf},
             headers=ADMIN_AUTH, status=303)
    with objweb.site(db) as root:
        assert len(root._p_jar.root()["objweb.webdav_locks"].by_path) == 0
