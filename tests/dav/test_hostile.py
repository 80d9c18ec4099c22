"""Hostile WebDAV bodies: each refused with a 4xx before it costs anything, nothing changed."""

import pytest

import objweb
from objweb.content.deadproperties import MAX_PROPERTIES, dead_properties

XXE = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       b'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop><x:a>&e;</x:a>'
       b"</D:prop></D:set></D:propertyupdate>")
PARAMETER_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % e SYSTEM '
                    b'"http://127.0.0.1:9/x.dtd"> %e;]><D:propfind xmlns:D="DAV:">'
                    b"<D:allprop/></D:propfind>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%s;" % (b"" if level == 1 else
                     str(level - 1).encode())) * 10) for level in range(1, 10))
          + b']><D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>'
          b"<x:a>&lol9;</x:a></D:prop></D:set></D:propertyupdate>")


def proppatch(values: str) -> bytes:
    return (f'<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>{values}'
            f"</D:prop></D:set></D:propertyupdate>").encode()


def kept(stored) -> dict:
    return stored("/docs/page.html", lambda obj: dict(dead_properties(obj)))


@pytest.mark.parametrize("body", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_a_body_that_declares_entities_is_refused(dav, stored, body):
    answer = dav("PROPPATCH", "/docs/page.html", body=body, status=400)
    assert "DTD" in answer.text and "root:" not in answer.text
    assert kept(stored) == {}


def test_an_external_parameter_entity_is_refused(dav):
    dav("PROPFIND", "/docs/", headers={"Depth": "0"}, body=PARAMETER_ENTITY, status=400)


def test_a_ten_megabyte_property_value_is_too_large(dav, stored):
    answer = dav("PROPPATCH", "/docs/page.html", body=proppatch(f"<x:a>{'v' * (10 << 20)}</x:a>"),
                 status=413)
    assert "at most" in answer.text
    assert kept(stored) == {}


def test_a_value_within_the_body_limit_but_over_the_property_limit_is_refused(dav, stored):
    answer = dav("PROPPATCH", "/docs/page.html",
                 body=proppatch(f"<x:a>{'v' * 100_000}</x:a><x:b>ok</x:b>"), status=207)
    assert "507 Insufficient Storage" in answer.text and "424 Failed Dependency" in answer.text
    assert kept(stored) == {}


def test_a_thousand_properties_are_answered_and_none_is_stored(dav, stored):
    values = "".join(f"<x:p{number}>v</x:p{number}>" for number in range(1000))
    answer = dav("PROPPATCH", "/docs/page.html", body=proppatch(values), status=207)
    assert answer.text.count("<x:p") == 0 and answer.text.count(' xmlns="urn:x"/>') == 1000
    assert "507 Insufficient Storage" in answer.text and "200 OK" not in answer.text
    assert kept(stored) == {}
    assert MAX_PROPERTIES < 1000


@pytest.mark.parametrize("body", [
    b"<a>" * 100 + b"</a>" * 100,
    b'<D:propfind xmlns:D="DAV:"><D:prop>' + b"<x/>" * 20_000 + b"</D:prop></D:propfind>",
    b'<D:propfind xmlns:D="DAV:"><D:prop ' + b" ".join(b'a%d="1"' % n for n in range(20_000))
    + b"/></D:propfind>",
    b"<not xml",
], ids=["deep", "many-elements", "many-attributes", "malformed"])
def test_deep_large_or_broken_bodies_are_refused(dav, body):
    dav("PROPFIND", "/docs/", headers={"Depth": "0"}, body=body, status=400)


@pytest.mark.parametrize("header", ["garbage", "(<opaquelocktoken:x>", "()",
                                    "(<a>)" * 40])
def test_a_malformed_or_huge_if_header_is_refused(dav, stored, header):
    dav("PUT", "/docs/page.html", body=b"<p>x</p>", headers={"If": header}, status=400)
    assert stored("/docs/page.html", lambda obj: obj.body) == "<p>Hi</p>"


def test_an_if_header_with_a_failing_etag_is_a_412(dav, stored):
    dav("PUT", "/docs/page.html", body=b"<p>x</p>",
        headers={"If": '<http://localhost/@@dav/docs/page.html> (["nope"])'}, status=412)
    assert stored("/docs/page.html", lambda obj: obj.body) == "<p>Hi</p>"


def test_nothing_reaches_outside_the_tree_through_dot_dot(dav, db):
    with objweb.site(db) as root:
        assert "acl_users" in root
    dav("GET", "/docs/../acl_users", status=404)
    dav("PROPFIND", "/acl_users", headers={"Depth": "0"}, status=404)
