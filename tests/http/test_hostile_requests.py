"""Hostile paths and requests: nothing outside the model is reachable by URL, JSON or form.

Each request of the table is sent (most with the Manager's credentials, so
that only the model, not a missing permission, can refuse them) and must be
refused with its 4xx, change nothing in the database, and leak nothing: no
traceback, no password hash, no injected header.
"""

import base64
import json
from dataclasses import dataclass, field

import pytest

import objweb
from objweb import Folder, Page, Template, UserFolder
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, basic_csrf_token

ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)
JSON = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass(frozen=True)
class Hostile:
    """One hostile request and the refusal it must meet."""

    name: str
    method: str
    path: str
    status: int
    headers: dict = field(default_factory=dict)
    body: object = None
    as_admin: bool = True


def patch(name, path, values, status=400):
    return Hostile(name, "PATCH", path, status, JSON, json.dumps(values))


def create(name, values, status=400, path="/news"):
    return Hostile(name, "POST", path, status, JSON, json.dumps(values))


def get(name, path, status=404, **options):
    return Hostile(name, "GET", path, status, **options)


HOSTILE = [
    # Private attributes and Python's own machinery.
    get("private items", "/news/_items"),
    get("private count", "/news/_count"),
    get("private settings", "/news/_security"),
    get("private blob", "/news/file/_blob"),
    get("class", "/news/__class__"),
    get("dict", "/news/hello/__dict__"),
    get("init", "/news/__init__"),
    get("module globals", "/news/hello/__globals__"),
    get("parent pointer", "/news/hello/__parent__"),
    get("name attribute", "/news/hello/__name__"),
    get("connection", "/news/_p_jar"),
    get("oid", "/news/hello/_p_oid"),
    get("mro", "/news/__class__/__mro__"),
    get("subclasses", "/news/__class__/__subclasses__"),
    get("reduce", "/news/hello/__reduce__"),
    # Zope's acquisition names.
    get("aq_parent", "/news/hello/aq_parent"),
    get("aq_base", "/news/aq_base"),
    get("aq_inner", "/news/hello/aq_inner"),
    get("aq_acquire", "/aq_acquire"),
    # Methods of the content classes, by URL.
    get("folder keys", "/news/keys"),
    get("folder values", "/news/values"),
    get("folder get", "/news/get?name=hello"),
    get("folder remove", "/news/remove?name=hello"),
    get("folder rename", "/news/rename"),
    get("page edit", "/news/hello/edit?title=pwned"),
    get("page title attribute", "/news/hello/title"),
    get("page body attribute", "/news/hello/body"),
    get("change_owner", "/news/hello/change_owner?user_id=admin"),
    get("touch", "/news/hello/touch"),
    Hostile("posted method", "POST", "/news/hello/edit", 404, body={"title": "pwned"}),
    # Zope's management method names.
    get("manage_permission", "/news/manage_permission?permission=View&roles=Anonymous"),
    get("manage_setLocalRoles", "/news/manage_setLocalRoles?principal_id=x&roles=Manager"),
    Hostile("posted manage_setLocalRoles", "POST", "/news/manage_setLocalRoles", 404,
            body={"principal_id": "evil", "roles": "Manager"}),
    get("manage_main", "/news/manage_main"),
    get("manage_delObjects", "/news/manage_delObjects?ids=hello"),
    get("manage_addProduct", "/news/manage_addProduct"),
    # The user folder's insides.
    get("a user by name", "/acl_users/admin"),
    get("user records", "/acl_users/_users"),
    get("groups records", "/acl_users/_groups"),
    get("get_user", "/acl_users/get_user?name=admin"),
    get("check_password", "/acl_users/check_password?name=admin&password=x"),
    get("user_names", "/acl_users/user_names"),
    get("password hash", "/acl_users/admin/password_hash"),
    get("user folder view that does not exist", "/acl_users/@@password_hash"),
    patch("hash through JSON", "/acl_users", {"password_hash": "x"}),
    patch("users through JSON", "/acl_users", {"_users": {}}),
    create("user folder under another name", {"@type": "UserFolder", "id": "users"}),
    create("second user folder", {"@type": "UserFolder", "id": "acl_users"}, path="/"),
    Hostile("delete the site's users", "DELETE", "/acl_users", 400, {"Accept": "application/json"}),
    Hostile("replace the users by PUT", "PUT", "/acl_users", 400,
            {"Content-Type": "text/plain"}, b"users"),
    # Fields that are not fields.
    patch("class through JSON", "/news/hello", {"__class__": "Folder"}),
    patch("parent through JSON", "/news/hello", {"__parent__": None}),
    patch("settings through JSON", "/news/hello", {"_security": {}}),
    patch("connection through JSON", "/news/hello", {"_p_jar": None}),
    patch("owner through JSON", "/news/hello", {"owner": "evil"}),
    patch("read-only size", "/news/file", {"size": 1}),
    patch("type through JSON", "/news/hello", {"@type": "Folder"}),
    patch("rename through JSON", "/news/hello", {"id": "renamed"}),
    create("unknown type", {"@type": "Item", "id": "x"}),
    create("python type", {"@type": "dict", "id": "x"}),
    create("private name", {"@type": "Page", "id": "_x"}),
    create("view name", {"@type": "Page", "id": "@@x"}),
    create("management name", {"@type": "Page", "id": "manage_x"}),
    create("acquisition name", {"@type": "Page", "id": "aq_parent"}),
    create("climbing name", {"@type": "Page", "id": ".."}),
    create("slash in a name", {"@type": "Page", "id": "a/b"}),
    create("control character", {"@type": "Page", "id": "a\r\nb"}),
    create("private field", {"@type": "Page", "id": "x", "_security": {}}),
    create("owner field", {"@type": "Page", "id": "x", "owner": "evil"}),
    Hostile("JSON nested too deep", "PATCH", "/news/hello", 400, JSON,
            '{"title": ' + "[" * 100000 + "]" * 100000 + "}"),
    Hostile("JSON that is not an object", "PATCH", "/news/hello", 400, JSON, "[1, 2]"),
    Hostile("JSON with NaN", "PATCH", "/news/hello", 400, JSON, '{"title": NaN}'),
    # Paths that climb or hide a slash.
    get("climb from a folder", "/news/../acl_users"),
    get("climb encoded", "/news/%2e%2e/acl_users"),
    get("encoded slash climbing", "/news%2F..%2Facl_users"),
    get("climb at the root", "/../../etc/passwd"),
    get("NUL in a name", "/news/hello%00"),
    get("header in a name", "/news/%0d%0aSet-Cookie:%20pwned=1"),
    get("backslash", "/news\\..\\acl_users"),
    # Views that do not exist, and views with tails.
    get("unknown view", "/@@nonexistent"),
    get("view named like an attribute", "/news/@@__class__"),
    get("view named like a function", "/news/@@json_get"),
    get("view named like private", "/news/@@_items"),
    get("empty view name", "/news/@@"),
    get("view with a tail", "/news/@@login/../../acl_users"),
    get("login view with a tail", "/@@login/x"),
    # Acquisition of what is not acquirable.
    get("acquire a page", "/news/hello/hello"),
    get("acquire a folder", "/news/hello/news"),
    get("acquire the user folder", "/news/hello/acl_users"),
    get("acquire a template's insides", "/news/hello/view/__class__",
        headers={"Accept": "application/json"}),
    # Virtual-host tricks, from a client that is no trusted proxy (test_vhost.py has
    # them from one).
    get("virtual host with a bad scheme", "/VirtualHostBase/javascript/evil/VirtualHostRoot/news",
        400),
    get("virtual host with an injected header",
        "/VirtualHostBase/http/evil.com%0d%0aX-Injected:%201/VirtualHostRoot/news", 400),
    get("virtual root on the user folder", "/VirtualHostBase/http/example.com/acl_users/"
        "VirtualHostRoot/admin", 400),
    get("virtual root climbing", "/VirtualHostBase/http/example.com/news/VirtualHostRoot/../"
        "acl_users", 400),
    get("virtual root that does not exist", "/VirtualHostBase/http/example.com/nowhere/"
        "VirtualHostRoot/", 400),
    get("virtual host without a host", "/VirtualHostBase/http", 400),
    # Methods nobody serves, and refusals of the root.
    Hostile("PROPFIND", "PROPFIND", "/news", 405),
    Hostile("TRACE", "TRACE", "/news/hello", 405),
    Hostile("delete the root", "DELETE", "/", 405, {"Accept": "application/json"}),
    Hostile("post to a page", "POST", "/news/hello", 405, body={"title": "x"}),
    # Credentials that are not credentials.
    get("malformed Basic", "/", 401, headers={"Authorization": "Basic !!!"}, as_admin=False),
    get("Basic without a colon", "/", 401, headers={
        "Authorization": "Basic " + base64.b64encode(b"admin").decode()}, as_admin=False),
    get("Basic with a newline", "/", 401, headers={
        "Authorization": "Basic " + base64.b64encode(b"admin\r\nX: y:pw").decode()},
        as_admin=False),
    get("Basic that is not UTF-8", "/", 401, headers={
        "Authorization": "Basic " + base64.b64encode(b"\xff\xfe:x").decode()}, as_admin=False),
    get("forged session", "/private", 401, headers={"Cookie": "objweb_session=eyJ1c2VyX2lkIjoiYWRtaW4ifQ.x"},
        as_admin=False),
    get("anonymous protected page", "/private", 401, as_admin=False),
    # Bad parameters.
    get("negative batch", "/news?b_size=-1", 400, headers={"Accept": "application/json"}),
    get("absurd batch start", "/news?b_start=1e99", 400, headers={"Accept": "application/json"}),
]


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["file"] = objweb.File(data=b"data", content_type="text/plain")
        root["view"] = Template(title="View", source="<p>view</p>")
        root["private"] = Folder()
        root["private"].manage_permission("View", roles=["Manager"], acquire=False)
        root["team"] = Folder()
        root["team"]["acl_users"] = UserFolder()
    return db


def password_hashes(db) -> list[str]:
    with objweb.site(db) as root:
        return [root["acl_users"].get_user(ADMIN).password_hash]


def test_the_table_is_long_enough():
    assert len(HOSTILE) >= 50
    assert len({hostile.name for hostile in HOSTILE}) == len(HOSTILE)


# WebTest's checker warns about methods it does not know (PROPFIND); that is the point.
@pytest.mark.filterwarnings("ignore:Unknown REQUEST_METHOD")
@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda hostile: hostile.name)
def test_hostile_request_is_refused_without_side_effect(site, app, hostile):
    hashes = password_hashes(site)
    # The admin's token too, so that the model, not the CSRF check, refuses a form.
    admin = {**ADMIN_AUTH, "X-CSRF-Token": basic_csrf_token(app, ADMIN_AUTH)}
    before = site.lastTransaction()
    headers = {**(admin if hostile.as_admin else {}), **hostile.headers}
    response = app.request(hostile.path, method=hostile.method, headers=headers,
                           body=_body(hostile.body), expect_errors=True)
    assert response.status_int == hostile.status, response.text[:500]
    assert site.lastTransaction() == before
    text = response.body.decode("utf-8", "replace")
    assert "Traceback" not in text
    for password_hash in hashes:
        assert password_hash not in text
    assert "X-Injected" not in response.headers
    assert not any("pwned" in value for value in response.headers.getall("Set-Cookie"))
    with objweb.site(site) as root:
        assert root["news"]["hello"].title == "Hello"
        assert sorted(root["news"].keys()) == ["file", "hello"]
        assert root["news"]["hello"].owner is None


def _body(body) -> bytes | None:
    if body is None:
        return b""
    if isinstance(body, dict):
        from urllib.parse import urlencode
        return urlencode(body).encode()
    return body if isinstance(body, bytes) else body.encode()


def test_an_encoded_slash_reaches_only_what_the_plain_path_does(site, app):
    plain = app.get("/news/hello", status=200)
    encoded = app.get("/news%2Fhello", status=200)
    assert encoded.body == plain.body


def test_browsers_meet_the_same_refusals(site, app):
    for path in ("/news/__class__", "/news/_items", "/acl_users/admin", "/news/aq_parent"):
        response = app.get(path, headers=BROWSER_ACCEPT, status=404)
        assert "<form" not in response.text
