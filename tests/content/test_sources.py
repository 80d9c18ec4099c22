"""Pages, Templates and Scripts as text files: the source form, saving, the type of a new name."""

import pytest

from objweb import File, Image, Page, Script, Template
from objweb.content.sources import (
    has_source, new_from_source, save_source, source_media_type, source_of, source_values,
    type_for_new)
from objweb.errors import SourceError, ValidationError


def test_a_script_reads_with_its_parameters_header():
    script = Script(params="name='world'", body="return name\n")
    assert source_of(script) == b"## parameters=name='world'\nreturn name\n"
    assert source_media_type(script) == "text/x-python"


def test_a_script_saved_without_the_header_has_no_parameters():
    script = Script(params="a", body="return a")
    save_source(script, source_values(Script, b"return 1\n"))
    assert (script.params, script.body) == ("", "return 1\n")


def test_a_saved_header_sets_the_parameters():
    values = source_values(Script, b"## parameters=a, b=2\r\nreturn a + b\n")
    assert values == {"params": "a, b=2", "body": "return a + b\n"}


@pytest.mark.parametrize("text,line,column", [
    (b"## parameters=\nreturn (\n", 2, 8),
    (b"## parameters=a, b=(\nreturn 1\n", 1, 22),
])
def test_a_compile_error_names_the_line_of_the_text_and_changes_nothing(text, line, column):
    script = Script(params="x", body="return x")
    with pytest.raises(SourceError) as caught:
        save_source(script, source_values(Script, text))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert (script.params, script.body) == ("x", "return x")


def test_a_template_that_does_not_compile_keeps_its_source():
    template = Template(source="<p>old</p>")
    with pytest.raises(SourceError):
        save_source(template, source_values(Template, b'<p tal:content="python: (">x</p>'))
    assert template.source == "<p>old</p>"


def test_a_source_is_utf8():
    with pytest.raises(ValidationError, match="UTF-8"):
        source_values(Page, b"\xff\xfe")


def test_pages_and_templates_are_their_text():
    page = new_from_source(Page, "p", source_values(Page, "<p>é</p>".encode()))
    assert (page.title, source_of(page)) == ("p", "<p>é</p>".encode())
    assert has_source(Template) and not has_source(File)


@pytest.mark.parametrize("name,media_type,expected", [
    ("view.pt", None, Template), ("view", "text/x-zope-pagetemplate", Template),
    ("view.zpt", "text/html", Template), ("greet.py", None, Script),
    ("greet", "text/x-python", Script), ("page.html", None, Page),
    ("page", "text/html; charset=utf-8", Page), ("logo.png", None, Image),
    ("logo", "image/png", Image), ("logo.png", "application/octet-stream", File),
    ("notes.txt", "text/plain", File), ("blob", None, File),
])
def test_the_type_of_a_new_name(name, media_type, expected):
    assert type_for_new(name, media_type) is expected
