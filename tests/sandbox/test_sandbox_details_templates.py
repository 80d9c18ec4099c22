"""Templates in detail, as a manager reads them: refusals, where a run failed, output counted."""

import re

import pytest

from objweb.content import Template
from objweb.errors import SourceError
from objweb.sandbox import CodeError, CodeLimitError, CompiledTemplate, Limits


@pytest.mark.parametrize("source, message", [
    ("<?python x = 1 ?><p>x</p>",
     "<?python ?> blocks are not allowed in templates (line 1, column 3)"),
    ("<p>\n  <?python x = 1 ?></p>",
     "<?python ?> blocks are not allowed in templates (line 2, column 5)"),
    # The names a template defines, however they are written down.
    ('<p tal:define="(_b, a) python: (1, 2)"/>', "a template cannot define '_b' (line 1, column 16)"),
    ('<p tal:define="(a,repeat) python: (1, 2)"/>',
     "a template cannot define 'repeat' (line 1, column 16)"),
    ('<p tal:define="x string:a;_y string:b"/>', "a template cannot define '_y' (line 1, column 16)"),
    ('<p tal:repeat="_n python: [1]"/>', "a template cannot define '_n' (line 1, column 16)"),
])
def test_a_template_refusal_says_why_and_where(source, message):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert (str(caught.value), caught.value.field) == (message, "source")


def failure_detail(render, source, **options):
    with pytest.raises(CodeError) as caught:
        render(source, **options)
    return re.sub(r"/code/c\d+", "/code/x", caught.value.detail)


def test_a_failure_names_its_line_and_column_with_the_source_around_it(render):
    source = '<div>\n<p tal:content="python: 1 // 0"/>\n</div>'
    assert failure_detail(render, source) == (
        "ZeroDivisionError: integer division or modulo by zero\n"
        "Template /code/x, line 2, column 17\n"
        "     1 | <div>\n"
        ">    2 | <p tal:content=\"python: 1 // 0\"/>\n"
        "     3 | </div>")


def test_a_failure_in_a_macro_compiled_alone_names_the_template_it_was_compiled_as(render):
    macros = CompiledTemplate('<b metal:define-macro="m" tal:content="python: 1 // 0">x</b>').macros
    detail = failure_detail(render, '<i metal:use-macro="options/macros/m"/>',
                            options={"macros": macros})
    assert re.sub(r"<template \d+>", "<template n>", detail) == (
        "ZeroDivisionError: integer division or modulo by zero\n"
        "Template <template n>, line 1, column 40")


def test_the_items_of_a_repeat_are_held_to_the_item_limit(render):
    with pytest.raises(CodeLimitError) as caught:
        render('<p tal:repeat="n python: (m for m in [1] * 10 for k in [1, 2])"/>',
               limits=Limits(max_items=10))
    assert re.sub(r"/code/c\d+", "/code/x", str(caught.value)) == (
        "The Template at /code/x tried to build the items of a repeat of 11 items (at most 10) "
        "and was stopped; its changes were not kept.")


ROWS = '<i tal:repeat="n python: range(20)" tal:content="n"/>'
ROWS_TEXT = "\n".join(f"<i>{n}</i>" for n in range(20))


@pytest.mark.parametrize("limit, expected", [
    (len(ROWS_TEXT), ROWS_TEXT),
    (len(ROWS_TEXT) - 1, f"The Template at /code/x produced more than {len(ROWS_TEXT) - 1} "
                         "characters of output and was stopped; its changes were not kept."),
])
def test_output_is_counted_once_whatever_the_rows(render, limit, expected):
    try:
        result = render(ROWS, limits=Limits(output_limit=limit))
    except CodeLimitError as error:
        result = re.sub(r"/code/c\d+", "/code/x", str(error))
    assert result == expected
