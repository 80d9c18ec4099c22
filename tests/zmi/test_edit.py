"""The Edit tab: each type's fields, code in an editor, uploads and previews."""

import io

import pytest
from PIL import Image as PILImage

from objweb import File, Folder, Image, Page, Script, Template
from objweb.errors import SourceError
from objweb.zmi.forms import Widget, form_values, schema_widgets, uploaded_file, widget_kind


def png(width, height) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def things(site):
    def build(root):
        root.add("page", Page(title="Page", body="<p>one</p>\n<p>two</p>"))
        root.add("view", Template(title="View", source="<p>hello</p>"))
        root.add("greet", Script(title="Greet", params="name='you'", body="return name"))
        root.add("report", File(title="Report", data=b"abc", content_type="text/plain"))
        root.add("logo", Image(title="Logo", data=png(6, 4)))
    site(build)


def save(client, path, values, status=303, **options):
    return client.post(f"{path}/manage_edit", {"command": "save", **values}, status=status,
                       **options)


def test_a_page_is_edited_in_a_code_editor(manager, things):
    page = manager.get("/page/manage_edit")
    editor = page.html.find(class_="editor")
    assert editor.find("textarea", attrs={"name": "body"}).get_text() == "<p>one</p>\n<p>two</p>"
    assert page.html.find("label", attrs={"for": "field-body"})


def test_saving_a_page(manager, things, look):
    response = save(manager, "/page", {"title": "New", "body": "<h1>New</h1>"})
    assert response.location == "http://localhost/page/manage_edit"
    assert look(lambda root: (root["page"].title, root["page"].body)) == ("New", "<h1>New</h1>")
    assert "Saved your changes." in manager.follow(response).text


def test_a_bad_title_is_shown_beside_the_field_and_nothing_changes(manager, things, look):
    page = save(manager, "/page", {"title": "a\nb", "body": "<p>typed</p>"}, status=400)
    assert "single line" in page.html.find(id="field-title-error").get_text()
    assert page.html.find("textarea", attrs={"name": "body"}).get_text() == "<p>typed</p>"
    assert look(lambda root: root["page"].body) == "<p>one</p>\n<p>two</p>"


def test_a_template_source_is_saved(manager, things, look):
    save(manager, "/view", {"title": "View", "source": "<p>changed</p>"})
    assert look(lambda root: root["view"].source) == "<p>changed</p>"


def test_a_script_params_and_body_are_saved(manager, things, look):
    save(manager, "/greet", {"title": "Greet", "params": "a, b=2", "body": "return a + b"})
    assert look(lambda root: (root["greet"].params, root["greet"].body)) == \
        ("a, b=2", "return a + b")


def test_a_script_body_is_in_the_editor_and_params_on_one_line(manager, things):
    page = manager.get("/greet/manage_edit")
    assert page.html.find("input", attrs={"name": "params"})["value"] == "name='you'"
    assert page.html.find(class_="editor").find("textarea")["name"] == "body"


def test_a_file_shows_its_size_and_takes_a_new_upload(manager, things, look):
    page = manager.get("/report/manage_edit")
    assert "3 B, text/plain" in page.html.find(class_="file-info").get_text()
    form = page.html.find(id="edit-form")
    assert form["enctype"] == "multipart/form-data" and form.find("progress")
    save(manager, "/report", {"title": "Report", "content_type": "text/plain"},
         upload_files=[("data", "new.csv", b"a,b\n1,2\n")])
    assert look(lambda root: (root["report"].data, root["report"].content_type)) == \
        (b"a,b\n1,2\n", "text/csv")


def test_a_file_keeps_its_data_without_an_upload(manager, things, look):
    save(manager, "/report", {"title": "Renamed", "content_type": "application/x-text"})
    assert look(lambda root: (root["report"].data, root["report"].title,
                              root["report"].content_type)) == \
        (b"abc", "Renamed", "application/x-text")


def test_a_bad_content_type_changes_nothing(manager, things, look):
    page = save(manager, "/report", {"title": "X", "content_type": "bad"}, status=400,
                upload_files=[("data", "x.bin", b"zzz")])
    assert "not a content type" in page.text
    assert look(lambda root: (root["report"].data, root["report"].title)) == (b"abc", "Report")


def test_an_image_shows_a_preview_and_is_replaced(manager, things, look):
    page = manager.get("/logo/manage_edit")
    preview = page.html.find("figure", class_="preview").find("img")
    assert (preview["width"], preview["height"]) == ("6", "4")
    assert preview["alt"] == "Preview of logo"
    assert preview["src"].startswith("http://localhost/logo?v=")
    save(manager, "/logo", {"title": "Logo", "content_type": "image/png"},
         upload_files=[("data", "big.png", png(20, 10))])
    assert look(lambda root: (root["logo"].width, root["logo"].height)) == (20, 10)


def test_folders_have_no_edit_tab(manager, site):
    site(lambda root: root.add("box", Folder()))
    manager.get("/box/manage_edit", status=404)


def test_an_editor_may_edit_a_page(editor, things, look):
    save(editor, "/page", {"title": "By editor", "body": "x"})
    assert look(lambda root: root["page"].title) == "By editor"


def test_a_source_error_is_shown_at_its_line():
    error = SourceError("unexpected end of tag", line=2, column=5)
    widgets = schema_widgets(Template, {"title": "T", "source": "<p>\n<b\n</p>"},
                             {"source": str(error)}, error)
    source = [widget for widget in widgets if widget.name == "source"][0]
    assert (source.error_line, source.error_column) == (2, 5)
    assert source.numbered_lines == [(1, "<p>", False), (2, "<b", True), (3, "</p>", False)]


def test_widget_helpers():
    widget = Widget("roles", "Roles", "checkboxes", ("Editor",), options=(("Editor", "Editor"),))
    assert widget.is_selected("Editor") and not widget.is_selected("Manager")
    assert Widget("x", "X", value=None).text_value == ""
    assert Widget("x", "X", value=["a", "b"]).text_value == "a\nb"
    assert Widget("x", "X", value="a").is_selected("a")
    assert Widget("a b", "X").input_id == "field-a-b"
    assert Widget("x", "X").numbered_lines == []
    kinds = {field.name: widget_kind(field) for field in File.fields}
    assert kinds == {"title": "line", "content_type": "line", "data": "file", "size": "int"}
    assert form_values(Page, {"title": "T"}) == {"title": "T"}
    assert uploaded_file({"data": "text"}, "data") is None


def test_a_template_that_does_not_compile_is_shown_at_its_line(manager, things, look):
    source = '<p>\n<b tal:content="python: 1 +">x</b>\n</p>'
    page = save(manager, "/view", {"title": "View", "source": source}, status=400)
    editor = page.html.find(class_="editor")
    assert editor["data-error-line"] == "2"
    assert "invalid syntax (line 2, column 24)" in \
        page.html.find(id="field-source-error").get_text()
    context = page.html.find("ol", class_="error-context")
    marked = context.find("li", class_="error-line")
    assert marked["value"] == "2" and "python: 1 +" in marked.code.get_text()
    assert page.html.find("textarea", attrs={"name": "source"}).get_text() == source
    assert look(lambda root: root["view"].source) == "<p>hello</p>"


def test_a_script_body_that_does_not_compile_is_refused(manager, things, look):
    page = save(manager, "/greet", {"title": "Greet", "params": "", "body": "x = 1\nreturn ("},
                status=400)
    assert page.html.find(class_="editor")["data-error-line"] == "2"
    assert "was never closed" in page.html.find(id="field-body-error").get_text()
    assert look(lambda root: root["greet"].body) == "return name"


def test_script_parameters_that_do_not_parse_are_refused(manager, things, look):
    page = save(manager, "/greet", {"title": "Greet", "params": "a=", "body": "return 1"},
                status=400)
    assert "parameters do not parse" in page.html.find(id="field-params-error").get_text()
    assert look(lambda root: root["greet"].params) == "name='you'"


def test_adding_a_template_that_does_not_compile_is_refused(manager, things, look):
    page = manager.post("/manage_add", {"command": "add", "type": "Template", "name": "bad",
                                        "source": '<p tal:bogus="x">y</p>'}, status=400)
    assert page.html.find(class_="editor")["data-error-line"] == "1"
    assert look(lambda root: "bad" in root) is False
