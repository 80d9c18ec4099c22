"""The code editor: which fields it edits, where its script is loaded, its vendored build.

The editor itself (highlighting, Tab, the error at its line) is proven in a
real browser in tests/browser/test_code_screens.py; here, that the page
hands it what it needs and works as a plain form without it.
"""

import json
import re
from pathlib import Path

import pytest

from objweb import Folder, Page, Script, Template
from objweb.zmi.static import STATIC_DIR, static_path

VENDOR = Path(__file__).resolve().parents[2] / "vendor" / "codemirror"


@pytest.fixture
def code(site):
    def build(root):
        root.add("page", Page(body="<p>one</p>"))
        root.add("view", Template(source="<p>hello</p>"))
        root.add("greet", Script(params="name='you'", body="return name"))
        root.add("box", Folder())
    site(build)


def script_sources(page) -> list[str]:
    return [script["src"].split("?")[0].rsplit("/", 1)[-1]
            for script in page.html.select("head script")]


@pytest.mark.parametrize("path,field,language", [
    ("/page", "body", "html"), ("/view", "source", "html"), ("/greet", "body", "python")])
def test_code_fields_name_their_language_for_the_editor(manager, code, path, field, language):
    page = manager.get(f"{path}/manage_edit")
    editor = page.html.select_one(f".editor:has(textarea[name={field}])")
    assert editor["data-language"] == language
    assert script_sources(page) == ["codemirror.js", "zmi.js"]


def test_screens_without_code_do_not_load_the_editor(manager, code):
    assert script_sources(manager.get("/box/manage_contents")) == ["zmi.js"]
    assert script_sources(manager.get("/box/manage_add", params={"type": "Folder"})) == \
        ["zmi.js"]


def test_the_editor_script_is_served_with_its_version_and_licence(manager, code):
    script = manager.get("/" + static_path("codemirror.js"))
    assert script.content_type == "application/javascript" or \
        script.content_type == "text/javascript"
    assert "immutable" in script.headers["Cache-Control"]
    assert script.body.startswith(b"/* CodeMirror 6 for objweb")
    licence = manager.get("/" + static_path("codemirror.LICENSE.txt"))
    assert "Marijn Haverbeke" in licence.text and "MIT" in licence.text


def test_the_vendored_build_names_every_pinned_package_with_its_licence():
    pinned = json.loads((VENDOR / "package.json").read_text())["dependencies"]
    locked = json.loads((VENDOR / "package-lock.json").read_text())["packages"]
    licence = (Path(STATIC_DIR) / "codemirror.LICENSE.txt").read_text()
    listed = dict(re.findall(r"^(@?[\w./-]+) (\d+\.\d+\.\d+) \(MIT\)$", licence, re.M))
    for name, version in pinned.items():
        assert listed[name] == version
    for name, version in listed.items():
        assert locked[f"node_modules/{name}"]["version"] == version
        assert locked[f"node_modules/{name}"]["license"] == "MIT"


@pytest.mark.parametrize("type_name,fields", [
    ("Script", {"params": "name='world'"}), ("Template", {})])
def test_a_new_template_or_script_starts_from_a_working_example(manager, site, look,
                                                                 type_name, fields):
    form = manager.get("/manage_add", params={"type": type_name})
    values = {area["name"]: area.get_text() for area in form.html.select(".editor textarea")}
    values.update({field["name"]: field["value"] for field in form.html.select(
        "input[name=params]")})
    assert all(values.values())
    manager.post("/manage_add", {"command": "add", "type": type_name, "name": "example",
                                 "title": "Example", **values})
    answer = manager.app.get("/example", status=200)
    expected = "Hello world, from" if type_name == "Script" else "<li>three</li>"
    assert expected in answer.text
    assert look(lambda root: root["example"].type_name) == type_name


def test_without_the_editor_the_field_is_a_plain_text_area(manager, code):
    """The form posts the text area's text: no script is needed to save code."""
    page = manager.get("/greet/manage_edit")
    area = page.html.select_one(".editor textarea[name=body]")
    assert area["id"] == "field-body" and area.get("hidden") is None
    assert page.html.select_one("label[for=field-body]").get_text().strip() == "Body"
