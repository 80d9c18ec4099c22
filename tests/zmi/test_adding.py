"""The add forms: one per type, each validated before anything is added."""

import io

import pytest
from PIL import Image as PILImage

from objweb import File, Folder, Image, Page, Script, Template, UserFolder, find


def png(width=4, height=3) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def news(site):
    site(lambda root: root.add("news", Folder(title="News")))
    return "/news/manage_add"


def add(client, values, status=303, **options):
    return client.post("/news/manage_add", {"command": "add", **values}, status=status, **options)


def test_the_add_form_is_built_from_the_type(manager, news):
    page = manager.get(news + "?type=Page")
    form = page.html.find(id="add-form")
    names = [field["name"] for field in form.find_all(["input", "textarea"])
             if field.get("type") != "hidden"]
    assert names == ["name", "title", "body"]
    assert form.find("label", attrs={"for": "field-body"}).get_text(strip=True) == "Body"
    assert not form.has_attr("enctype")


def test_a_file_form_uploads(manager, news):
    form = manager.get(news + "?type=File").html.find(id="add-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.find("input", attrs={"type": "file", "name": "data"})
    assert form.find("progress")


def test_an_unknown_type_has_no_form(manager, news):
    page = manager.get(news + "?type=Nonsense", status=400)
    assert "cannot be added here" in page.text


@pytest.mark.parametrize("type_name, values, check", [
    ("Folder", {"title": "Sub"}, lambda obj: isinstance(obj, Folder) and obj.title == "Sub"),
    ("Page", {"title": "Hi", "body": "<p>Hi</p>"}, lambda obj: obj.body == "<p>Hi</p>"),
    ("Template", {"title": "T", "source": "<p tal:content=\"context/title\">x</p>"},
     lambda obj: isinstance(obj, Template) and "context/title" in obj.source),
    ("Script", {"title": "S", "params": "name='x'", "body": "return name"},
     lambda obj: isinstance(obj, Script) and obj.params == "name='x'"),
])
def test_adding_each_kind_of_object(manager, news, look, type_name, values, check):
    response = add(manager, {"type": type_name, "name": "thing", **values})
    assert response.location == "http://localhost/news/manage_contents"
    assert look(lambda root: check(root["news"]["thing"]))
    assert look(lambda root: root["news"]["thing"].owner) == "admin"


def test_add_and_edit_goes_to_the_new_object(manager, news):
    response = add(manager, {"type": "Page", "name": "hello", "then": "edit"})
    assert response.location == "http://localhost/news/hello/manage"


def test_adding_a_file_stores_the_upload(manager, news, look):
    add(manager, {"type": "File", "name": "report.txt", "title": "R"},
        upload_files=[("data", "report.txt", b"hello world")])
    assert look(lambda root: (root["news"]["report.txt"].data,
                              root["news"]["report.txt"].content_type)) == \
        (b"hello world", "text/plain")


@pytest.mark.parametrize("type_name, filename, data", [
    ("File", "Q3 report.pdf", b"%PDF-1.4"),
    ("File", "C:\\Users\\ann\\notes.txt", b"notes"),
    ("Image", "logo.png", png()),
], ids=["file", "old-browser-path", "image"])
def test_an_upload_without_a_name_takes_the_files_name(manager, news, look, type_name,
                                                       filename, data):
    form = manager.get(news + f"?type={type_name}").html.find(id="add-form")
    assert not form.find("input", attrs={"name": "name"}).has_attr("required")
    add(manager, {"type": type_name, "name": "", "title": "T"},
        upload_files=[("data", filename, data)])
    name = filename.rsplit("\\", 1)[-1]
    assert look(lambda root: (list(root["news"].keys()), root["news"][name].size)) == \
        ([name], len(data))


def test_an_upload_whose_name_is_taken_asks_for_a_name(manager, news, site, look):
    site(lambda root: root["news"].add("a.txt", File(title="Old", data=b"old")))
    page = add(manager, {"type": "File", "name": ""}, status=400,
               upload_files=[("data", "a.txt", b"new")])
    assert "already in use" in page.html.find(id="field-name-error").get_text()
    assert look(lambda root: root["news"]["a.txt"].data) == b"old"


def test_a_page_still_needs_a_name(manager, news):
    form = manager.get(news + "?type=Page").html.find(id="add-form")
    assert form.find("input", attrs={"name": "name"}).has_attr("required")
    page = add(manager, {"type": "Page", "name": ""}, status=400)
    assert "cannot be empty" in page.html.find(id="field-name-error").get_text()


def test_adding_an_image_reads_its_size(manager, news, look):
    add(manager, {"type": "Image", "name": "logo"},
        upload_files=[("data", "logo.png", png(7, 5), "image/png")])
    assert look(lambda root: (root["news"]["logo"].width, root["news"]["logo"].height)) == (7, 5)


def test_an_image_that_is_not_an_image_is_refused(manager, news, look):
    page = add(manager, {"type": "Image", "name": "logo"}, status=400,
               upload_files=[("data", "logo.png", b"not a picture")])
    assert "not a PNG, JPEG, GIF or WebP image" in page.html.find(id="field-data-error").text
    assert look(lambda root: "logo" in root["news"]) is False


def test_an_image_needs_a_file(manager, news):
    page = add(manager, {"type": "Image", "name": "logo"}, status=400)
    assert "choose an image file" in page.text


def test_a_file_keeps_a_content_type_given(manager, news, look):
    add(manager, {"type": "File", "name": "data.bin", "content_type": "application/x-thing"},
        upload_files=[("data", "data.bin", b"\x00\x01")])
    assert look(lambda root: root["news"]["data.bin"].content_type) == "application/x-thing"


def test_a_bad_content_type_is_refused(manager, news, look):
    page = add(manager, {"type": "File", "name": "x", "content_type": "nonsense"}, status=400)
    assert "not a content type" in page.text
    assert look(lambda root: len(root["news"])) == 0


def test_an_upload_typed_as_a_list_of_types_is_refused(manager, news, look):
    # The part's own Content-Type is parsed as strictly as a typed one.
    page = add(manager, {"type": "File", "name": "x"}, status=400,
               upload_files=[("data", "x", b"<script>x</script>", "text/plain, text/html")])
    assert "not a content type" in page.text
    assert look(lambda root: len(root["news"])) == 0


@pytest.mark.parametrize("name, message", [
    ("", "a name cannot be empty"),
    ("_secret", "cannot start with '_'"),
    ("manage_x", "cannot start with 'manage'"),
    ("a/b", "cannot contain '/'"),
])
def test_a_bad_name_is_refused_beside_its_field(manager, news, look, name, message):
    page = add(manager, {"type": "Page", "name": name, "title": "Kept"}, status=400)
    assert message in page.html.find(id="field-name-error").get_text()
    assert page.html.find(id="field-title")["value"] == "Kept"
    assert page.html.find(id="field-name")["aria-invalid"] == "true"
    assert look(lambda root: len(root["news"])) == 0


def help_text(page, field_id: str) -> str:
    return page.html.find(id=f"{field_id}-help").get_text(" ", strip=True)


@pytest.mark.parametrize("rule", ["/", "control characters", "spaces", "255", ". or ..",
                                  "_", "@@", "aq_", "manage"])
def test_the_name_help_states_the_rule_that_is_checked(manager, news, rule):
    assert rule in help_text(manager.get(news + "?type=Page"), "field-name")


def test_a_name_the_help_allows_is_accepted(manager, news, look):
    add(manager, {"type": "Page", "name": "Annual report 2024", "title": "Report"})
    assert look(lambda root: root["news"]["Annual report 2024"].title) == "Report"


def test_the_rename_and_import_forms_state_the_same_rule(manager, site):
    site(lambda root: root.add("news", Folder()).add("old", Page()))
    rename = manager.post("/news/manage_contents", {"command": "rename", "names": "old"},
                          status=200)
    imports = manager.get("/news/manage_importexport")
    assert rename.html.find(id="name-rule").get_text(" ", strip=True) == \
        help_text(imports, "field-import-name") == \
        help_text(manager.get("/news/manage_add?type=Page"), "field-name").removeprefix(
            "Part of the URL. ")


def test_a_name_in_use_is_refused(manager, news, site, look):
    site(lambda root: root["news"].add("taken", Page(title="Old")))
    page = add(manager, {"type": "Page", "name": "taken", "title": "New"}, status=400)
    assert "already in use" in page.html.find(id="field-name-error").get_text()
    assert look(lambda root: root["news"]["taken"].title) == "Old"


def test_a_bad_field_value_is_refused(manager, news, look):
    page = add(manager, {"type": "Page", "name": "p", "title": "two\nlines"}, status=400)
    assert "single line" in page.html.find(id="field-title-error").get_text()
    assert look(lambda root: len(root["news"])) == 0


def test_a_type_not_allowed_here_is_refused(manager, news):
    page = manager.post("/manage_add", {"command": "add", "type": "UserFolder",
                                        "name": "acl_users"}, status=400)
    assert "cannot be added here" in page.text


def test_a_user_folder_has_its_fixed_name(manager, news, look):
    page = manager.get(news + "?type=UserFolder")
    assert page.html.find(id="field-name")["value"] == "acl_users"
    add(manager, {"type": "UserFolder", "name": "users"}, status=400)
    add(manager, {"type": "UserFolder", "name": "acl_users"})
    assert look(lambda root: isinstance(root["news"]["acl_users"], UserFolder))


def test_an_editor_may_add_a_page_but_not_a_script(editor, news, look):
    add(editor, {"type": "Page", "name": "page"})
    add(editor, {"type": "Script", "name": "script", "body": "return 1"}, status=403)
    assert look(lambda root: sorted(root["news"].keys())) == ["page"]
    assert look(lambda root: root["news"]["page"].owner) == "editor"


def test_adding_needs_add_objects(editor, news, site):
    site(lambda root: root["news"].manage_permission("Add objects", ["Manager"], False))
    editor.get(news + "?type=Page", status=403)
    add(editor, {"type": "Page", "name": "page"}, status=403)


def test_adding_a_folder_in_a_folder_keeps_the_tree(manager, news, look):
    add(manager, {"type": "Folder", "name": "sub"})
    manager.post("/news/sub/manage_add", {"command": "add", "type": "Page", "name": "deep"})
    assert look(lambda root: isinstance(find(root, "/news/sub/deep"), Page))


def test_an_empty_file_may_be_added(manager, news, look):
    add(manager, {"type": "File", "name": "empty"})
    assert look(lambda root: isinstance(root["news"]["empty"], File)
                and root["news"]["empty"].size == 0)


def test_the_image_type_is_in_the_menu(manager, news):
    page = manager.get("/news/manage_contents")
    assert page.html.find("option", attrs={"value": Image.type_name})
