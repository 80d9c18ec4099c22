"""Template expressions in detail: paths of one variable, dynamic names, lambdas, refusals.

Each case renders a Template and pins what it writes, or the refusal word for
word (the error the run's boundary wrapped, or the limit it stopped at).
"""

import re

import pytest

from objweb.content import Template
from objweb.errors import SourceError
from objweb.sandbox import CodeError, CodeLimitError, Limits


def outcome(render, source, **options):
    """Return what `source` renders to, or the refusal as (kind, message) without the path."""
    try:
        return render(source, **options)
    except CodeLimitError as error:
        return "limit", re.sub(r"/code/c\d+", "/code/x", str(error))
    except CodeError as error:
        return type(error.__cause__).__name__, str(error.__cause__)


TWENTY_WORDS = "<p tal:define=\"x python: ['y' * 100] * 20\" tal:content=\"x\"/>"


@pytest.mark.parametrize("source, options, expected", [
    # A variable written alone is measured before its text is built.
    (TWENTY_WORDS, {"limits": Limits(output_limit=1000)},
     ("limit", "The Template at /code/x tried to build a text of 2102 characters (at most 1000) "
               "and was stopped; its changes were not kept.")),
    (TWENTY_WORDS, {}, "<p>" + str(["y" * 100] * 20) + "</p>"),
    ('<p tal:attributes="context">x</p>', {},
     ("TypeError", "tal:attributes without a name takes a dict")),
    # A name of digits is an index of a list or text, a key of anything else.
    ('<p tal:content="options/d/1"/>', {"options": {"d": {"1": "one"}}}, "<p>one</p>"),
    ('<p tal:content="options/d/1"/>', {"options": {"d": ["zero", "one"]}}, "<p>one</p>"),
    # A name given by a variable is refused as a written one would be.
    ('<p tal:define="n string:_s" tal:content="options/d/?n"/>',
     {"options": {"d": {"_s": "hidden"}}}, ("NotPublishedError", "'_s' is not accessible to code")),
    ('<p tal:define="n python: 1" tal:content="options/d/?n"/>',
     {"options": {"d": {1: "one"}}}, ("NotPublishedError", "1 is not accessible to code")),
    # Lambdas: defaults resolve among the template's variables, keyword-only ones included.
    ('<p tal:define="x python: 3" tal:content="python: (lambda n=x: n * 2)()"/>', {}, "<p>6</p>"),
    ('<p tal:content="python: (lambda *, k: k)(k=5)"/>', {}, "<p>5</p>"),
    ('<p tal:define="x python: 4" tal:content="python: (lambda *, k=x: k)()"/>', {}, "<p>4</p>"),
])
def test_template_expressions_in_detail(render, source, options, expected):
    assert outcome(render, source, **options) == expected


@pytest.mark.parametrize("source, expected", [
    ('<p tal:content="python: nope"/>', ("NameError", "name 'nope' is not defined")),
    ('<p tal:repeat="n python: [1]" tal:content="python: repeat.m"/>',
     ("NotPublishedError", "code may not use 'm' here")),
    ('<div tal:define="x python: 1"><p tal:define="y python: 2" tal:content="python: x + y"/>'
     '</div>', "<div><p>3</p></div>"),
    ('<div tal:define="global g python: 5"/><p tal:content="python: g"/>', "<div/><p>5</p>"),
    ('<p tal:content="python: 1 +\n    2"/>', "<p>3</p>"),
])
def test_python_expressions_resolve_names_in_detail(render, source, expected):
    assert outcome(render, source) == expected


@pytest.mark.parametrize("source, message", [
    ("${1 +}", "not a valid path: '1 +' (line 1, column 3)"),
    ('<p tal:content="options/?_n"/>', "not a valid path: 'options/?_n' (line 1, column 17)"),
    ('<p tal:content="options/_x"/>', "not a valid path: 'options/_x' (line 1, column 17)"),
    ('<p tal:content="python: 1 +"/>', "invalid syntax (line 1, column 24)"),
])
def test_template_expressions_that_do_not_compile_say_why_when_saved(source, message):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert str(caught.value) == message
