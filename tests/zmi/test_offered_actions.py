"""A screen offers only the actions its user may take, and tells a refusal on the screen.

Zope shows every button and answers a forbidden one with a bare error
page; here a button the user may not press is not shown, and a post of
such a command (an old tab, a hand-made request) answers 403 with the
same screen and a message, nothing changed.
"""

import pytest

from objweb import Folder, Page, find


@pytest.fixture
def news(site):
    def build(root):
        news = root.add("news", Folder(title="News"))
        news.add("alpha", Page(title="Alpha", body="<p>alpha</p>"))
    site(build)
    return "/news/manage_contents"


def buttons(page, form_id: str = "contents-form") -> list[str]:
    form = page.html.find(id=form_id)
    return [button["value"] for button in form.find_all("button", attrs={"name": "command"})]


def test_contents_offers_a_manager_every_action(manager, news, site):
    page = manager.get(news)
    assert buttons(page) == ["rename", "cut", "copy", "export", "delete"]


def test_contents_leaves_out_export_for_an_editor(editor, news):
    page = editor.get(news)
    assert buttons(page) == ["rename", "cut", "copy", "delete"]


def test_contents_leaves_out_what_needs_delete_objects(editor, news, site):
    site(lambda root: root["news"].manage_permission("Delete objects", ["Manager"], False))
    page = editor.get(news)
    assert buttons(page) == ["copy"]


def test_a_refused_command_stays_on_the_screen_with_a_message(editor, news, look):
    page = editor.post(news, [("command", "export"), ("names", "alpha")], status=403)
    assert page.html.find(id="contents-form") is not None
    alert = page.html.find(class_="flash-error")
    assert alert.get_text(strip=True) == "You are not allowed to do this here. Nothing was changed."
    assert page.headers["Content-Type"].startswith("text/html")


def test_a_refused_delete_changes_nothing_and_stays_in_the_screens(editor, news, site, look):
    site(lambda root: root["news"].manage_permission("Delete objects", ["Manager"], False))
    page = editor.post(news, [("command", "delete"), ("names", "alpha")], status=403)
    assert "Nothing was changed." in page.html.find(class_="flash-error").get_text()
    assert [link.get_text(strip=True) for link in page.html.select(".tabs a")][:1] == ["Contents"]
    assert look(lambda root: sorted(root["news"].keys())) == ["alpha"]


def test_a_save_without_change_objects_stays_on_the_edit_form(editor, news, site, look):
    site(lambda root: root["news"]["alpha"].manage_permission("Change objects", ["Manager"],
                                                             False))
    page = editor.post("/news/alpha/manage_edit",
                       {"command": "save", "title": "Changed", "body": "<p>x</p>"}, status=403)
    assert page.html.find(id="edit-form") is not None
    assert "Nothing was changed." in page.html.find(class_="flash-error").get_text()
    assert look(lambda root: find(root, "/news/alpha").title) == "Alpha"


def test_the_import_form_is_left_out_without_add_objects(manager, news, site):
    site(lambda root: root["news"].manage_permission("Add objects", [], False))
    page = manager.get("/news/manage_importexport")
    assert page.html.find(id="import-form") is None
    assert page.html.find(id="export-form") is not None


def test_the_security_tab_leaves_out_local_roles_without_the_permission(manager, site):
    site(lambda root: root.add("mine", Folder()).manage_permission(
        "Change local roles", [], False))
    page = manager.get("/mine/manage_security")
    assert page.html.find(id="local-roles-form") is None
    assert page.html.find(id="permissions-form") is not None
