"""The Import/Export, Find and Control panel tabs."""

import io
import zipfile

import pytest

from objweb import File, Folder, Image, Page, Script, find
from objweb.storage.transfer import export_subtree


@pytest.fixture
def news(site):
    def build(root):
        news = root.add("news", Folder(title="News"))
        news.add("alpha", Page(title="Alpha page", body="<p>a</p>"))
        inner = news.add("inner", Folder(title="Inner"))
        inner.add("deep", Page(title="Deep alpha"))
        inner.add("data", File(title="Data", data=b"123"))
        root.add("target", Folder())
    site(build)


def export_bytes(site, path) -> bytes:
    def run(root):
        buffer = io.BytesIO()
        export_subtree(find(root, path), buffer)
        return buffer.getvalue()
    return site(run)


# -- import/export -----------------------------------------------------------------------

def test_exporting_an_item_of_the_folder(manager, news):
    response = manager.post("/news/manage_importexport", {"command": "export",
                                                          "name": "inner"}, status=200)
    assert response.body.startswith(b"ZEXP")
    assert "inner.zexp" in response.headers["Content-Disposition"]


def test_exporting_the_folder_itself(manager, news):
    response = manager.post("/news/manage_importexport", {"command": "export"}, status=200)
    assert "news.zexp" in response.headers["Content-Disposition"]


def test_exporting_a_missing_item_is_refused(manager, news):
    page = manager.post("/news/manage_importexport", {"command": "export", "name": "ghost"},
                        status=400)
    assert "no item 'ghost'" in page.html.find(id="field-name-error").get_text()


def test_importing_a_subtree(manager, news, site, look):
    data = export_bytes(site, "/news/inner")
    response = manager.post("/target/manage_importexport", {"command": "import"},
                            upload_files=[("file", "inner.zexp", data)])
    assert "Imported /target/inner." in manager.follow(response).text
    assert look(lambda root: (find(root, "/target/inner/deep").title,
                              find(root, "/target/inner/data").data)) == ("Deep alpha", b"123")


def test_importing_under_another_name(manager, news, site, look):
    data = export_bytes(site, "/news/alpha")
    manager.post("/news/manage_importexport", {"command": "import", "import_name": "beta"},
                 upload_files=[("file", "alpha.zexp", data)])
    assert look(lambda root: root["news"]["beta"].body) == "<p>a</p>"


def test_importing_over_a_name_in_use_is_refused(manager, news, site, look):
    data = export_bytes(site, "/news/alpha")
    page = manager.post("/news/manage_importexport", {"command": "import"}, status=400,
                        upload_files=[("file", "alpha.zexp", data)])
    assert "give a name to import it under" in \
        page.html.find(id="field-import-name-error").get_text()
    assert look(lambda root: sorted(root["news"].keys())) == ["alpha", "inner"]


def test_importing_without_a_file_is_refused(manager, news):
    page = manager.post("/news/manage_importexport", {"command": "import"}, status=400)
    assert "choose an export file" in page.text


def test_importing_something_else_is_refused(manager, news, look):
    page = manager.post("/news/manage_importexport", {"command": "import"}, status=400,
                        upload_files=[("file", "evil.zexp", b"not an export at all")])
    assert "not an export file" in page.text
    assert look(lambda root: sorted(root["news"].keys())) == ["alpha", "inner"]


def test_importing_a_zip_of_exports(manager, news, site, look):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("alpha.zexp", export_bytes(site, "/news/alpha"))
        archive.writestr("inner.zexp", export_bytes(site, "/news/inner"))
    manager.post("/target/manage_importexport", {"command": "import"},
                 upload_files=[("file", "both.zip", buffer.getvalue())])
    assert look(lambda root: sorted(root["target"].keys())) == ["alpha", "inner"]


@pytest.mark.parametrize("members, values, message", [
    ({"a.txt": b"x"}, {}, "is not a .zexp export"),
    ({}, {}, "holds no export files"),
    ({"a.zexp": b"x"}, {"import_name": "b"}, "keeps the names inside it"),
])
def test_a_bad_zip_is_refused(manager, news, look, members, values, message):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    page = manager.post("/target/manage_importexport", {"command": "import", **values},
                        status=400, upload_files=[("file", "x.zip", buffer.getvalue())])
    assert message in page.text
    assert look(lambda root: len(root["target"])) == 0


def test_importing_a_script_needs_the_right_to_change_code(manager, editor, site, look):
    site(lambda root: (root.add("code", Folder()).add("greet", Script(body="return 1")),
                       root["code"].manage_permission("Import/Export objects",
                                                      ["Manager", "Editor"])))
    data = export_bytes(site, "/code/greet")
    site(lambda root: root["code"].remove("greet"))
    editor.post("/code/manage_importexport", {"command": "import"}, status=403,
                upload_files=[("file", "greet.zexp", data)])
    assert look(lambda root: len(root["code"])) == 0


def test_an_editor_cannot_open_import_export(editor, news):
    editor.get("/news/manage_importexport", status=403)


# -- find ------------------------------------------------------------------------------------

def found_paths(page) -> list[str]:
    table = page.html.find(id="find-results")
    return [] if table is None else [row.td.get_text() for row in table.tbody("tr")]


def test_the_find_form_alone_searches_nothing(manager, news):
    page = manager.get("/manage_find")
    assert page.html.find(id="find-form") and found_paths(page) == []


@pytest.mark.parametrize("query, paths", [
    ("name=alpha", ["/news/alpha"]),
    ("title=ALPHA", ["/news/alpha", "/news/inner/deep"]),
    ("type=File", ["/news/inner/data"]),
    ("type=Folder", ["/news", "/news/inner", "/target"]),
    ("name=e&type=Page", ["/news/inner/deep"]),
    ("since=2000-01-01&name=deep", ["/news/inner/deep"]),
    ("before=2000-01-01", []),
])
def test_finding_by_each_criterion(manager, news, query, paths):
    assert found_paths(manager.get(f"/manage_find?search=1&{query}")) == paths


def test_find_searches_below_the_folder_only(manager, news):
    assert found_paths(manager.get("/news/inner/manage_find?search=1&title=alpha")) == \
        ["/news/inner/deep"]


def test_nothing_found_says_so(manager, news):
    assert "Nothing matches." in manager.get("/manage_find?search=1&name=zzz").text


def test_a_bad_date_is_shown_beside_its_field(manager, news):
    page = manager.get("/manage_find?search=1&since=soon")
    assert "'soon' is not a date" in page.html.find(class_="field-error").get_text()
    assert found_paths(page) == []


def test_find_results_are_batched(manager, site):
    site(lambda root: [root.add(f"page-{number:03d}", Page()) for number in range(60)])
    page = manager.get("/manage_find?search=1&name=page-")
    assert len(found_paths(page)) == 50
    following = manager.get(page.html.find("a", rel="next")["href"])
    assert found_paths(following) == [f"/page-{number:03d}" for number in range(50, 60)]


def test_find_searches_the_words_of_titles_and_bodies(manager, news, site):
    site(lambda root: root["news"].add("launch", Page(title="Plans", body="<p>The Launch day</p>")))
    page = manager.get("/manage_find?search=1&text=launch")
    assert found_paths(page) == ["/news/launch"]
    assert page.html.find(id="find-text")["value"] == "launch"
    assert sorted(found_paths(manager.get("/manage_find?search=1&text=alpha&type=Page"))) == \
        ["/news/alpha", "/news/inner/deep"]


def test_a_bad_text_is_shown_beside_its_field(manager, news):
    page = manager.get("/manage_find?search=1&text=" + "+".join(f"w{n}" for n in range(40)))
    assert "text: at most" in page.html.find(id="find-form").find(class_="field-error").get_text()
    assert found_paths(page) == []


def test_a_result_links_to_its_management_screen(manager, news):
    page = manager.get("/manage_find?search=1&title=deep")
    assert found_paths(page) == ["/news/inner/deep"]
    target = page.html.find(id="find-results").tbody.a["href"]
    assert target.endswith("/news/inner/deep/manage")


def test_find_leaves_out_what_lies_in_a_folder_the_user_may_not_walk_through(manager, news, site):
    # As the publisher would refuse /news/inner/deep, even to a Manager.
    site(lambda root: root["news"]["inner"].manage_permission(
        "Access contents information", [], False))
    assert found_paths(manager.get("/manage_find?search=1&title=deep")) == []
    assert found_paths(manager.get("/manage_find?search=1&title=inner")) == ["/news/inner"]
    site(lambda root: root["news"]["inner"].manage_permission(
        "Access contents information", [], True))
    assert found_paths(manager.get("/manage_find?search=1&title=deep")) == ["/news/inner/deep"]


def test_find_follows_a_rename_at_once(manager, news, site):
    site(lambda root: root["news"].rename("alpha", "omega"))
    assert found_paths(manager.get("/manage_find?search=1&name=omega")) == ["/news/omega"]
    assert found_paths(manager.get("/manage_find?search=1&name=alpha")) == []


def test_find_shows_only_what_the_user_may_view(editor, news, site):
    site(lambda root: root["news"]["inner"].manage_permission("View", ["Manager"], False))
    assert found_paths(editor.get("/manage_find?search=1&title=alpha")) == ["/news/alpha"]


# -- control panel -------------------------------------------------------------------------------

def test_the_control_panel_shows_the_database(manager):
    page = manager.get("/manage_control")
    facts = {dt.get_text(): dd.get_text() for dt, dd in
             zip(page.html.find_all("dt"), page.html.find_all("dd"))}
    assert facts["Storage"].startswith("DemoStorage")
    assert int(facts["Objects"].replace(",", "")) > 0
    assert "objects" in facts["Target per connection"]
    assert facts["objweb"] and facts["Python"]


def test_packing(file_manager, file_db):
    response = file_manager.post("/manage_control", {"command": "pack", "days": "0",
                                                     "confirm": "1"})
    assert "Packed the database, keeping no history." in file_manager.follow(response).text


def test_packing_with_days(file_manager):
    response = file_manager.post("/manage_control", {"command": "pack", "days": "3",
                                                     "confirm": "1"})
    assert "keeping the last 3 days" in file_manager.follow(response).text


@pytest.mark.parametrize("days", ["-1", "soon", "99999999"])
def test_bad_days_are_refused(manager, days):
    page = manager.post("/manage_control", {"command": "pack", "days": days}, status=400)
    assert "whole number" in page.html.find(id="field-days-error").get_text()


def test_an_editor_sees_the_figures_but_may_not_pack(editor):
    page = editor.get("/manage_control")
    assert page.html.find(id="pack-form") is None
    editor.post("/manage_control", {"command": "pack", "days": "0"}, status=403)


def test_an_image_is_found_by_type(manager, site):
    site(lambda root: root.add("pic", Image(data=b"")))
    assert found_paths(manager.get("/manage_find?search=1&type=Image")) == ["/pic"]


def test_a_storage_that_cannot_pack_says_so(tmp_path):
    import ZODB
    from webtest import TestApp
    from ZODB.FileStorage import FileStorage

    import objweb
    from support import ADMIN, ADMIN_PASSWORD, basic_auth
    writable = objweb.open_db(f"file://{tmp_path}/Data.fs")
    objweb.bootstrap(writable, admin=ADMIN, password=ADMIN_PASSWORD)
    writable.close()
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        app = TestApp(objweb.make_app(db))
        headers = basic_auth(ADMIN, ADMIN_PASSWORD)
        page = app.get("/manage_control", headers=headers, status=200)
        token = page.html.find("input", attrs={"name": "csrf_token"})["value"]
        failed = app.post("/manage_control", {"command": "pack", "days": "0", "confirm": "1",
                                              "csrf_token": token}, headers=headers, status=400)
        assert "the storage could not pack" in failed.text
    finally:
        db.close()
