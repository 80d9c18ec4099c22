"""The example extension examples/objweb-news, installed in the test environment as users do.

`make test` installs it (`pip install -e examples/objweb-news`); these tests
drive it through the JSON API, its views, the catalog, the debug shell
and `objweb upgrade`, as the README walks through it.
"""

from datetime import date, timedelta

import pytest
from webtest import TestApp

import objweb
from objweb.catalog import drain_all, search
from objweb.extensions import installed
from objweb.extensions.upgrades import VERSIONS_KEY
from cli_support import stored_site
from support import ADMIN_AUTH, basic_auth, run_objweb

EDITOR_AUTH = basic_auth("ed", "ed-password-1")
JSON = {"Accept": "application/json"}
TODAY = date.today()


@pytest.fixture
def news(db):
    """A site serving the installed extensions, objweb-news among them, with an Editor `ed`."""
    assert "news" in [extension.name for extension in installed()]
    app = TestApp(objweb.make_app(db, access_log=False))
    with objweb.site(db) as root:
        root["acl_users"].add_user("ed", "ed-password-1", roles=["Editor"])
        root["news"] = objweb.Folder(title="News")
    return app


def add_item(app, name, *, published=None, auth=ADMIN_AUTH, **values):
    record = {"@type": "NewsItem", "id": name, "title": name.title(), "lead": f"All about {name}",
              "body": f"<p>{name} <script>alert(1)</script></p>", "tags": ["Town"], **values}
    if published is not None:
        record["published"] = published.isoformat()
    return app.post_json("/news", record, headers=auth, status=201)


def test_json_api_adds_and_reads_a_news_item(db, news):
    add_item(news, "fair", published=TODAY, tags=["town", "summer"])
    record = news.get("/news/fair", headers={**JSON, **ADMIN_AUTH}, status=200).json
    assert {key: record[key] for key in ("@type", "title", "lead", "published", "tags")} == {
        "@type": "NewsItem", "title": "Fair", "lead": "All about fair",
        "published": TODAY.isoformat(), "tags": ["town", "summer"]}
    # The body is HTML a Manager wrote: cleaned of what runs only for those without the right.
    with objweb.site(db) as root:
        assert type(root["news"]["fair"]).__module__ == "objweb_news"


def test_the_default_page_comes_from_the_packages_template(news):
    add_item(news, "fair", published=TODAY, tags=["town"])
    page = news.get("/news/fair", status=200)
    assert page.html.find("article", class_="news-item").h1.get_text() == "Fair"
    assert page.html.find("p", class_="published").time["datetime"] == TODAY.isoformat()
    assert [link.get_text() for link in page.html.select("ul.tags a")] == ["town"]


def test_an_editors_html_body_is_cleaned(news):
    add_item(news, "fair", auth=EDITOR_AUTH)
    body = news.get("/news/fair", status=200).html.find("div", class_="body")
    assert body.find("script") is None and body.p.get_text().strip() == "fair"


def test_latest_lists_published_items_newest_first_through_the_catalog(db, news):
    add_item(news, "old", published=TODAY - timedelta(days=9))
    add_item(news, "new", published=TODAY)
    add_item(news, "draft")
    add_item(news, "future", published=TODAY + timedelta(days=3))
    page = news.get("/news/@@latest", status=200)
    assert [link.get_text() for link in page.html.select("ol.latest a")] == ["New", "Old"]
    assert news.get("/@@latest", status=200).html.select("ol.latest a")[0].get_text() == "New"


def test_latest_shows_a_visitor_only_what_they_may_view(db, news):
    add_item(news, "new", published=TODAY)
    add_item(news, "hidden", published=TODAY)
    with objweb.site(db) as root:
        root["news"]["hidden"].manage_permission("View", ["Manager"], acquire=False)
    page = news.get("/news/@@latest", status=200)
    assert [link.get_text() for link in page.html.select("ol.latest a")] == ["New"]


def test_the_tags_index_answers_searches(db, news):
    add_item(news, "fair", tags=["Town", "summer"])
    add_item(news, "storm", tags=["weather"])
    found = news.get("/@@search?tags=town", headers=JSON, status=200).json
    assert [item["id"] for item in found["items"]] == ["fair"]
    drain_all(db)
    with objweb.site(db) as root:
        assert [result.path for result in search(root, tags="summer")] == ["/news/fair"]


def test_publish_needs_the_publish_news_permission(db, news):
    add_item(news, "fair")
    news.post_json("/news/fair/@@publish", {}, status=401)
    published = news.post_json("/news/fair/@@publish?on=2024-05-01", {}, headers=EDITOR_AUTH,
                               status=200)
    assert published.json == {"published": "2024-05-01"}
    with objweb.site(db) as root:
        root["news"].manage_permission("Publish news", ["Manager"], acquire=False)
    news.post_json("/news/fair/@@publish", {}, headers=EDITOR_AUTH, status=403)
    with objweb.site(db) as root:
        assert root["news"]["fair"].published == date(2024, 5, 1)


def test_the_security_tab_shows_publish_news_for_its_default_roles(news):
    page = news.get("/news/manage_security", headers=ADMIN_AUTH, status=200)
    (row,) = [row for row in page.html.find_all("tr") if "Publish news" in row.get_text()]
    held = {span["title"].split(" holds ")[0] for span in row.find_all("span", class_="held")}
    assert held == {"Editor", "Manager"}


@pytest.fixture
def home(tmp_path):
    made = run_objweb(["adduser", "admin", "admin-password-1", "--role", "Manager"], tmp_path,
                      timeout=60)
    assert made.returncode == 0, made.stderr
    return tmp_path


@pytest.mark.server
def test_the_debug_shell_adds_news_and_searches_it(home):
    result = run_objweb(["debug"], home, timeout=60, input="\n".join([
        "import objweb",
        "from objweb.content import type_named",
        "item = type_named('NewsItem')(title='Fair', tags=['town'], published='2024-05-01')",
        "app['fair'] = item",
        "commit()",
        "print('found', [r.path for r in objweb.search(app, tags='town')])",
    ]) + "\n")
    assert result.returncode == 0, result.stderr
    assert "found ['/fair']" in result.stdout
    with stored_site(home) as root:
        assert (root["fair"].type_name, root["fair"].published) == ("NewsItem", date(2024, 5, 1))


@pytest.mark.server
def test_objweb_upgrade_runs_the_news_step_on_items_stored_before_it(home):
    older = home / "older.py"
    # As version 0.9 left a site: mixed-case tags, and no news schema recorded.
    older.write_text(
        "from objweb.content import type_named\n"
        "app['fair'] = type_named('NewsItem')(title='Fair', tags=['Town', 'town', 'Summer'])\n"
        f"del app._p_jar.root()[{VERSIONS_KEY!r}]['news']\n"
        "commit()\n")
    assert run_objweb(["run", str(older)], home, timeout=60).returncode == 0
    listed = run_objweb(["extensions"], home, timeout=60)
    assert "  pending: news 1: Tags in lower case" in listed.stdout.splitlines()
    upgraded = run_objweb(["upgrade"], home, timeout=60)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Running news 1: Tags in lower case" in upgraded.stdout.splitlines()
    with stored_site(home) as root:
        assert root["fair"].tags == ("town", "summer")
        assert root._p_jar.root()[VERSIONS_KEY]["news"] == 1
    again = run_objweb(["upgrade"], home, timeout=60)
    assert "Ran 0 upgrade steps; the database is up to date." in again.stdout


def test_the_catalog_screen_names_the_extension_declaring_an_index(news):
    page = news.get("/manage_catalog", headers=ADMIN_AUTH, status=200)
    cells = {row.find("td").get_text(" ", strip=True).split(" ")[0]: row.find("td").get_text(
        " ", strip=True) for row in page.html.select("table tr") if row.find("td")}
    assert cells["tags"] == ("tags (declared by the extension 'news' (objweb-news 1.0); "
                             "objweb upgrade adds it again if removed)")
    assert cells["type"] == "type"
