"""The small parts behind the screens: flash and clipboard cookies, the tree, history filters, find criteria."""

from datetime import date
from types import SimpleNamespace

import pytest
import transaction
import ZODB
from webob import Request, Response

from objweb import Folder, Page
from objweb.content.schema import Field
from objweb.content.site import ensure_site
from objweb.storage import history
from objweb.web.cookies import signed_value
from objweb.zmi import clipboard, control, flash, forms, tree
from objweb.zmi.find import Criteria


@pytest.fixture
def request_with_site():
    """A WebOb request whose `connection` holds a site (and so a secret)."""
    db = ZODB.DB(None)
    connection = db.open()
    ensure_site(connection)
    transaction.commit()
    request = Request.blank("/news/manage_contents")
    request.connection = connection
    request.base_url = "http://localhost"
    yield request
    connection.close()
    db.close()


def with_cookie(request, response, name):
    header = [value for value in response.headers.getall("Set-Cookie")
              if value.startswith(name + "=")][0]
    request.cookies[name] = header.split(";")[0].split("=", 1)[1]
    return header


def test_a_flash_message_goes_round_signed(request_with_site):
    response = Response()
    flash.write_flash(request_with_site, response, flash.Flash("success", "Done."))
    header = with_cookie(request_with_site, response, flash.FLASH_COOKIE)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert flash.read_flash(request_with_site) == flash.Flash("success", "Done.")


@pytest.mark.parametrize("payload", [["a", "list"], {"kind": "error"}, {"unexpected": 1}])
def test_a_flash_cookie_of_the_wrong_shape_is_ignored(request_with_site, payload):
    request_with_site.cookies[flash.FLASH_COOKIE] = signed_value(request_with_site, "flash",
                                                                 payload)
    assert flash.read_flash(request_with_site) is None


def test_a_flash_signed_for_the_clipboard_is_ignored(request_with_site):
    request_with_site.cookies[flash.FLASH_COOKIE] = signed_value(
        request_with_site, "clipboard", {"kind": "info", "text": "planted"})
    assert flash.read_flash(request_with_site) is None


@pytest.mark.parametrize("value", ["", "no-dot", "!!!.0123", "e30.0000"])
def test_a_flash_cookie_the_site_did_not_sign_is_ignored(request_with_site, value):
    request_with_site.cookies[flash.FLASH_COOKIE] = value
    assert flash.read_flash(request_with_site) is None


def test_the_clipboard_goes_round(request_with_site):
    response = Response()
    board = clipboard.Clipboard("cut", "/news", ("a", "b"))
    clipboard.write_clipboard(request_with_site, response, board)
    with_cookie(request_with_site, response, clipboard.CLIPBOARD_COOKIE)
    assert clipboard.read_clipboard(request_with_site) == board
    assert not board.all_matching and clipboard.Clipboard("copy", "/", (), "x").all_matching


def test_a_clipboard_too_big_for_a_cookie_is_refused(request_with_site):
    board = clipboard.Clipboard("copy", "/news", tuple(f"item-{n:05d}" for n in range(500)))
    with pytest.raises(ValueError, match="too many items for the clipboard"):
        clipboard.write_clipboard(request_with_site, Response(), board)


@pytest.mark.parametrize("payload", [
    ["list"], {"operation": "cut"}, {"operation": "steal", "source": "/", "names": []},
    {"operation": "cut", "source": "/", "names": "a"},
])
def test_a_clipboard_of_the_wrong_shape_is_ignored(request_with_site, payload):
    request_with_site.cookies[clipboard.CLIPBOARD_COOKIE] = signed_value(
        request_with_site, "clipboard", payload)
    assert clipboard.read_clipboard(request_with_site) is None


def test_cookies_follow_a_virtual_hosts_path_and_scheme(request_with_site):
    request_with_site.base_url = "https://example.org/site"
    response = Response()
    flash.write_flash(request_with_site, response, flash.Flash("info", "x"))
    header = response.headers["Set-Cookie"]
    assert "Path=/site" in header and "secure" in header.lower()


# -- the tree ---------------------------------------------------------------------------------

def url_for(obj, screen):
    names = []
    while obj.__parent__ is not None:
        names.insert(0, obj.__name__)
        obj = obj.__parent__
    return "/" + "/".join(names + [screen])


def test_the_tree_opens_down_to_a_folder_beyond_what_it_shows(monkeypatch):
    monkeypatch.setattr(tree, "SHOW_LIMIT", 2)
    root = Folder()
    for name in ("a", "b", "c"):
        root.add(name, Folder())
    page = root["c"].add("page", Page())
    top = tree.build_tree(page, root, url_for)
    assert [node.name for node in top.children] == ["a", "b", "c"]
    assert top.more is True
    assert top.children[2].children == [] and top.children[2].url == "/c/manage"


def test_the_tree_of_an_object_outside_the_root_shows_the_root():
    root, elsewhere = Folder(), Folder()
    top = tree.build_tree(elsewhere.add("x", Page()), root, url_for)
    assert top.children == [] and not top.current


def test_a_big_folder_tree_scans_only_so_far(monkeypatch):
    monkeypatch.setattr(tree, "SCAN_LIMIT", 3)
    root = Folder()
    for number in range(5):
        root.add(f"p{number}", Page())
    assert tree.subfolders(root) == ([], True)


# -- forms, history, find, control --------------------------------------------------------------

def test_a_text_field_that_is_not_code_gets_a_plain_text_area():
    assert forms.widget_kind(Field("notes", "text")) == "text"
    assert forms.widget_kind(Field("body", "html")) == "code"
    assert forms.from_form(b"bytes") == b"bytes"
    assert forms.from_form("a\r\nb") == "a\nb"


def test_a_bool_field_reads_presence():
    class Flagged:
        fields = (Field("flag", "bool"), Field("data", "base64"))
    assert forms.form_values(Flagged, {}) == {"flag": False}
    assert forms.form_values(Flagged, {"flag": "on"}) == {"flag": True}


def test_history_filters_by_user_and_days():
    entry = {"user_name": "/ ann", "time": 1_700_000_000}
    day = date(2023, 11, 14)
    assert history.Filter(user="ann").accepts(entry)
    assert not history.Filter(user="bob").accepts(entry)
    assert history.Filter(since=day, until=day).accepts(entry)
    assert not history.Filter(until=date(2023, 11, 13)).accepts(entry)
    assert not history.Filter(since=date(2023, 11, 15)).accepts(entry)


def test_find_criteria():
    # The catalog answers type, words and dates; name and title are matched on its records.
    hit = SimpleNamespace(id="report", title="Annual report")
    assert Criteria(name="REP").matches(hit) and not Criteria(name="budget").matches(hit)
    assert Criteria(title="annual").matches(hit) and not Criteria(title="budget").matches(hit)
    assert Criteria(type_name="Folder", since=date(2999, 1, 1)).query() == {
        "type": ["Folder"], "modified_after": ["2999-01-01"]}
    assert Criteria(text="launch", before=date(2999, 1, 1)).query() == {
        "text": ["launch"], "modified_before": ["2999-01-01"]}
    assert Criteria().query() == {} and Criteria().matches(hit)


def test_an_unknown_distribution_has_an_unknown_version():
    assert control._version("no-such-distribution-here") == "unknown"
