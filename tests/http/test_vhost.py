"""Zope's virtual-hosting URL form: links, JSON @id, Location and error pages follow it."""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings
from objweb.web.request import Request
from objweb.web.vhost import UntrustedVirtualHostError, read_virtual_host
from support import ADMIN_AUTH

JSON = {"Accept": "application/json"}
VH = "/VirtualHostBase/https/example.com:443"
FRONT_SERVER = "127.0.0.1"


@pytest.fixture
def app(db):
    """The site as its front server, a trusted proxy, reaches it."""
    return TestApp(objweb.make_app(db, Settings(trusted_proxies=FRONT_SERVER)),
                   extra_environ={"REMOTE_ADDR": FRONT_SERVER})


@pytest.fixture
def hosted(sample):
    with objweb.site(sample) as root:
        root["site"] = Folder(title="Site")
        root["site"]["about"] = Page(title="About", body="<p>about</p>")
    return sample


def test_a_virtual_root_serves_its_subtree_under_the_public_url(app, hosted):
    response = app.get(f"{VH}/site/VirtualHostRoot/", status=200)
    # The virtual root is the site's root to its visitors: its front page links there.
    assert response.html.find("a", class_="manage")["href"] == "https://example.com/manage"
    page = app.get(f"{VH}/site/VirtualHostRoot/about", status=200)
    assert "<p>about</p>" in page.text


def test_a_virtual_root_may_lie_deeper_than_the_root(app, hosted):
    with objweb.site(hosted) as root:
        root["site"]["en"] = Folder(title="English")
        root["site"]["en"]["about"] = Page(title="About", body="<p>in English</p>")
    data = app.get(f"{VH}/site/en/VirtualHostRoot/about", headers=JSON, status=200).json
    assert data["@id"] == "https://example.com/about" and data["title"] == "About"


def test_json_ids_follow_the_virtual_host(app, hosted):
    data = app.get(f"{VH}/site/VirtualHostRoot/about", headers=JSON, status=200).json
    assert data["@id"] == "https://example.com/about"
    folder = app.get(f"{VH}/site/VirtualHostRoot/", headers=JSON, status=200).json
    assert folder["@id"] == "https://example.com/"
    assert folder["items"][0]["@id"] == "https://example.com/about"


def test_the_location_of_a_new_object_follows_the_virtual_host(app, hosted):
    response = app.post_json(f"{VH}/site/VirtualHostRoot/", {"@type": "Page", "id": "new"},
                             headers=ADMIN_AUTH, status=201)
    assert response.headers["Location"] == "https://example.com/new"
    with objweb.site(hosted) as root:
        assert "new" in root["site"]


def test_vh_segments_add_a_path_prefix(app, hosted):
    data = app.get(f"{VH}/site/VirtualHostRoot/_vh_mount/_vh_here/about", headers=JSON,
                   status=200).json
    assert data["@id"] == "https://example.com/mount/here/about"


def test_a_non_default_port_is_kept(app, hosted):
    data = app.get("/VirtualHostBase/http/example.com:8080/site/VirtualHostRoot/about",
                   headers=JSON, status=200).json
    assert data["@id"] == "http://example.com:8080/about"
    plain = app.get("/VirtualHostBase/http/example.com:80/VirtualHostRoot/news/hello",
                    headers=JSON, status=200).json
    assert plain["@id"] == "http://example.com/news/hello"


def test_a_base_without_a_root_changes_the_host_only(app, hosted):
    data = app.get("/VirtualHostBase/https/example.com:443/news/hello", headers=JSON,
                   status=200).json
    assert data["@id"] == "https://example.com/news/hello"


def test_a_root_without_a_base_keeps_the_requests_host(app, hosted):
    data = app.get("/site/VirtualHostRoot/about", headers=JSON, status=200).json
    assert data["@id"] == "http://localhost/about"


def test_objects_outside_the_virtual_root_get_plain_urls(hosted):
    request = Request.blank("/")
    with objweb.site(hosted) as root:
        request.base_url, request.url_root = "https://example.com", root["site"]
        assert request.url_of(root["news"]["hello"]) == "http://localhost/news/hello"
        assert request.url_of(root["site"]["about"]) == "https://example.com/about"


def test_error_pages_link_home_on_the_public_host(app, hosted):
    response = app.get(f"{VH}/site/VirtualHostRoot/nope", status=404)
    assert 'href="https://example.com/"' in response.text


@pytest.mark.parametrize("path", [
    "/VirtualHostBase/https",
    "/VirtualHostBase/ftp/example.com:21/VirtualHostRoot/",
    "/VirtualHostBase/https/exa mple.com/VirtualHostRoot/",
    "/VirtualHostBase/https/example.com:443:1/VirtualHostRoot/",
    "/VirtualHostBase/https/%22onload=x/VirtualHostRoot/",
    "/VirtualHostBase/https/example.com:443/nope/VirtualHostRoot/",
    "/VirtualHostBase/https/example.com:443/../VirtualHostRoot/",
    "/VirtualHostBase/https/example.com:443/site/about/VirtualHostRoot/x",
])
def test_a_bad_virtual_host_is_404(app, hosted, path):
    response = app.get(path, status=404)
    assert "Traceback" not in response.text


@pytest.mark.parametrize("segments, base_url, root_segments, rest", [
    (["news"], "http://h", (), ("news",)),
    (["VirtualHostBase", "HTTPS", "Example.com:443", "VirtualHostRoot"],
     "https://Example.com", (), ()),
    (["VirtualHostBase", "https", "[::1]:443", "a", "VirtualHostRoot", "b"],
     "https://[::1]", ("a",), ("b",)),
    (["VirtualHostBase", "https", "[::1]", "VirtualHostRoot"], "https://[::1]", (), ()),
    (["VirtualHostBase", "http", "10.0.0.1:8080", "VirtualHostRoot", "_vh_x"],
     "http://10.0.0.1:8080/x", (), ()),
])
def test_read_virtual_host(segments, base_url, root_segments, rest):
    host = read_virtual_host(segments, "http://h", from_trusted_proxy=True)
    assert (host.base_url, host.root_segments, host.segments) == (base_url, root_segments, rest)


@pytest.mark.parametrize("segments", [
    ["VirtualHostBase", "https", "evil.example", "VirtualHostRoot"],
    ["VirtualHostBase", "https", "evil.example"],
    ["site", "VirtualHostRoot", "_vh_x"],
])
def test_only_a_trusted_proxy_may_send_a_virtual_host_path(segments):
    with pytest.raises(UntrustedVirtualHostError, match="trusted_proxies"):
        read_virtual_host(segments, "http://h")
    # Elsewhere than first, the name is only a name.
    assert read_virtual_host(["news", "VirtualHostBase"], "http://h").segments == (
        "news", "VirtualHostBase")


@pytest.mark.parametrize("peer, trusted, status", [
    ("192.0.2.1", "", 400), ("192.0.2.1", "127.0.0.1", 400), ("127.0.0.1", "", 400),
    ("127.0.0.1", "127.0.0.1", 200), ("10.1.2.3", "10.0.0.0/8", 200),
])
def test_virtual_host_paths_are_followed_from_trusted_proxies_only(db, hosted, peer, trusted,
                                                                   status):
    app = TestApp(objweb.make_app(db, Settings(trusted_proxies=trusted)))
    response = app.get(f"{VH}/site/VirtualHostRoot/about", headers=JSON, status=status,
                       extra_environ={"REMOTE_ADDR": peer})
    if status == 200:
        assert response.json["@id"] == "https://example.com/about"
    else:
        assert "trusted_proxies" in response.json["error"]
