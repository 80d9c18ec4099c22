"""The web layer's findings of the second security review (issue 12), one test each.

Each test is named after its finding and drives the door the reviewer used,
through HTTP; the siblings of each finding are tested beside the door they
belong to.
"""

import json

from webtest import TestApp

import objweb
from objweb import File, Folder, Script, Settings, UserFolder
from objweb.security import csrf
from support import (
    ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, basic_csrf_token,
    browser_login, csrf_token_in)

LISTED = "text/plain, text/html"


def test_finding_09_listed_content_type_is_not_served_as_html(app, sample):
    # Every door that stores a content type refuses the list a browser reads as HTML.
    app.put("/news/evil", b"<script>alert(1)</script>",
            headers={**ADMIN_AUTH, "Content-Type": LISTED}, status=400)
    app.post("/news", json.dumps({"@type": "File", "id": "evil", "content_type": LISTED}),
             headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=400)
    app.patch("/news/report", json.dumps({"content_type": LISTED}),
              headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=400)
    with objweb.site(sample) as root:
        assert "evil" not in root["news"]
        assert root["news"]["report"].content_type == "application/pdf"
        # A value stored before types were parsed is served as an attachment of bytes.
        root["news"]["old"] = File(data=b"<script>alert(1)</script>")
        root["news"]["old"].content_type = LISTED
    response = app.get("/news/old", status=200)
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def multipart(boundary: str, fields: int, *, name: str = "f") -> bytes:
    """Return a multipart body of `fields` small fields separated by `boundary`."""
    part = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\nx\r\n')
    return (part * fields + f"--{boundary}--\r\n").encode()


def test_finding_10_a_second_boundary_does_not_slip_past_the_field_limit(app, db):
    before = db.lastTransaction()
    response = app.post("/@@login", multipart("b", 20_000), headers={
        "Content-Type": "multipart/form-data; boundary=a; boundary=b"}, status=413)
    assert "the form has more than 1000 fields" in response.text
    assert db.lastTransaction() == before


def test_finding_10_parts_nested_in_a_part_are_one_value_not_fields(app, db):
    with objweb.site(db) as root:
        root["echo"] = objweb.Script(params="f=''", body="return len(f)")
    inner = multipart("inner", 2_000)
    body = (b'--outer\r\nContent-Disposition: form-data; name="f"\r\n'
            b"Content-Type: multipart/mixed; boundary=inner\r\n\r\n" + inner +
            b"\r\n--outer--\r\n")
    response = app.post("/echo", body, headers={
        "Content-Type": "multipart/form-data; boundary=outer"}, status=200)
    assert response.json == len(inner)



def form_login(app, login: str, password: str, *, status: int, environ: dict):
    """Log in through the form as a browser behind `environ`'s addresses does."""
    page = app.get("/@@login", headers=BROWSER_ACCEPT, extra_environ=environ, status=200)
    form = page.forms[0]
    form["login"], form["password"] = login, password
    return form.submit(headers=BROWSER_ACCEPT, extra_environ=environ, status=status)


def behind_nginx(client: str) -> dict:
    """The environ of a request nginx on this machine passes on for `client`."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": client}


def test_finding_11_a_trusted_proxy_does_not_lock_every_client_out(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
    # Four failures per address stand for the default twenty, at a fifth of the hashing.
    settings = Settings(trusted_proxies="127.0.0.1", login_attempts_per_address=4)
    app = TestApp(objweb.make_app(db, settings))
    for attempt in range(4):
        form_login(app, f"guess{attempt}", "wrong", status=401,
                   environ=behind_nginx("203.0.113.5"))
    form_login(app, "guess", "wrong", status=429, environ=behind_nginx("203.0.113.5"))
    form_login(TestApp(app.app), "editor", "editor-pw", status=303,
               environ=behind_nginx("198.51.100.7"))


EVIL_HOST = "/VirtualHostBase/https/evil.example:443/VirtualHostRoot"


def test_finding_17_a_stranger_s_virtual_host_path_cannot_send_manage_off_site(app, db):
    for trusted in ("", "10.0.0.0/8"):
        if trusted:  # a front server is trusted, but the request does not come from it
            app = TestApp(objweb.make_app(db, Settings(trusted_proxies=trusted)))
        browser_login(app, ADMIN, ADMIN_PASSWORD)
        response = app.get(EVIL_HOST + "/manage", headers=BROWSER_ACCEPT, status=400,
                           extra_environ={"REMOTE_ADDR": "192.0.2.1"})
        assert "Location" not in response.headers
        assert "trusted_proxies" in response.text
        assert "evil.example" not in response.text


def zone_with_its_own_admin(db) -> None:
    with objweb.site(db) as root:
        root["zone"] = Folder(title="Zone")
        root["zone"]["acl_users"] = UserFolder()
        root["zone"]["acl_users"].add_user(ADMIN, "zone-pw", roles=["Manager"])


def test_finding_18_a_same_named_user_s_token_does_not_pass_for_another(app, db):
    zone_with_its_own_admin(db)
    zone_admin = basic_auth(ADMIN, "zone-pw")
    zone_token = csrf_token_in(app.get("/zone/manage_contents", headers=zone_admin,
                                       status=200).text)
    site_token = basic_csrf_token(app, ADMIN_AUTH)
    assert zone_token != site_token
    # The zone's admin would take the site root's title with a token of its own.
    app.post("/manage_properties", {"command": "save", "title": "Taken",
                                    "csrf_token": zone_token}, headers=ADMIN_AUTH, status=403)
    app.post("/manage_properties", {"command": "save", "title": "Kept",
                                    "csrf_token": site_token}, headers=ADMIN_AUTH, status=303)
    with objweb.site(db) as root:
        assert root.title == "Kept"


def test_finding_18_the_basic_token_rotates_and_the_last_one_holds(app, db, monkeypatch):
    start = csrf.clock()
    token = basic_csrf_token(app, ADMIN_AUTH)
    monkeypatch.setattr(csrf, "clock", lambda: start + csrf.BASIC_TOKEN_WINDOW)
    assert basic_csrf_token(app, ADMIN_AUTH) != token
    app.post("/manage_properties", {"command": "save", "title": "Next window",
                                    "csrf_token": token}, headers=ADMIN_AUTH, status=303)
    monkeypatch.setattr(csrf, "clock", lambda: start + 2 * csrf.BASIC_TOKEN_WINDOW)
    app.post("/manage_properties", {"command": "save", "title": "Too late",
                                    "csrf_token": token}, headers=ADMIN_AUTH, status=403)
    with objweb.site(db) as root:
        assert root.title == "Next window"


def test_finding_18_a_new_password_changes_the_token(app, db):
    token = basic_csrf_token(app, ADMIN_AUTH)
    with objweb.site(db) as root:
        root["acl_users"].set_password(ADMIN, "new-pw")
    new_auth = basic_auth(ADMIN, "new-pw")
    assert basic_csrf_token(app, new_auth) != token
    app.post("/manage_properties", {"command": "save", "title": "Old token",
                                    "csrf_token": token}, headers=new_auth, status=403)


def test_finding_19_proxy_roles_by_a_form_with_basic_credentials_need_the_token(app, db):
    with objweb.site(db) as root:
        root["peek"] = Script(body="return 1")
    response = app.post("/peek/@@proxy-roles", {"roles": "Manager"}, headers=ADMIN_AUTH,
                        status=403)
    assert "did not come from this site" in response.text
    with objweb.site(db) as root:
        assert root["peek"].proxy_roles == ()
    app.post("/peek/@@proxy-roles", {"roles": "Manager",
                                     "csrf_token": basic_csrf_token(app, ADMIN_AUTH)},
             headers=ADMIN_AUTH, status=200)
    with objweb.site(db) as root:
        assert root["peek"].proxy_roles == ("Manager",)


SCRIPTED = '<p>News</p><script>steal()</script><img src="x.png" onerror="steal()">'


def test_finding_12_an_editor_s_page_runs_no_script_for_the_manager(app, db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
    editor = TestApp(app.app)
    token = browser_login(editor, "editor", "editor-pw")
    added = editor.post("/manage_add", {"type": "Page", "name": "trap", "title": "Trap",
                                        "body": SCRIPTED, "command": "add", "csrf_token": token},
                        status=303)
    shown = added.follow(status=200).text
    assert "removed" in shown and "&lt;script&gt;" in shown and "onerror= on &lt;img&gt;" in shown
    page = app.get("/trap", headers=ADMIN_AUTH, status=200).text
    assert "<p>News</p>" in page and '<img src="x.png">' in page
    assert "<script" not in page and "onerror" not in page and "steal" not in page
