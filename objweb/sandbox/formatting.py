"""Turning values into text in restricted code: `str`, `repr`, `%`, f-strings, `format`.

Each conversion measures its value before converting it, its length and the
work of writing it: a list holding one long string a million times would
print as terabytes, a list of floats costs far more to write than its length
says, and Python would build that text in C, out of reach of the time
budget. Widths and precisions in
format specs are bounded for the same reason (`'{:>9999999999}'`). Attribute
and item lookups inside `str.format` fields go through the guards (see
`objweb.sandbox.guards`).
"""

import re

from objweb.sandbox.run import current_run
from objweb.sandbox.work import check_text

_PLAIN_VALUES = (str, bytes, list, tuple, dict, range)
# The widest field, or the longest precision, a format spec may ask for.
MAX_FORMAT_WIDTH = 10_000
_NUMBER = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.DOTALL)


def check_spec(spec: str) -> str:
    """Return `spec` if its widths and precisions are within bounds.

    Raises `ValueError` for a width or precision over `MAX_FORMAT_WIDTH`.
    """
    if not isinstance(spec, str):
        raise TypeError("a format spec is text")
    if len(spec) > MAX_FORMAT_WIDTH:
        raise ValueError(f"a format spec is at most {MAX_FORMAT_WIDTH} characters")
    for number in _NUMBER.findall(spec):
        if len(number) > 5 or int(number) > MAX_FORMAT_WIDTH:
            raise ValueError(f"format widths and precisions are at most {MAX_FORMAT_WIDTH}")
    return spec


def measured(value, what: str = "a text") -> int:
    """Return about how long the text of `value` is, stopping the run if it is too long.

    Writing it must also be bearable work (see `objweb.sandbox.work`).
    """
    return check_text(current_run().budget, value, what)


def _charged(text):
    budget = current_run().budget
    budget.check_text(len(text))
    budget.charge(len(text))
    return text


def guarded_str(value="", *args) -> str:
    """Return `str(value)` (or `str(data, encoding)`) once its size is known to be bearable."""
    if args:
        return _charged(str(value, *args))
    measured(value)
    return _charged(str(value))


def guarded_repr(value) -> str:
    """Return `repr(value)` once its size is known to be bearable."""
    measured(value)
    return _charged(repr(value))


def guarded_ascii(value) -> str:
    """Return `ascii(value)` once its size is known to be bearable."""
    measured(value)
    return _charged(ascii(value))


_CONVERSIONS = {-1: None, ord("s"): guarded_str, ord("r"): guarded_repr, ord("a"): guarded_ascii}


def format_value(value, conversion: int, spec: str) -> str:
    """Return one f-string field: `value` converted, then formatted by `spec` (`_format_value_`)."""
    current_run().budget.tick()
    convert = _CONVERSIONS[conversion]
    if convert is not None:
        value = convert(value)
    return guarded_format(value, spec)


def guarded_format(value, spec: str = "") -> str:
    """Return `format(value, spec)` with bounded widths and a measured value."""
    check_spec(spec)
    if not isinstance(value, str):
        measured(value)
    return _charged(format(value, spec))


def percent_format(template, values):
    """Return `template % values` for a text or bytes template, within bounds.

    A `*` width is refused; explicit widths and precisions are bounded by
    `MAX_FORMAT_WIDTH`. Raises `ValueError` for either.
    """
    if hasattr(type(values), "__getitem__") and not isinstance(values, _PLAIN_VALUES):
        # `%(name)s` would read items of any other mapping without the guards.
        raise TypeError("the values of a % format are a tuple, a dict or one plain value")
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    padding = 0
    for width, precision, _ in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number == "*":
                raise ValueError("'*' widths are not supported in code; write the number")
            if number and (len(number) > 5 or int(number) > MAX_FORMAT_WIDTH):
                raise ValueError(
                    f"format widths and precisions are at most {MAX_FORMAT_WIDTH}")
            padding += int(number or 0)
    size = len(template) + measured(values) + padding
    current_run().budget.check_text(size)
    return _charged(template % values)
