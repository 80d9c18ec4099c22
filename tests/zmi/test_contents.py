"""The Contents tab: the listing and every action on a selection."""

import io
import zipfile

import pytest

from objweb import Folder, Page, Script, find
from objweb.zmi.clipboard import CLIPBOARD_COOKIE
from support import installed_type_names


@pytest.fixture
def news(site):
    def build(root):
        news = root.add("news", Folder(title="News"))
        for name in ("alpha", "beta", "gamma"):
            news.add(name, Page(title=name.title(), body=f"<p>{name}</p>"))
        root.add("archive", Folder(title="Archive"))
    site(build)
    return "/news/manage_contents"


def names_in(look, path="/news"):
    return look(lambda root: sorted(find(root, path).keys()))


def rows(page) -> list[str]:
    return [cell.get_text(strip=True) for cell in page.html.select("td.col-name")]


# -- the listing ----------------------------------------------------------------------

def test_contents_lists_items_with_their_columns(manager, news):
    page = manager.get(news)
    assert rows(page) == ["alpha", "beta", "gamma"]
    first = page.html.select("tbody tr")[0]
    assert [cell.get_text(strip=True) for cell in first.find_all("td")][2:5] == \
        ["Alpha", "Page", "12 B"]
    assert page.html.find("th", attrs={"aria-sort": "ascending"}).get_text(strip=True) \
        .startswith("Name")


def test_contents_sorts_by_a_column_and_back(manager, news):
    page = manager.get(news + "?sort=title&reverse=1")
    assert rows(page) == ["gamma", "beta", "alpha"]
    header = page.html.find("th", attrs={"aria-sort": "descending"})
    assert "Title" in header.get_text()


def test_contents_filters_names(manager, news):
    page = manager.get(news + "?filter=MM")
    assert rows(page) == ["gamma"]
    assert "of 1" in page.html.find(class_="batch-count").get_text()


def test_an_empty_filter_result_says_so(manager, news):
    page = manager.get(news + "?filter=zzz")
    assert "No name here contains" in page.text


def test_an_empty_folder_says_so(manager, news):
    assert "This folder is empty" in manager.get("/archive/manage_contents").text


def test_contents_batches_and_offers_all_matching(manager, news, site):
    site(lambda root: [root["news"].add(f"p{n:02d}", Page()) for n in range(60)])
    page = manager.get(news + "?b_size=20")
    assert len(rows(page)) == 20
    assert page.html.find("input", attrs={"name": "all_matching"})
    following = manager.get(page.html.find("a", rel="next")["href"])
    assert rows(following)[0] == "p17"


def test_select_all_without_script_ticks_the_batch(manager, news):
    page = manager.get(news + "?select=all")
    boxes = page.html.find_all("input", attrs={"name": "names"})
    assert all(box.has_attr("checked") for box in boxes)


def test_the_add_menu_lists_the_types_allowed_here(manager, news):
    page = manager.get(news)
    options = [option["value"] for option in page.html.find(id="add-type").find_all("option")]
    assert options == sorted(["File", "Folder", "Image", "OrderedFolder", "Page", "Script",
                              "Template", "UserFolder", *installed_type_names(Folder())])
    root_options = manager.get("/manage_contents").html.find(id="add-type").find_all("option")
    assert "UserFolder" not in [option["value"] for option in root_options]


def test_sorting_a_huge_selection_is_refused_with_a_note(manager, news, monkeypatch):
    from objweb.zmi import listing
    monkeypatch.setattr(listing, "SORT_LIMIT", 2)
    page = manager.get(news + "?sort=title")
    assert rows(page) == ["alpha", "beta", "gamma"]
    assert "Sorting by title is offered for up to" in page.text


# -- delete ------------------------------------------------------------------------------

def test_delete_removes_the_ticked_items(manager, news, look):
    response = manager.post(news, [("command", "delete"), ("names", "alpha"), ("names", "beta")])
    assert names_in(look) == ["gamma"]
    page = manager.follow(response)
    assert "Deleted 'alpha' and 'beta'." in page.text
    assert page.html.find(class_="flash").find("a")["href"].split("?")[0].endswith(
        "/news/manage_undo")


def test_delete_without_a_selection_is_refused(manager, news, look):
    page = manager.post(news, {"command": "delete"}, status=400)
    assert "select at least one item" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_delete_of_a_vanished_item_changes_nothing(manager, news, look):
    page = manager.post(news, [("command", "delete"), ("names", "alpha"), ("names", "ghost")],
                        status=400)
    assert "no item 'ghost'" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_delete_all_matching_across_batches(manager, news, look):
    manager.post(news, {"command": "delete", "all_matching": "1", "filter": "a"})
    assert names_in(look) == []


def test_an_editor_may_delete(editor, news, look):
    editor.post(news, [("command", "delete"), ("names", "beta")])
    assert names_in(look) == ["alpha", "gamma"]


def test_delete_needs_delete_objects(editor, news, site, look):
    site(lambda root: root["news"].manage_permission("Delete objects", ["Manager"], False))
    editor.post(news, [("command", "delete"), ("names", "beta")], status=403)
    assert names_in(look) == ["alpha", "beta", "gamma"]


# -- rename -------------------------------------------------------------------------------

def test_rename_shows_a_form_for_the_ticked_items(manager, news):
    page = manager.post(news, [("command", "rename"), ("names", "alpha"), ("names", "beta")],
                        status=200)
    inputs = page.html.find(id="rename-form").find_all("input", attrs={"name": "new"})
    assert [field["value"] for field in inputs] == ["alpha", "beta"]


def test_rename_of_all_matching_is_refused(manager, news):
    page = manager.post(news, {"command": "rename", "all_matching": "1"}, status=400)
    assert "one batch at a time" in page.text


def test_rename_gives_new_names(manager, news, look):
    manager.post(news, [("command", "rename_confirm"), ("old", "alpha"), ("new", "first"),
                        ("old", "beta"), ("new", "beta")])
    assert names_in(look) == ["beta", "first", "gamma"]


def test_rename_to_a_name_in_use_changes_nothing(manager, news, look):
    page = manager.post(news, [("command", "rename_confirm"), ("old", "alpha"), ("new", "one"),
                               ("old", "beta"), ("new", "gamma")], status=400)
    assert "already in use" in page.html.find(id="new-1-error").get_text()
    assert page.html.find(id="new-0")["value"] == "one"
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_rename_to_a_bad_name_changes_nothing(manager, news, look):
    page = manager.post(news, [("command", "rename_confirm"), ("old", "alpha"),
                               ("new", "_private")], status=400)
    assert "cannot start with '_'" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_rename_two_to_one_name_is_refused(manager, news, look):
    page = manager.post(news, [("command", "rename_confirm"), ("old", "alpha"), ("new", "x"),
                               ("old", "beta"), ("new", "x")], status=400)
    assert "cannot both be named 'x'" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_rename_without_items_is_refused(manager, news):
    page = manager.post(news, {"command": "rename_confirm"}, status=400)
    assert "select at least one item" in page.text


# -- cut, copy, paste ----------------------------------------------------------------------

def test_cut_and_paste_moves_items(manager, news, look):
    manager.post(news, [("command", "cut"), ("names", "alpha"), ("names", "beta")])
    page = manager.get("/archive/manage_contents")
    assert "Cut:" in page.html.find(class_="clipboard").get_text()
    response = manager.post("/archive/manage_contents", {"command": "paste"})
    assert names_in(look) == ["gamma"]
    assert names_in(look, "/archive") == ["alpha", "beta"]
    assert f"{CLIPBOARD_COOKIE}=;" in response.headers["Set-Cookie"] or \
        "Max-Age=0" in response.headers["Set-Cookie"]


def test_copy_and_paste_copies_with_zope_names(manager, news, look):
    manager.post(news, [("command", "copy"), ("names", "alpha")])
    manager.post(news, {"command": "paste"})
    manager.post(news, {"command": "paste"})
    assert names_in(look) == ["alpha", "beta", "copy2_of_alpha", "copy_of_alpha", "gamma"]
    assert look(lambda root: root["news"]["copy_of_alpha"].body) == "<p>alpha</p>"


def test_copy_all_matching_and_paste(manager, news, look):
    manager.post(news, {"command": "copy", "all_matching": "1", "filter": "ta"})
    manager.post("/archive/manage_contents", {"command": "paste"})
    assert names_in(look, "/archive") == ["beta"]


def test_paste_with_an_empty_clipboard_is_refused(manager, news):
    page = manager.post(news, {"command": "paste"}, status=400)
    assert "the clipboard is empty" in page.text


def test_paste_of_a_cut_into_its_own_folder_is_refused(manager, news, look):
    manager.post(news, [("command", "cut"), ("names", "alpha")])
    page = manager.post(news, {"command": "paste"}, status=400)
    assert "in this folder already" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]


def test_a_folder_cannot_be_moved_into_itself(manager, news, site, look):
    site(lambda root: root["news"].add("inner", Folder()))
    manager.post("/manage_contents", [("command", "cut"), ("names", "news")])
    page = manager.post("/news/inner/manage_contents", {"command": "paste"}, status=400)
    assert "cannot be moved into itself" in page.text
    assert look(lambda root: "news" in root)


def test_a_cut_whose_name_is_taken_changes_nothing(manager, news, site, look):
    site(lambda root: root["archive"].add("beta", Page()))
    manager.post(news, [("command", "cut"), ("names", "alpha"), ("names", "beta")])
    page = manager.post("/archive/manage_contents", {"command": "paste"}, status=400)
    assert "already in use" in page.text
    assert names_in(look) == ["alpha", "beta", "gamma"]
    assert names_in(look, "/archive") == ["beta"]


def test_paste_from_a_vanished_folder_is_refused(manager, news, site):
    manager.post(news, [("command", "copy"), ("names", "alpha")])
    site(lambda root: root.remove("news"))
    page = manager.post("/archive/manage_contents", {"command": "paste"}, status=400)
    assert "is gone" in page.text


def test_paste_of_a_vanished_item_is_refused(manager, news, site):
    manager.post(news, [("command", "copy"), ("names", "alpha")])
    site(lambda root: root["news"].remove("alpha"))
    page = manager.post("/archive/manage_contents", {"command": "paste"}, status=400)
    assert "no longer in /news" in page.text


def test_a_tampered_clipboard_is_ignored(manager, news):
    manager.app.set_cookie(CLIPBOARD_COOKIE, "eyJvcGVyYXRpb24iOiJjdXQifQ.bad")
    page = manager.post(news, {"command": "paste"}, status=400)
    assert "the clipboard is empty" in page.text


def test_pasting_a_script_needs_the_right_to_change_code(editor, news, site, look):
    site(lambda root: root["news"].add("greet", Script(body="return 1")))
    editor.post(news, [("command", "copy"), ("names", "greet")])
    editor.post("/archive/manage_contents", {"command": "paste"}, status=403)
    assert names_in(look, "/archive") == []


def test_a_second_user_folder_cannot_be_pasted(manager, news):
    manager.post("/manage_contents", [("command", "copy"), ("names", "acl_users")])
    page = manager.post("/manage_contents", {"command": "paste"}, status=400)
    assert "cannot be pasted here" in page.text


# -- export -------------------------------------------------------------------------------------

def test_export_of_one_item_downloads_a_zexp(manager, news):
    response = manager.post(news, [("command", "export"), ("names", "alpha")], status=200)
    assert response.body.startswith(b"ZEXP")
    assert "filename*=UTF-8''alpha.zexp" in response.headers["Content-Disposition"]


def test_export_of_several_items_downloads_a_zip(manager, news):
    response = manager.post(news, [("command", "export"), ("names", "alpha"),
                                   ("names", "beta")], status=200)
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    assert archive.namelist() == ["alpha.zexp", "beta.zexp"]
    assert archive.read("beta.zexp").startswith(b"ZEXP")


def test_export_needs_the_import_export_permission(editor, news):
    editor.post(news, [("command", "export"), ("names", "alpha")], status=403)


def test_without_add_objects_there_is_no_add_menu(editor, news, site):
    site(lambda root: root["news"].manage_permission("Add objects", ["Manager"], False))
    page = editor.get(news)
    assert page.html.find(id="add-type") is None


def test_paste_from_what_is_no_longer_a_folder_is_refused(manager, news, site):
    manager.post(news, [("command", "copy"), ("names", "alpha")])
    site(lambda root: (root.remove("news"), root.add("news", Page())))
    page = manager.post("/archive/manage_contents", {"command": "paste"}, status=400)
    assert "/news is not a folder any more" in page.text


def test_the_add_menu_leaves_out_what_the_user_may_not_create(editor, news):
    options = [option["value"] for option in
               editor.get(news).html.find(id="add-type").find_all("option")]
    assert options == sorted(["File", "Folder", "Image", "OrderedFolder", "Page",
                              *installed_type_names(Folder())])
