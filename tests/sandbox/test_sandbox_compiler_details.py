"""The compiler's refusals word for word, as a manager saving the code reads them.

Each case saves a Script or a Template the way a manager does and pins the
whole message: its sentence, the line and column it names, and the field.
"""

import pytest

from objweb.content import Script, Template
from objweb.errors import SourceError
from objweb.sandbox import Limits
from objweb.sandbox.scripts import compile_script

BITS = Limits().max_int_bits
# Written in hexadecimal: Python refuses to read a decimal literal of that size.
LITERAL_AT_LIMIT, LITERAL_PAST_LIMIT = hex(2 ** (BITS - 1)), hex(2 ** BITS)


@pytest.mark.parametrize("params, body, field, message", [
    # Python's own sentence, where Python put it.
    ("", "x = 1\n)", "body", "unmatched ')' (line 2, column 1)"),
    ("", "x = (\n1", "body", "'(' was never closed (line 1, column 5)"),
    ("", "x = 1\nbreak", "body", "'break' outside loop (line 2, column 1)"),
    # Python names no position for a NUL: the start of the body.
    ("", "x = 1\x00", "body", "source code string cannot contain null bytes (line 1, column 1)"),
    # Not a SyntaxError at all: text Python cannot encode has no line or offset.
    ("", "x = '\ud800'", "body", "'utf-8' codec can't encode character '\\ud800' in position 5: "
                                "surrogates not allowed (line 1, column 1)"),
    # The parameter list: columns inside the list, not inside `def f(`.
    ("a b", "", "params", "the parameters do not parse: invalid syntax (line 1, column 3)"),
    ("(", "", "params", "the parameters do not parse: invalid syntax (line 1, column 1)"),
    ("_x", "", "params",
     '"_x" is an invalid variable name because it starts with "_" (line 1, column 1)'),
    # An integer literal of one bit more than the limit a run starts with.
    ("", f"x = 1\nreturn {LITERAL_PAST_LIMIT}", "body",
     f"an integer literal has at most {BITS} bits (line 2, column 8)"),
    ("", "x = 1\nclass A:\n    pass", "body", "class statements are not allowed (line 2, column 1)"),
    ("", "x = 1\nreturn 1 < (y := 2) < 3", "body",
     "a chained comparison cannot hold :=, yield or await after its first operand "
     "(line 2, column 13)"),
])
def test_a_script_that_does_not_compile_says_why_and_where(params, body, field, message):
    with pytest.raises(SourceError) as caught:
        Script(params=params, body=body)
    assert (str(caught.value), caught.value.field) == (message, field)


def test_an_integer_literal_at_the_limit_compiles(run_script):
    assert run_script(f"return {LITERAL_AT_LIMIT}").bit_length() == BITS


def test_parameters_on_more_than_one_line_are_refused_where_the_field_was_not_checked():
    # The form refuses them first; compiling refuses them for any other way in.
    with pytest.raises(SourceError) as caught:
        compile_script("a,\nb", "return a")
    assert (str(caught.value), caught.value.field) == (
        "the parameters must be one line (line 1, column 1)", "params")


# The position is the expression's, just after its `python:`, on either line.
@pytest.mark.parametrize("source, message", [
    ('<p tal:content="python: (m := 1)"/>',
     "':=' is not available in a template expression; use tal:define (line 1, column 24)"),
    ("<p>\n  ${python: (m := 1)}</p>",
     "':=' is not available in a template expression; use tal:define (line 2, column 12)"),
])
def test_a_template_expression_that_does_not_compile_says_why_and_where(source, message):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert (str(caught.value), caught.value.field) == (message, "source")


LONG = "x" * 64


# A constant that is a short scalar needs no guard: Python's own refusal. Past
# 64 characters a text is no longer short, and the operator's guard refuses.
@pytest.mark.parametrize("body, message", [
    ("return 1 - context", "unsupported operand type(s) for -: 'int' and 'Folder'"),
    ("return context - 1", "unsupported operand type(s) for -: 'Folder' and 'int'"),
    ("return context - -1", "unsupported operand type(s) for -: 'Folder' and 'int'"),
    (f"return context - '{LONG}'", "unsupported operand type(s) for -: 'Folder' and 'str'"),
    (f"return context - '{LONG}x'", "code cannot use a Folder as an operand"),
    ("return context - [1]", "code cannot use a Folder as an operand"),
])
def test_operands_that_are_short_constants_go_unguarded(root, refused, body, message):
    assert str(refused(body, context=root)) == message


@pytest.mark.parametrize("source, message", [
    ('<p tal:content="python: 1 +"/>', "invalid syntax (line 1, column 24)"),
])
def test_a_python_expression_that_does_not_parse_says_where_in_the_template(source, message):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert str(caught.value) == message
