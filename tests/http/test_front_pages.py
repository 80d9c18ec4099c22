"""A folder's page for browsers is its index_html; without one it lists nothing.

As in Zope: a folder shows its own `index_html`, else a Template or Script
of that name above it, rendered in the folder's context. A folder without
either names itself and lists none of its items (the JSON API and the
Contents tab list them). A new site's root, without one, says what objweb is
and links to the management screens, as Zope's Quick Start does.
"""

import objweb
from objweb import Folder, Page, Template
from support import ADMIN_AUTH

JSON = {"Accept": "application/json"}


def test_a_new_sites_first_page_says_what_it_is_and_links_to_the_screens(app):
    page = app.get("/", status=200)
    start = page.html.find(id="quick-start")
    assert start.h1.get_text(strip=True) == "This is a new objweb site"
    assert start.find("a", class_="manage")["href"] == "http://localhost/manage"
    assert "index_html" in start.get_text()
    assert "acl_users" not in page.text


def test_the_quick_start_link_leads_to_the_login_form(app):
    page = app.get("/", status=200)
    href = page.html.find("a", class_="manage")["href"]
    login = app.get(href, headers={"Accept": "text/html"}, status=401)
    assert 'name="password"' in login.text


def test_a_folder_without_index_html_lists_nothing_to_anyone(app, sample):
    for headers in ({}, ADMIN_AUTH):
        page = app.get("/news", headers=headers, status=200)
        assert page.html.h1.get_text(strip=True) == "News"
        assert "This folder has no front page." in page.text
        assert "Hello" not in page.text and "/news/hello" not in page.text


def test_the_json_api_still_lists_the_folders_items(app, sample):
    data = app.get("/news", headers=JSON, status=200).json
    assert "hello" in [item["id"] for item in data["items"]]


def test_a_root_index_html_replaces_the_quick_start(app, db):
    with objweb.site(db) as root:
        root.add("index_html", Page(title="Welcome", body="<p>our own front page</p>"))
    page = app.get("/", status=200)
    assert "<p>our own front page</p>" in page.text
    assert page.html.find(id="quick-start") is None


def test_a_template_index_html_is_acquired_in_the_folders_context(app, db):
    with objweb.site(db) as root:
        root.add("index_html", Template(source='<p tal:content="context/title">t</p>'))
        root.add("news", Folder(title="News"))
    assert app.get("/news", status=200).text == "<p>News</p>"


def test_the_nearest_index_html_above_wins(app, db):
    with objweb.site(db) as root:
        root.add("index_html", Template(source="<p>top</p>"))
        news = root.add("news", Folder(title="News"))
        news.add("index_html", Template(source="<p>news</p>"))
        news.add("sports", Folder(title="Sports"))
    assert app.get("/news/sports", status=200).text == "<p>news</p>"


def test_a_page_index_html_is_not_acquired(app, db):
    with objweb.site(db) as root:
        root.add("index_html", Page(title="Welcome", body="<p>front</p>"))
        root.add("news", Folder(title="News"))
    page = app.get("/news", status=200)
    assert "This folder has no front page." in page.text and "front</p>" not in page.text


def test_a_folder_shows_its_index_html_to_head_and_post_too_but_not_its_named_views(app, db):
    with objweb.site(db) as root:
        root.add("news", Folder(title="News"))
        root["news"].add("index_html", Template(source="<p>the front page</p>"))
        root["news"].add("hello", Page(title="Hello", body="<p>hello itself</p>"))
    assert app.head("/news", status=200).headers["Content-Length"] == str(
        len("<p>the front page</p>"))
    assert "hello itself" in app.get("/news/hello", status=200).text
    assert app.get("/news", status=200).text == "<p>the front page</p>"
    assert app.post("/news", status=200).text == "<p>the front page</p>"
    named = app.get("/news/manage_contents", headers=ADMIN_AUTH, status=200).text
    assert "the front page" not in named and "index_html" in named
    assert app.get("/news", headers=JSON, status=200).json["@type"] == "Folder"
    assert app.delete("/news/index_html", headers=ADMIN_AUTH, status=204)

