"""`GET /<path>/@@search`: the catalog over HTTP, in JSON or for a browser, for whoever asks."""

from urllib.parse import parse_qs, urlsplit

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings
from support import ADMIN_AUTH, BROWSER_ACCEPT

JSON = {"Accept": "application/json"}


@pytest.fixture
def app(db):
    return TestApp(objweb.make_app(db))


@pytest.fixture
def news(db):
    """/news with three Pages, one mentioning a launch, and a private folder."""
    with objweb.site(db, user="admin") as root:
        news = root.add("news", Folder(title="News"))
        news.add("one", Page(title="Launch day", body="<p>We launch today</p>"))
        news.add("two", Page(title="Second", body="<p>Nothing here</p>"))
        news.add("three", Page(title="Third", body="<p>After the launch</p>"))
        private = root.add("private", Folder(title="Private"))
        private.add("plan", Page(title="Launch plan", body="<p>secret launch</p>"))
        private.manage_permission("View", ["Manager"], acquire=False)
    return db


def ids(answer) -> list[str]:
    return [item["id"] for item in answer.json["items"]]


def test_a_query_answers_the_folder_batching_shape(app, news):
    answer = app.get("/news/@@search?text=launch&sort_on=id", headers=JSON, status=200)
    assert answer.content_type == "application/json"
    assert answer.json["items_total"] == 2 and ids(answer) == ["one", "three"]
    item = answer.json["items"][0]
    assert set(item) == {"@id", "@type", "id", "title", "created", "modified"}
    assert item["@id"] == "http://localhost/news/one" and item["@type"] == "Page"
    assert item["title"] == "Launch day" and item["modified"].endswith("+00:00")
    assert answer.json["batching"]["b_start"] == 0


def test_a_client_that_names_no_type_gets_json(app, news):
    answer = app.get("/news/@@search?type=Page", status=200)
    assert answer.content_type == "application/json" and answer.json["items_total"] == 3


def test_the_path_defaults_to_the_context_and_may_be_given(app, news):
    everywhere = app.get("/@@search?text=launch", headers=ADMIN_AUTH, status=200)
    assert sorted(ids(everywhere)) == ["one", "plan", "three"]
    elsewhere = app.get("/news/@@search?text=launch&path=/private", headers=ADMIN_AUTH,
                        status=200)
    assert ids(elsewhere) == ["plan"]


def test_only_what_the_requester_may_view_is_found(app, news):
    anonymous = app.get("/@@search?text=launch", headers=JSON, status=200)
    assert sorted(ids(anonymous)) == ["one", "three"] and anonymous.json["items_total"] == 2
    manager = app.get("/@@search?text=launch", headers=dict(JSON, **ADMIN_AUTH), status=200)
    assert sorted(ids(manager)) == ["one", "plan", "three"]


def test_searching_a_place_the_requester_may_not_view_is_refused(app, news):
    refused = app.get("/private/@@search?text=launch", headers=JSON, status=401)
    assert refused.headers["WWW-Authenticate"] == 'Basic realm="objweb"'


def test_a_change_is_found_by_the_next_query(app, news):
    app.patch_json("/news/two", {"title": "Launch recap"}, headers=ADMIN_AUTH, status=204)
    answer = app.get("/news/@@search?text=recap", headers=JSON, status=200)
    assert ids(answer) == ["two"]
    app.delete("/news/two", headers=ADMIN_AUTH, status=204)
    assert app.get("/news/@@search?text=recap", headers=JSON, status=200).json["items"] == []


def test_batches_link_to_each_other_with_the_query(app, news):
    first = app.get("/news/@@search?type=Page&sort_on=id&b_size=2", headers=JSON, status=200)
    assert ids(first) == ["one", "three"] and first.json["items_total"] == 3
    following = first.json["batching"]["next"]
    query = parse_qs(urlsplit(following).query)
    assert query == {"type": ["Page"], "sort_on": ["id"], "b_start": ["2"], "b_size": ["2"]}
    second = app.get(following, headers=JSON, status=200)
    assert ids(second) == ["two"] and second.json["batching"]["next"] is None
    assert second.json["batching"]["prev"] is not None


def test_sorting_by_title_descending(app, news):
    answer = app.get("/news/@@search?sort_on=title&sort_order=descending", headers=JSON,
                     status=200)
    assert ids(answer) == ["three", "two", "one"]


@pytest.mark.parametrize("query, named", [
    ("colour=red", "colour"),
    ("sort_on=size", "sort_on"),
    ("sort_order=sideways", "sort_order"),
    ("depth=0", "depth"),
    ("depth=100000", "depth"),
    ("created_after=yesterday", "created_after"),
    ("text=a&text=b", "text"),
    ("b_size=100000", "b_size"),
    ("b_start=-1", "b_start"),
    ("text=" + "%20".join(f"word{number}" for number in range(20)), "text"),
    ("sort_on=relevance", "sort_on"),
])
def test_a_bad_query_is_a_400_naming_the_key(app, news, query, named):
    answer = app.get(f"/news/@@search?{query}", headers=JSON, status=400)
    assert answer.json["error"].startswith(named)


def test_hostile_queries_answer_4xx_or_results(app, news):
    repeated = "&".join(["type=Page"] * 500)
    assert app.get(f"/@@search?{repeated}", headers=JSON, status=400).json["error"] \
        .startswith("type")
    # A thousand repetitions are past the URL's length limit before the query is read.
    app.get("/@@search?" + "&".join(["type=Page"] * 1000), headers=JSON, status=414)
    wildcards = app.get("/@@search?text=.*%5Ba-z%5D%2B%24", headers=JSON, status=[200, 400])
    assert wildcards.status_int == 400 or wildcards.json["items"] == []
    too_long = app.get("/@@search?text=" + "a" * 100000, headers=JSON, status=414)
    assert "limit" in too_long.json["error"]
    long_text = app.get("/@@search?text=" + "a" * 5000, headers=JSON, status=400)
    assert long_text.json["error"].startswith("text")
    assert app.get("/@@search?depth=99999999999999999999", headers=JSON, status=400) \
        .json["error"].startswith("depth")


def test_a_browser_gets_a_page_with_a_form_and_links(app, news):
    page = app.get("/news/@@search?text=launch&sort_on=id&b_size=1", headers=BROWSER_ACCEPT,
                   status=200)
    assert page.content_type == "text/html"
    assert page.html.find("form", role="search").find("input", id="search-text")["value"] \
        == "launch"
    links = [link["href"] for link in page.html.find(id="search-results").find_all("a")]
    assert links == ["http://localhost/news/one"]
    assert page.html.find(id="search-count").get_text() == "2 found"
    following = app.get(page.html.find("a", rel="next")["href"], headers=BROWSER_ACCEPT,
                        status=200)
    assert [a["href"] for a in following.html.find(id="search-results").find_all("a")] == \
        ["http://localhost/news/three"]


def test_a_browser_sees_a_bad_query_as_a_page(app, news):
    page = app.get("/news/@@search?colour=red", headers=BROWSER_ACCEPT, status=400)
    assert page.content_type == "text/html" and "colour" in page.text
    assert "Traceback" not in page.text


def test_a_virtual_host_gets_its_own_urls(db, news):
    front = "127.0.0.1"
    hosted = TestApp(objweb.make_app(db, Settings(trusted_proxies=front)),
                     extra_environ={"REMOTE_ADDR": front})
    base = "/VirtualHostBase/https/example.org:443/news/VirtualHostRoot"
    inside = hosted.get(f"{base}/@@search?text=launch&sort_on=id", headers=JSON, status=200)
    assert [item["@id"] for item in inside.json["items"]] == [
        "https://example.org/one", "https://example.org/three"]
    outside = hosted.get(f"{base}/@@search?text=launch&path=/private", headers=dict(
        JSON, **ADMIN_AUTH), status=200)
    # Outside the virtual root, as for any object: the plain path on the host.
    assert [item["@id"] for item in outside.json["items"]] == ["http://localhost/private/plan"]


def test_a_search_lists_a_user_folder_only_to_whoever_may_view_it(app, news):
    # A user folder is viewed with "Manage users", not "View": search asks the same.
    with objweb.site(news) as root:
        root["news"]["acl_users"] = objweb.UserFolder()
        root["news"]["acl_users"].add_user("editor", "Editor-pw-1", roles=["Editor"])
    for path in ("/acl_users", "/news/acl_users"):
        app.get(path, headers=JSON, status=401)
    anonymous = app.get("/@@search?type=UserFolder", headers=JSON, status=200)
    assert anonymous.json["items_total"] == 0
    manager = app.get("/@@search?type=UserFolder&sort_on=created", headers={**JSON, **ADMIN_AUTH},
                      status=200)
    assert [item["@id"] for item in manager.json["items"]] == [
        "http://localhost/acl_users", "http://localhost/news/acl_users"]
