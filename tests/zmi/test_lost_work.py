"""Typed work is never lost: an ended session, an outdated token, and two people saving one object.

Browsers say where a form came from (`Sec-Fetch-Site`, `Origin`); the tests
send `Origin` as a browser posting the site's own form does.
"""

import pytest

from objweb import Folder, Page, Script
from objweb.content import properties
from support import ADMIN, BROWSER_ACCEPT

SAME_SITE = {**BROWSER_ACCEPT, "Origin": "http://localhost"}
EDIT = "/news/page/manage_edit"
NEW_PASSWORD = "a-new-password-of-admin"


@pytest.fixture
def news(site):
    def build(root):
        news = root.add("news", Folder(title="News"))
        news.add("page", Page(title="Page", body="<p>stored</p>"))
        properties.add_property(news["page"], "rank", "int", 1)
    site(build)


def stored(look):
    return look(lambda root: (root["news"]["page"].title, root["news"]["page"].body))


def edit_form(app):
    page = app.get(EDIT, headers=BROWSER_ACCEPT, status=200)
    return page.forms["edit-form"]


def end_session(site):
    """End every session of the Manager, as a password change elsewhere does."""
    site(lambda root: root["acl_users"].set_password(ADMIN, NEW_PASSWORD))


# -- item 2: the session ends during an edit ----------------------------------------------

def test_logging_in_again_brings_the_typed_form_back(app, manager, news, look, site):
    form = edit_form(app)
    form["title"] = "Typed title"
    form["body"] = "<p>typed at length</p>"
    end_session(site)
    login_page = form.submit(headers=SAME_SITE, status=401)
    assert "nothing was saved" in login_page.text
    assert stored(look) == ("Page", "<p>stored</p>")
    login = login_page.forms[0]
    login["login"], login["password"] = ADMIN, NEW_PASSWORD
    resume = login.submit(headers=BROWSER_ACCEPT, status=200)
    back = resume.forms["resume-form"].submit(headers=SAME_SITE, status=200)
    assert "not saved yet" in back.text
    again = back.forms["edit-form"]
    assert again["title"].value == "Typed title"
    assert again["body"].value == "<p>typed at length</p>"
    assert stored(look) == ("Page", "<p>stored</p>")
    again.submit(headers=SAME_SITE, status=303)
    assert stored(look) == ("Typed title", "<p>typed at length</p>")


def test_a_wrong_password_keeps_the_held_form(app, manager, news, site):
    form = edit_form(app)
    form["title"] = "Kept"
    end_session(site)
    login = form.submit(headers=SAME_SITE, status=401).forms[0]
    login["login"], login["password"] = ADMIN, "wrong"
    retry = login.submit(headers=BROWSER_ACCEPT, status=401).forms[0]
    retry["login"], retry["password"] = ADMIN, NEW_PASSWORD
    back = retry.submit(headers=BROWSER_ACCEPT, status=200).forms["resume-form"] \
        .submit(headers=SAME_SITE, status=200)
    assert back.forms["edit-form"]["title"].value == "Kept"


def test_a_post_from_another_site_is_not_held(app, manager, news, site):
    form = edit_form(app)
    form["title"] = "Forged"
    end_session(site)
    page = form.submit(headers={**BROWSER_ACCEPT, "Origin": "http://evil.example"}, status=401)
    assert "Forged" not in page.text and "held_name" not in page.text


def test_a_held_form_never_carries_a_password(app, manager, site):
    site(lambda root: root["acl_users"].add_user("ann", "ann-old-password"))
    form = app.get("/acl_users/manage_user?name=ann", status=200).forms["password-form"]
    form["password"] = form["confirm"] = "typed-secret-never-echoed"
    end_session(site)
    page = form.submit(headers=SAME_SITE, status=401)
    assert "typed-secret-never-echoed" not in page.text
    assert 'name="held_value" value="set_password"' in page.text


def test_the_resume_post_changes_nothing_without_a_token(app, manager, news, look):
    page = app.post(EDIT, {"resume": "1", "title": "Sneaky", "command": "save"},
                    headers=SAME_SITE, status=403)
    assert "This form had expired, so nothing was saved." in page.text
    assert stored(look) == ("Page", "<p>stored</p>")


# -- item 3: an outdated token --------------------------------------------------------------

def test_an_outdated_token_shows_the_typed_form_with_a_fresh_token(app, manager, news, look):
    form = edit_form(app)
    form["title"] = "Typed"
    form["csrf_token"] = "outdated"
    page = form.submit(headers=SAME_SITE, status=403)
    assert "This form had expired, so nothing was saved." in page.text
    again = page.forms["edit-form"]
    assert again["title"].value == "Typed"
    assert again["csrf_token"].value == manager.token
    assert stored(look) == ("Page", "<p>stored</p>")
    again.submit(headers=SAME_SITE, status=303)
    assert stored(look)[0] == "Typed"


def test_an_outdated_token_from_another_site_is_a_bare_refusal(app, manager, news, look):
    page = app.post(EDIT, {"command": "save", "title": "Forged", "csrf_token": "old"},
                    headers={**BROWSER_ACCEPT, "Origin": "http://evil.example"}, status=403)
    assert "Forged" not in page.text
    assert stored(look) == ("Page", "<p>stored</p>")


# -- item 4: two people save the same object ---------------------------------------------

@pytest.fixture
def other(db, site, client_for):
    def build(root):
        root["acl_users"].add_user("carol", "carol-password", roles=["Manager"])
    site(build)
    return client_for(db, "carol", "carol-password").app


def test_a_save_over_a_newer_change_shows_both_and_saves_nothing(app, manager, other, news,
                                                                   look):
    mine, theirs = edit_form(app), edit_form(other)
    theirs["body"] = "<p>theirs</p>"
    theirs.submit(status=303)
    mine["body"] = "<p>mine</p>"
    page = mine.submit(status=409)
    assert stored(look)[1] == "<p>theirs</p>"
    panel = page.html.find(id="conflict")
    assert "carol" in panel.get_text()
    first_row = panel.select("tbody tr")[0]
    cells = [cell.get_text(strip=True) for cell in first_row.find_all(["th", "td"])]
    assert cells == ["Body", "<p>theirs</p>", "<p>mine</p>"]
    assert page.forms["edit-form"]["body"].value == "<p>mine</p>"
    assert panel.find(id="keep-theirs")["href"].endswith(EDIT)
    page.forms["edit-form"].submit(status=303)
    assert stored(look)[1] == "<p>mine</p>"


def test_a_save_that_overwrites_nothing_of_theirs_goes_through(app, manager, other, news, look):
    mine, theirs = edit_form(app), edit_form(other)
    theirs["title"] = "Their title"
    theirs.submit(status=303)
    mine["title"] = "Their title"
    mine.submit(status=303)
    assert stored(look)[0] == "Their title"


def test_a_failed_save_keeps_the_version_it_started_from(app, manager, other, site, look):
    site(lambda root: root.add("greet", Script(title="Greet", body="return 1")))
    mine = app.get("/greet/manage_edit", status=200).forms["edit-form"]
    mine["body"] = "return ("
    failed = mine.submit(status=400).forms["edit-form"]
    theirs = other.get("/greet/manage_edit", status=200).forms["edit-form"]
    theirs["body"] = "return 2"
    theirs.submit(status=303)
    failed["body"] = "return 3"
    failed.submit(status=409)
    assert look(lambda root: root["greet"].body) == "return 2"


def test_properties_detect_a_newer_change(app, manager, other, news, look):
    mine = app.get("/news/page/manage_properties", status=200).forms["properties-form"]
    theirs = other.get("/news/page/manage_properties", status=200).forms["properties-form"]
    theirs["property.rank"] = "5"
    theirs.submit("command", status=303)
    mine["property.rank"] = "7"
    page = mine.submit("command", status=409)
    assert look(lambda root: properties.properties_of(root["news"]["page"])[0].value) == 5
    row = page.html.find(id="conflict").select("tbody tr")[0]
    assert [cell.get_text(strip=True) for cell in row.find_all("td")] == ["5", "7"]


def test_a_form_without_a_version_saves_as_before(manager, news, look):
    manager.post(EDIT, {"command": "save", "title": "Scripted", "body": "<p>x</p>"})
    assert stored(look)[0] == "Scripted"

