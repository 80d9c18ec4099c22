"""The site's security at the WebDAV door: each method refused as every other door refuses it."""

import pytest

import objweb
from objweb.content.locks import Locks
from objweb.security.permissions import CHANGE_CODE, EDITOR, MANAGER

from dav_site import DAV, EDITOR_AUTH, OTHER_EDITOR_AUTH, PROPFIND_ALL
from support import ADMIN_AUTH, BROWSER_ACCEPT, browser_login

LOCK_BODY = (b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
             b"<D:locktype><D:write/></D:locktype></D:lockinfo>")
PROPPATCH_BODY = (b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>'
                  b"<x:a>1</x:a></D:prop></D:set></D:propertyupdate>")

# (method, path, headers, body) of each method, aimed at the Manager-only folder.
INTO_PRIVATE = [
    ("PROPFIND", "/private/", {"Depth": "1"}, PROPFIND_ALL),
    ("GET", "/private/secret.html", {}, b""),
    ("PUT", "/private/secret.html", {}, b"<p>changed</p>"),
    ("PUT", "/private/new.txt", {}, b"new"),
    ("MKCOL", "/private/sub", {}, b""),
    ("DELETE", "/private/secret.html", {}, b""),
    ("COPY", "/private/secret.html", {"Destination": "/@@dav/docs/stolen.html"}, b""),
    ("COPY", "/docs/page.html", {"Destination": "/@@dav/private/planted.html"}, b""),
    ("MOVE", "/private/secret.html", {"Destination": "/@@dav/docs/stolen.html"}, b""),
    ("MOVE", "/docs/page.html", {"Destination": "/@@dav/private/planted.html"}, b""),
    ("PROPPATCH", "/private/secret.html", {}, PROPPATCH_BODY),
    ("LOCK", "/private/secret.html", {}, LOCK_BODY),
    ("UNLOCK", "/private/secret.html", {"Lock-Token": "<opaquelocktoken:x>"}, b""),
]
EVERY_METHOD = INTO_PRIVATE + [("OPTIONS", "/", {}, b"")]


def unchanged(stored) -> bool:
    return (stored("/private/secret.html", lambda obj: obj.body) == "<p>secret</p>"
            and stored("/docs/page.html") is not None
            and stored("/docs/stolen.html") is None and stored("/private/planted.html") is None
            and stored("/private/new.txt") is None and stored("/private/sub") is None)


@pytest.mark.parametrize("method,path,headers,body", EVERY_METHOD,
                         ids=[f"{case[0]} {case[1]}" for case in EVERY_METHOD])
@pytest.mark.parametrize("accept", [{}, BROWSER_ACCEPT], ids=["client", "browser"])
def test_anonymous_is_asked_for_basic_credentials(dav, stored, method, path, headers, body,
                                                  accept):
    answer = dav(method, path, auth=None, headers={**headers, **accept}, body=body, status=401)
    assert answer.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    assert answer.content_type == "text/plain"
    assert unchanged(stored)


def test_a_bad_password_is_asked_again(dav):
    from support import basic_auth
    answer = dav("PROPFIND", "/", auth=basic_auth("editor", "wrong"), headers={"Depth": "0"},
                 status=401)
    assert answer.headers["WWW-Authenticate"] == 'Basic realm="objweb"'


@pytest.mark.parametrize("method,path,headers,body", INTO_PRIVATE,
                         ids=[f"{case[0]} {case[1]}" for case in INTO_PRIVATE])
def test_an_editor_is_refused_in_a_manager_only_folder(dav, stored, method, path, headers,
                                                       body):
    answer = dav(method, path, auth=EDITOR_AUTH, headers=headers, body=body, status=403)
    assert answer.content_type == "text/plain" and "Traceback" not in answer.text
    assert unchanged(stored)


def test_the_manager_may_do_what_the_editor_may_not(dav, stored):
    dav("PUT", "/private/secret.html", body=b"<p>new</p>", status=204)
    assert stored("/private/secret.html", lambda obj: obj.body) == "<p>new</p>"


def test_a_listing_leaves_out_what_the_user_may_not_access(dav):
    answer = dav("PROPFIND", "/", auth=EDITOR_AUTH, headers={"Depth": "1"}, status=207)
    assert "/@@dav/docs/" in answer.text and "/@@dav/private/" not in answer.text


def test_without_webdav_access_a_user_is_refused(dav, db):
    with objweb.site(db) as root:
        root.manage_permission("WebDAV access", roles=[MANAGER], acquire=False)
    dav("PROPFIND", "/", auth=EDITOR_AUTH, headers={"Depth": "0"}, status=403)
    dav("PROPFIND", "/", headers={"Depth": "0"}, status=207)


def test_an_editor_may_not_write_code(dav, stored):
    dav("PUT", "/docs/new.py", auth=EDITOR_AUTH, body=b"return 1", status=403)
    dav("PUT", "/docs/view.pt", auth=EDITOR_AUTH, body=b"<p>x</p>", status=403)
    dav("COPY", "/docs/greet.py", auth=EDITOR_AUTH,
        headers={"Destination": "/@@dav/docs/copy.py"}, status=403)
    assert stored("/docs/new.py") is None and stored("/docs/copy.py") is None


def test_an_editor_s_html_is_cleaned(dav, stored):
    dav("PUT", "/docs/page.html", auth=EDITOR_AUTH,
        body=b"<p onclick='x()'>hi</p><script>alert(1)</script>", status=204)
    assert stored("/docs/page.html", lambda obj: obj.body) == "<p>hi</p>"


def grant_code_to_editors(db):
    with objweb.site(db) as root:
        root.manage_permission(CHANGE_CODE, roles=[EDITOR, MANAGER], acquire=False)


def test_a_script_an_editor_saves_is_the_editor_s_and_runs_with_no_more_than_their_rights(
        dav, app, db, stored):
    grant_code_to_editors(db)
    code = b"## parameters=\nreturn context['private']['secret.html'].body\n"
    dav("PUT", "/reader.py", auth=EDITOR_AUTH, body=code, status=201)
    assert stored("/reader.py", lambda obj: obj.owner) == "editor"
    # Called by the Manager, it still cannot read what its owner may not.
    app.get("/reader.py", headers=ADMIN_AUTH, status=403)
    # Whoever writes new code owns it.
    dav("PUT", "/reader.py", body=code + b"# read by the admin\n", status=204)
    assert stored("/reader.py", lambda obj: obj.owner) == "admin"
    assert app.get("/reader.py", headers=ADMIN_AUTH, status=200).text == "<p>secret</p>"


def test_an_editor_who_rewrites_a_manager_s_script_becomes_its_owner(dav, db, stored):
    grant_code_to_editors(db)
    assert stored("/docs/greet.py", lambda obj: obj.owner) is None
    dav("PUT", "/docs/greet.py", auth=EDITOR_AUTH, body=b"## parameters=\nreturn 2\n",
        status=204)
    assert stored("/docs/greet.py", lambda obj: obj.owner) == "editor"


def test_a_session_cookie_does_not_write_without_the_csrf_token(app, stored):
    token = browser_login(app, "editor", "editor-pw")
    app.put(DAV + "/docs/new.txt", b"x", status=403)
    app.request(DAV + "/docs/new.txt", method="LOCK", body=LOCK_BODY, status=403)
    assert stored("/docs/new.txt") is None
    app.put(DAV + "/docs/new.txt", b"x", headers={"X-CSRF-Token": token}, status=201)
    assert stored("/docs/new.txt") is not None


def test_another_user_s_lock_is_broken_only_with_manage_webdav_locks(dav, db):
    answer = dav("LOCK", "/docs/page.html", auth=EDITOR_AUTH, body=LOCK_BODY, status=200)
    token = answer.headers["Lock-Token"]
    dav("PUT", "/docs/page.html", auth=OTHER_EDITOR_AUTH, body=b"<p>x</p>", status=423)
    dav("UNLOCK", "/docs/page.html", auth=OTHER_EDITOR_AUTH, headers={"Lock-Token": token},
        status=403)
    dav("UNLOCK", "/docs/page.html", headers={"Lock-Token": token}, status=204)
    with objweb.site(db) as root:
        assert Locks(root._p_jar).everything() == []
