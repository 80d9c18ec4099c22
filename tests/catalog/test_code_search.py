"""Scripts and Templates search with `context.search(**query)`, finding only what they may View.

Through HTTP, as visitors reach code: the user running the code and the
code's owner must both be allowed to View a result (executable
ownership); results read like the Python API's; a site's own `search`
keeps its meaning; bad queries and greedy slices fail as code errors.
"""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template
from objweb.catalog import drain_all
from objweb.sandbox import CodeLimitError, Limits
from sandbox_support import base_storage, db, policy_for  # noqa: F401 (fixtures: users made once)
from support import ADMIN_AUTH, basic_auth

EDITOR_AUTH = basic_auth("editor", "pw-editor")
ALICE_AUTH = basic_auth("alice", "pw-alice")
FIND = "return [r.path for r in context.search(text=text, sort_on='id')]"


@pytest.fixture
def site(db):
    """Public news with two Pages, a private folder only Managers and Editors may View."""
    with objweb.site(db) as root:
        news = root["news"] = Folder(title="News")
        news["a"] = Page(title="Launch day", body="<p>the launch is near</p>")
        news["b"] = Page(title="Weather", body="<p>rain</p>")
        private = news["private"] = Folder(title="Private")
        private.manage_permission("View", roles=["Manager", "Editor"], acquire=False)
        private["secret"] = Page(title="Launch plans", body="<p>launch codes</p>")
        root["find"] = Script(params="text=''", body=FIND)
        root["find"].owner = "admin"
    drain_all(db)
    return db


@pytest.fixture
def web(site):
    return TestApp(objweb.make_app(site))


def add(db, name, obj, *, where="/", owner="admin"):
    with objweb.site(db) as root:
        container = objweb.find(root, where)
        container[name] = obj
        obj.owner = owner


@pytest.mark.parametrize(("auth", "found"), [
    ({}, ["/news/a"]),
    (ALICE_AUTH, ["/news/a"]),
    (EDITOR_AUTH, ["/news/a", "/news/private/secret"]),
    (ADMIN_AUTH, ["/news/a", "/news/private/secret"]),
])
def test_a_script_finds_what_its_user_may_view(web, auth, found):
    response = web.get("/news/find", params={"text": "launch"}, headers=auth, status=200)
    assert sorted(response.json) == found


def test_the_code_owner_limits_what_a_manager_finds(site, web):
    add(site, "find_as_alice", Script(params="text=''", body=FIND), owner="alice")
    response = web.get("/news/find_as_alice", params={"text": "launch"}, headers=ADMIN_AUTH,
                       status=200)
    assert response.json == ["/news/a"]


def test_the_path_defaults_to_the_context(web):
    assert web.get("/news/private/find", params={"text": "launch"}, headers=ADMIN_AUTH,
                   status=200).json == ["/news/private/secret"]
    assert web.get("/find", params={"text": "rain"}, status=200).json == ["/news/b"]


def test_code_searches_only_from_what_its_user_may_view(web):
    # Private withholds View, not "Access contents information": the walk gets there.
    web.get("/news/private/find", params={"text": "launch"}, status=401)
    web.get("/news/private/find", params={"text": "launch"}, headers=ALICE_AUTH, status=403)


def test_results_read_as_in_python(site, web):
    add(site, "fields", Script(body=(
        "results = context.search(type='Page', sort_on='title')\n"
        "first = results[0]\n"
        "return {'count': len(results), 'id': first.id, 'path': first.path,\n"
        "        'type': first.type_name, 'title': first.title,\n"
        "        'year': first.modified.year >= first.created.year,\n"
        "        'body': first.object().body, 'slice': [r.id for r in results[1:]],\n"
        "        'last': results[-1].id}")))
    answer = web.get("/news/fields", headers=ADMIN_AUTH, status=200).json
    assert answer == {"count": 3, "id": "a", "path": "/news/a", "type": "Page",
                      "title": "Launch day", "year": True, "body": "<p>the launch is near</p>",
                      "slice": ["secret", "b"], "last": "b"}


def test_a_template_lists_the_newest_pages(site, web):
    with objweb.site(site) as root:
        root["news"]["b"].edit(title="Sunny")
    add(site, "newest", Template(source=(
        '<ul><li tal:repeat="item python: context.search(type=\'Page\', sort_on=\'modified\','
        ' sort_order=\'descending\')[:2]"><a tal:attributes="href item/path"'
        ' tal:content="item/title">t</a></li></ul>')))
    text = web.get("/news/newest", status=200).text.replace("\n", "")
    assert text == ('<ul><li><a href="/news/b">Sunny</a></li>'
                    '<li><a href="/news/a">Launch day</a></li></ul>')


def test_a_template_repeats_over_all_results_by_path(site, web):
    add(site, "all", Template(source=(
        '<p tal:repeat="item context/search" tal:content="item/id">x</p>')))
    text = web.get("/news/private/all", headers=EDITOR_AUTH, status=200).text
    assert text == "<p>secret</p>"
    assert web.get("/news/all", status=200).text.split() == ["<p>a</p>", "<p>b</p>"]


def test_a_change_made_by_the_code_is_found_in_the_same_run(site, web):
    add(site, "retitle", Script(body=(
        "context.edit(title='Harvest')\n"
        "return [r.path for r in context.search(path='/', type='Page', text='harvest')]")))
    assert web.get("/news/b/retitle", headers=ADMIN_AUTH, status=200).json == ["/news/b"]


def test_a_sites_own_search_keeps_its_meaning(site, web):
    add(site, "search", Script(body="return 'mine'"))
    add(site, "calls", Script(body="return context.search()"))
    assert web.get("/news/calls", status=200).text == "mine"


def test_a_bad_query_is_a_code_error_naming_the_key(site, web):
    add(site, "bad", Script(body="return len(context.search(colour='red'))"))
    response = web.get("/bad", headers=ADMIN_AUTH, status=500)
    assert "colour" in response.text
    assert "Traceback" not in response.text


def test_a_slice_counts_against_the_item_limit(site):
    with objweb.site(site) as root:
        root["greedy"] = script = Script(body="return len(context.search()[1:4])")
        admin = policy_for(root, "admin")
        assert script.run(None, user_policy=admin, limits=Limits(max_items=3)) == 3
        with pytest.raises(CodeLimitError, match="a slice of search results of 4 items"):
            script.edit(body="return len(context.search()[0:4])")
            script.run(None, user_policy=admin, limits=Limits(max_items=3))


def test_results_cannot_reach_the_catalog(site, web):
    add(site, "peek", Script(body="return str(context.search().catalog)"))
    add(site, "peek2", Script(body="return str(getattr(context.search()[0], 'connection'))"))
    assert "may not use &#x27;catalog&#x27;" in web.get("/peek", headers=ADMIN_AUTH, status=500).text
    assert "may not use &#x27;connection&#x27;" in web.get("/peek2", headers=ADMIN_AUTH, status=500).text


def test_the_readme_template_lists_the_newest_items(site, web):
    readme = open(__file__.rsplit("/tests/", 1)[0] + "/README.md").read()
    source = readme.split("## Searching", 1)[1].split("```html\n", 1)[1].split("```", 1)[0]
    add(site, "newest", Template(source=source))
    links = [(link["href"], link.get_text()) for link in
             web.get("/news/newest", status=200).html.find_all("a")]
    assert links[0] == ("/news/b", "Weather") and ("/news/a", "Launch day") in links
    assert ("/news/private/secret", "Launch plans") not in links
