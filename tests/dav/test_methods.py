"""Each WebDAV method through the door, checked in what a fresh connection sees afterwards."""

import re

import pytest

import objweb
from objweb import File, Folder, Image, Page, Script, Template
from objweb.content.deadproperties import dead_properties
from objweb.security.permissions import ACCESS_CONTENTS, MANAGER

from dav_site import EDITOR_AUTH, PROPFIND_ALL


def hrefs(response) -> list[str]:
    return re.findall(r"<D:href>([^<]*)</D:href>", response.text)


def test_options_tells_classes_one_and_two(dav):
    answer = dav("OPTIONS", "/", status=200)
    assert answer.headers["DAV"] == "1, 2"
    assert "PROPFIND" in answer.headers["Allow"] and "LOCK" in answer.headers["Allow"]


def test_propfind_depth_one_lists_what_is_shown(dav):
    answer = dav("PROPFIND", "/docs/", headers={"Depth": "1"}, status=207)
    assert hrefs(answer) == ["/@@dav/docs/", "/@@dav/docs/data.bin", "/@@dav/docs/greet.py",
                             "/@@dav/docs/logo.png", "/@@dav/docs/page.html",
                             "/@@dav/docs/view.pt"]
    root = dav("PROPFIND", "/", headers={"Depth": "1"}, status=207)
    assert "/@@dav/acl_users" not in root.text


def test_live_properties(dav, stored):
    answer = dav("PROPFIND", "/docs/data.bin", headers={"Depth": "0"}, body=PROPFIND_ALL,
                 status=207)
    assert "<D:getcontentlength>1024</D:getcontentlength>" in answer.text
    assert "<D:getcontenttype>application/x-foo</D:getcontenttype>" in answer.text
    assert "<D:resourcetype/>" in answer.text
    serial = stored("/docs/data.bin")._p_serial.hex()
    assert f'<D:getetag>"{serial}"</D:getetag>' in answer.text
    folder = dav("PROPFIND", "/docs", headers={"Depth": "0"}, status=207)
    assert "<D:displayname>Docs</D:displayname>" in folder.text
    assert "<D:collection/>" in folder.text and "getcontentlength" not in folder.text


def test_propfind_of_named_properties_says_which_are_missing(dav):
    body = (b'<D:propfind xmlns:D="DAV:" xmlns:x="urn:x"><D:prop><D:getcontentlength/>'
            b"<x:nothing/></D:prop></D:propfind>")
    answer = dav("PROPFIND", "/docs/greet.py", headers={"Depth": "0"}, body=body, status=207)
    source = b"## parameters=name='world'\nreturn 'Hello ' + name\n"
    assert f"<D:getcontentlength>{len(source)}</D:getcontentlength>" in answer.text
    assert '<nothing xmlns="urn:x"/></D:prop><D:status>HTTP/1.1 404 Not Found' in answer.text


@pytest.mark.parametrize("depth", ["infinity", None])
def test_propfind_depth_infinity_is_refused(dav, depth):
    headers = {"Depth": depth} if depth else {}
    answer = dav("PROPFIND", "/", headers=headers, status=403)
    assert "propfind-finite-depth" in answer.text


def test_get_answers_a_source_and_a_file_by_range(dav):
    script = dav("GET", "/docs/greet.py", status=200)
    assert script.body == b"## parameters=name='world'\nreturn 'Hello ' + name\n"
    assert script.headers["Content-Type"].startswith("text/x-python")
    assert "sandbox" in script.headers["Content-Security-Policy"]
    part = dav("GET", "/docs/data.bin", headers={"Range": "bytes=256-259"}, status=206)
    assert part.body == bytes([0, 1, 2, 3])


def test_a_script_saved_with_its_header_sets_the_parameters(dav, stored, app):
    dav("PUT", "/docs/greet.py", body=b"## parameters=who='you'\nreturn 'Hi ' + who\n",
        status=204)
    script = stored("/docs/greet.py")
    assert (script.params, script.body) == ("who='you'", "return 'Hi ' + who\n")
    assert app.get("/docs/greet.py", {"who": "Ann"}, status=200).text == "Hi Ann"


def test_a_save_that_does_not_compile_is_refused_with_its_line_and_changes_nothing(dav, stored):
    answer = dav("PUT", "/docs/greet.py", body=b"## parameters=\nreturn (\n", status=400)
    assert answer.content_type == "text/plain"
    assert "line 2, column 8" in answer.text
    assert stored("/docs/greet.py").body == "return 'Hello ' + name\n"
    dav("PUT", "/docs/view.pt", body=b'<p tal:content="python: (">x</p>', status=400)
    assert stored("/docs/view.pt").source == '<h1 tal:content="context/title">t</h1>'


def test_an_edited_template_renders_on_the_site(dav, app):
    dav("PUT", "/docs/view.pt", body=b'<em tal:content="context/title">t</em>', status=204)
    assert app.get("/docs/view.pt", status=200).text.strip() == "<em>Docs</em>"


@pytest.mark.parametrize("name,content_type,cls", [
    ("new.pt", None, Template), ("new", "text/x-zope-pagetemplate", Template),
    ("new.py", None, Script), ("new.html", None, Page), ("new.png", None, Image),
    ("new.txt", "text/plain", File), ("new.bin", None, File),
])
def test_put_of_a_new_name_makes_the_type_its_name_and_content_type_choose(
        dav, stored, name, content_type, cls):
    body = b"<p>x</p>" if cls in (Template, Page) else b"return 1"
    if cls is Image:
        from sample_site import png_bytes
        body = png_bytes()
    headers = {"Content-Type": content_type} if content_type else {}
    dav("PUT", f"/docs/{name}", body=body, headers=headers, status=201)
    obj = stored(f"/docs/{name}")
    assert type(obj) is cls and obj.owner == "admin"


def test_a_file_put_streams_its_bytes_and_keeps_a_type_the_client_cannot_name(dav, stored):
    data = bytes(range(256)) * 1000
    dav("PUT", "/docs/data.bin", body=data,
        headers={"Content-Type": "application/octet-stream"}, status=204)
    assert dav("GET", "/docs/data.bin", status=200).body == data
    assert stored("/docs/data.bin").content_type == "application/x-foo"


def test_put_refuses_a_folder_a_missing_folder_a_bad_name_and_a_range(dav, stored):
    dav("PUT", "/docs", body=b"x", status=405)
    dav("PUT", "/nowhere/x.txt", body=b"x", status=409)
    refused = dav("PUT", "/docs/_hidden", body=b"x", status=400)
    assert "a name cannot start with '_'" in refused.text
    dav("PUT", "/docs/new.bin", body=b"x", headers={"Content-Range": "bytes 0-0/1"},
        status=400)
    assert stored("/docs/_hidden") is None and stored("/docs/new.bin") is None


def test_put_honours_if_match(dav, stored):
    dav("PUT", "/docs/data.bin", body=b"x", headers={"If-Match": '"nope"'}, status=412)
    serial = stored("/docs/data.bin")._p_serial.hex()
    dav("PUT", "/docs/data.bin", body=b"x", headers={"If-Match": f'"{serial}"'}, status=204)
    dav("PUT", "/docs/data.bin", body=b"y", headers={"If-None-Match": "*"}, status=412)


def test_mkcol_makes_a_folder(dav, stored):
    dav("MKCOL", "/docs/sub", status=201)
    assert type(stored("/docs/sub")) is Folder
    dav("MKCOL", "/docs/sub", status=405)
    dav("MKCOL", "/docs/no/sub", status=409)
    dav("MKCOL", "/docs/body", body=b"<x/>", status=415)


def test_delete_removes_and_refuses_the_top(dav, stored):
    dav("DELETE", "/docs/page.html", status=204)
    assert stored("/docs/page.html") is None
    dav("DELETE", "/docs/page.html", status=404)
    dav("DELETE", "/", status=403)


def test_a_fragment_in_the_request_uri_is_refused(app, stored):
    from support import ADMIN_AUTH
    app.request("/@@dav/docs/", method="DELETE", headers=ADMIN_AUTH,
                environ={"REQUEST_URI": "/@@dav/docs/#frag"}, status=400)
    assert stored("/docs") is not None


def test_copy_and_move_keep_dead_properties(dav, stored):
    body = (b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>'
            b"<x:colour>red</x:colour></D:prop></D:set></D:propertyupdate>")
    dav("PROPPATCH", "/docs/page.html", body=body, status=207)
    dav("COPY", "/docs/page.html", headers={"Destination": "http://localhost/@@dav/copy.html"},
        status=201)
    dav("MOVE", "/docs/page.html", headers={"Destination": "/@@dav/moved.html"}, status=201)
    for path in ("/copy.html", "/moved.html"):
        kept = stored(path, lambda obj: dict(dead_properties(obj)))
        assert "red</ns0:colour>" in kept["{urn:x}colour"]
    assert stored("/docs/page.html") is None


def test_copy_overwrite_and_destination_rules(dav, stored):
    target = {"Destination": "/@@dav/docs/data.bin"}
    dav("COPY", "/docs/page.html", headers={**target, "Overwrite": "F"}, status=412)
    dav("COPY", "/docs/page.html", headers=target, status=204)
    assert type(stored("/docs/data.bin")) is Page
    dav("COPY", "/docs", headers={"Destination": "/@@dav/docs/inner"}, status=403)
    dav("COPY", "/docs", headers={"Destination": "http://elsewhere/@@dav/x"}, status=502)
    dav("COPY", "/docs", headers={"Destination": "/@@dav/no/x"}, status=409)
    dav("MOVE", "/docs", headers={"Destination": "/@@dav/d2", "Depth": "0"}, status=400)


def test_copy_at_depth_zero_copies_a_folder_without_its_members(dav, stored):
    dav("COPY", "/docs", headers={"Destination": "/@@dav/empty", "Depth": "0"}, status=201)
    assert stored("/empty", lambda copy: (copy.title, len(copy))) == ("Docs", 0)


def test_proppatch_is_all_or_nothing(dav, stored):
    body = (b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>'
            b"<x:a>1</x:a><D:getetag>no</D:getetag></D:prop></D:set></D:propertyupdate>")
    answer = dav("PROPPATCH", "/docs/page.html", body=body, status=207)
    assert "403 Forbidden" in answer.text and "424 Failed Dependency" in answer.text
    assert stored("/docs/page.html", lambda obj: dict(dead_properties(obj))) == {}


def test_displayname_is_the_title(dav, stored):
    body = (b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
            b"<D:displayname>New title</D:displayname></D:prop></D:set></D:propertyupdate>")
    dav("PROPPATCH", "/docs/page.html", body=body, status=207)
    assert stored("/docs/page.html").title == "New title"


def test_propname_lists_live_and_dead_names_without_values(dav):
    dav("PROPPATCH", "/docs/page.html", status=207, body=(
        b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>'
        b"<x:colour>red</x:colour></D:prop></D:set></D:propertyupdate>"))
    answer = dav("PROPFIND", "/docs/page.html", headers={"Depth": "0"}, status=207,
                 body=b'<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>')
    assert "<D:getetag/>" in answer.text and '<colour xmlns="urn:x"/>' in answer.text
    assert "red" not in answer.text


@pytest.mark.parametrize("body", [
    b'<D:propfind xmlns:D="DAV:"/>', b'<D:nothing xmlns:D="DAV:"><D:allprop/></D:nothing>',
    b'<D:propfind xmlns:D="DAV:"><D:other/></D:propfind>',
    b'<D:propfind xmlns:D="DAV:"><D:prop>' + b"<D:x/>" * 201 + b"</D:prop></D:propfind>",
], ids=["empty", "not-propfind", "unknown-child", "too-many-names"])
def test_a_propfind_body_that_asks_for_nothing_known_is_refused(dav, body):
    dav("PROPFIND", "/docs/", headers={"Depth": "0"}, body=body, status=400)


@pytest.mark.parametrize("body", [
    b'<D:propertyupdate xmlns:D="DAV:"><D:frob/></D:propertyupdate>',
    b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:other/></D:set></D:propertyupdate>',
    b'<D:propfind xmlns:D="DAV:"/>', b"",
], ids=["unknown-operation", "no-prop", "not-propertyupdate", "no-body"])
def test_a_proppatch_body_that_is_no_update_is_refused(dav, body):
    dav("PROPPATCH", "/docs/page.html", body=body, status=400)


def test_a_displayname_that_is_no_title_is_refused_whole(dav, stored):
    body = (b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>'
            + b"x" * 2000 + b"</D:displayname></D:prop></D:set></D:propertyupdate>")
    assert "409 Conflict" in dav("PROPPATCH", "/docs/page.html", body=body, status=207).text
    assert stored("/docs/page.html", lambda obj: obj.title) == "A page"
    remove = (b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:remove><D:prop>'
              b"<D:displayname/><x:gone/></D:prop></D:remove></D:propertyupdate>")
    dav("PROPPATCH", "/docs/page.html", body=remove, status=207)
    assert stored("/docs/page.html", lambda obj: obj.title) == ""


def test_a_folder_answers_get_with_its_size(dav):
    assert dav("GET", "/docs/", status=200).text.startswith("A folder of 5 items")


@pytest.mark.parametrize("method,path,headers,status", [
    ("MOVE", "/", {"Destination": "/@@dav/elsewhere"}, 403),
    ("COPY", "/docs/page.html", {}, 400),
    ("COPY", "/docs/page.html", {"Destination": "/@@dav/"}, 403),
    ("COPY", "/docs/page.html", {"Destination": "/@@dav/x.html", "Overwrite": "maybe"}, 400),
    ("COPY", "/docs/page.html", {"Destination": "/@@dav/_x.html"}, 400),
    ("COPY", "/docs/page.html", {"Destination": "/@@dav/x.html", "Depth": "1"}, 400),
    ("DELETE", "/docs", {"Depth": "0"}, 400),
], ids=["move-root", "no-destination", "onto-root", "bad-overwrite", "bad-name", "depth-1",
        "delete-depth-0"])
def test_copy_move_and_delete_refusals(dav, stored, method, path, headers, status):
    dav(method, path, headers=headers, status=status)
    assert stored("/docs/page.html") is not None and stored("/x.html") is None


def test_an_editor_may_not_read_the_size_of_a_folder_withheld_from_them(dav, db):
    with objweb.site(db) as root:
        root["docs"].manage_permission(ACCESS_CONTENTS, roles=[MANAGER], acquire=False)
    dav("GET", "/docs/", auth=EDITOR_AUTH, status=403)
