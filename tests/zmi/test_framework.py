"""The frame of every screen: entry, tabs, headers, tokens, messages, static files, tree."""

import re

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script
from objweb.security.headers import MANAGEMENT_CSP
from objweb.zmi.static import STATIC_FILES
from support import ADMIN, ADMIN_PASSWORD, basic_auth


def tab_titles(page) -> list[str]:
    nav = page.html.find("nav", class_="tabs")
    return [link.get_text(strip=True) for link in nav.find_all("a")]


def test_manage_leads_to_the_first_tab_of_a_folder(manager):
    response = manager.get("/manage", status=303)
    assert response.location == "http://localhost/manage_contents"


def test_manage_leads_to_the_edit_tab_of_a_page(manager, site):
    site(lambda root: root.add("hello", Page(title="Hello")))
    response = manager.get("/hello/manage", status=303)
    assert response.location == "http://localhost/hello/manage_edit"


def test_manage_of_the_user_folder_leads_to_users(manager):
    response = manager.get("/acl_users/manage", status=303)
    assert response.location == "http://localhost/acl_users/manage_users"


def test_root_has_every_folder_tab_and_the_control_panel(manager):
    page = manager.get("/manage_contents")
    assert tab_titles(page) == ["Contents", "Properties", "Security", "Undo", "Import/Export",
                                "Find", "View", "Catalog", "WebDAV locks", "Control panel"]
    view = page.html.find("nav", class_="tabs").find("a", string="View")
    assert view["href"] == "http://localhost/"


def test_a_user_folder_has_no_view_tab(manager):
    assert "View" not in tab_titles(manager.get("/acl_users/manage_users"))


@pytest.mark.parametrize("path", ["/acl_users/manage_users", "/acl_users/manage_properties",
                                  "/page/manage_edit", "/manage_contents"])
def test_every_link_under_the_heading_opens_a_page(manager, site, path):
    site(lambda root: root.add("page", Page(title="Page")))
    heading = manager.get(path).html.find("div", class_="heading")
    assert "http://localhost/" in heading.get_text()
    for link in heading.find_all("a"):
        manager.app.get(link["href"], headers={"Accept": "text/html"}, status=200)


def test_a_subfolder_has_no_control_panel(manager, site):
    site(lambda root: root.add("news", Folder()))
    page = manager.get("/news/manage_contents")
    assert "Control panel" not in tab_titles(page)
    manager.get("/news/manage_control", status=404)


def test_an_editor_sees_no_security_tab_and_is_refused_it(editor, site):
    site(lambda root: root.add("news", Folder()))
    page = editor.get("/news/manage_contents")
    assert "Security" not in tab_titles(page)
    assert "Contents" in tab_titles(page)
    editor.get("/news/manage_security", status=403)


def test_anonymous_meets_the_login_form(app):
    response = app.get("/manage_contents", status=401, headers={"Accept": "text/html"})
    assert 'name="password"' in response.text


def test_screens_send_the_security_headers(manager):
    response = manager.get("/manage_contents")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == MANAGEMENT_CSP
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_every_form_carries_the_token(manager, site):
    site(lambda root: root.add("news", Folder()))
    page = manager.get("/news/manage_security")
    forms = page.html.find_all("form", method="post")
    assert len(forms) >= 5
    for form in forms:
        assert form.find("input", attrs={"name": "csrf_token", "value": manager.token})


def test_a_post_without_the_token_is_refused_by_the_screen(basic, look, db):
    # A JSON body under Basic credentials needs no token at the publisher (a
    # browser would ask first); a screen asks for it all the same.
    before = db.lastTransaction()
    response = basic.app.post("/manage_properties", '{"command": "save", "title": "Changed"}',
                              headers={**basic.headers, "Content-Type": "application/json"},
                              status=403)
    assert "did not come from this site" in response.text
    assert db.lastTransaction() == before
    assert look(lambda root: root.title) == "objweb"


def test_a_post_with_a_wrong_token_is_refused(basic, db):
    before = db.lastTransaction()
    basic.post("/manage_properties", {"command": "save", "title": "Changed",
                                      "csrf_token": "forged"}, status=403, token=False)
    assert db.lastTransaction() == before


def test_a_session_post_without_the_token_is_refused(manager, db):
    before = db.lastTransaction()
    manager.post("/manage_properties", {"command": "save", "title": "Changed"}, status=403,
                 token=False)
    assert db.lastTransaction() == before


def test_the_token_may_come_as_a_header(basic, look):
    basic.app.post("/manage_properties", {"command": "save", "title": "By header"},
                   headers={**basic.headers, "X-CSRF-Token": basic.token}, status=303)
    assert look(lambda root: root.title) == "By header"


def test_an_unknown_command_is_a_bad_request(manager):
    response = manager.post("/manage_properties", {"command": "explode"}, status=400)
    assert "no command" in response.text


def test_a_change_redirects_and_the_next_page_shows_the_message_once(manager):
    response = manager.post("/manage_properties", {"command": "save", "title": "Site"})
    page = manager.follow(response)
    assert page.html.find(class_="flash-success").get_text(strip=True) == "Saved the properties."
    again = manager.get("/manage_properties")
    assert again.html.find(class_="flash-success") is None


def test_a_forged_message_cookie_is_ignored(manager):
    manager.app.set_cookie("objweb_flash", "eyJraW5kIjoiZXJyb3IifQ.forged")
    page = manager.get("/manage_properties")
    assert page.html.find(class_="flash") is None


def test_the_breadcrumbs_lead_home(manager, site):
    site(lambda root: root.add("news", Folder(title="News")).add("sub", Folder(title="Sub")))
    page = manager.get("/news/sub/manage_contents")
    crumbs = page.html.find("nav", class_="crumbs").find_all("a")
    assert [(link.get_text(), link["href"]) for link in crumbs] == [
        ("Home", "http://localhost/manage"), ("News", "http://localhost/news/manage"),
        ("Sub", "http://localhost/news/sub/manage")]
    assert crumbs[-1]["aria-current"] == "page"


def test_the_page_says_who_is_logged_in_and_offers_logout(manager):
    page = manager.get("/manage_contents")
    assert page.html.find(class_="who").strong.get_text() == ADMIN
    logout = page.html.find("form", action="http://localhost/@@logout")
    assert logout.find("input", attrs={"name": "csrf_token"})


def test_logging_out_from_a_screen_ends_the_session(manager):
    manager.post("/@@logout", {})
    manager.app.get("/manage_contents", status=401, headers={"Accept": "text/html"})


def test_the_tree_opens_along_the_way_to_the_object(manager, site):
    def build(root):
        news = root.add("news", Folder())
        news.add("sub", Folder()).add("deep", Folder())
        news.add("page", Page())
        root.add("about", Folder())
    site(build)
    page = manager.get("/news/sub/manage_contents")
    tree = page.html.find("nav", class_="tree")
    names = [link.get_text() for link in tree.find_all("a")]
    assert names == ["Home", "about", "news", "sub", "deep"]
    assert tree.find("a", attrs={"aria-current": "page"}).get_text() == "sub"


def test_a_tree_branch_loads_on_its_own(manager, site):
    site(lambda root: root.add("news", Folder()).add("inner", Folder()))
    fragment = manager.get("/news/manage_tree")
    links = fragment.html.find_all("a")
    assert [link.get_text() for link in links] == ["inner"]
    assert links[0]["href"] == "http://localhost/news/inner/manage"


def test_a_big_folder_shows_part_of_its_branch_and_says_there_is_more(manager, site):
    def build(root):
        big = root.add("big", Folder())
        for number in range(1100):
            big.add(f"folder-{number:04d}", Folder())
    site(build)
    fragment = manager.get("/big/manage_tree")
    assert len(fragment.html.find_all("li", class_="tree-node")) == 100
    assert fragment.html.find("li", class_="tree-more")


@pytest.mark.parametrize("filename", sorted(STATIC_FILES))
def test_static_files_are_served_with_a_long_life_when_versioned(app, filename):
    response = app.get(f"/manage_static/{filename}?v={STATIC_FILES[filename]}", status=200)
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    again = app.get(f"/manage_static/{filename}", status=304,
                    headers={"If-None-Match": response.headers["ETag"]})
    assert again.body == b""


def test_an_unversioned_static_url_is_revalidated(app):
    response = app.get("/manage_static/zmi.css", status=200)
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.content_type == "text/css"


@pytest.mark.parametrize("path", ["/manage_static/nothing.js", "/manage_static/../framework.py",
                                  "/manage_static", "/manage_static/zmi.css/more"])
def test_only_the_static_files_are_reachable(app, path):
    app.get(path, status=404)


def test_pages_link_their_assets_by_version(manager):
    page = manager.get("/manage_contents")
    script = page.html.find("script")["src"]
    assert script == f"http://localhost/manage_static/zmi.js?v={STATIC_FILES['zmi.js']}"
    assert not page.html.find("script", src=re.compile("^https?://(?!localhost)"))


def test_a_script_editor_cannot_reach_management_of_code_it_may_not_change(editor, site):
    site(lambda root: root.add("greet", Script(body="return 1")))
    page = editor.get("/greet/manage_edit")
    assert "you lack the permission" in page.text
    assert page.html.find("button", string=re.compile("Save")).has_attr("disabled")
    editor.post("/greet/manage_edit", {"command": "save", "body": "return 2"}, status=403)


def test_basic_clients_get_a_token_of_their_own(db):
    client = TestApp(objweb.make_app(db))
    page = client.get("/manage_contents", headers=basic_auth(ADMIN, ADMIN_PASSWORD))
    assert re.search(r'name="csrf_token" value="[A-Za-z0-9_-]{43}"', page.text)
