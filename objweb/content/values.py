"""The kinds of value objweb stores and takes from forms, and their one set of converters.

A kind names how a value is checked and converted: one line of text, text,
a whole number, a number, true or false, a date, lines, tokens (words apart
by spaces), a selection (one line) or a multiple selection (lines) among
options held elsewhere, bytes sent as base64. Content types' fields (`objweb.content.schema`), custom properties
(`objweb.content.properties`) and the parameters a Script is called with
by URL (Zope's `name:int` converters, `objweb.views.code`) or from the
Test tab (`bind_parameters`) all convert through here, so "an int" or
"lines" means the same in every door.

Each kind has one canonical name; Zope's names for the same kind are
aliases (`string` for `line`, `boolean` for `bool`, `long` for `int`), so
the property kinds stored in databases and the converters in form field
names keep working. A converter takes a Python value or text from a form
and raises `ValidationError` naming the value for one that does not fit.
"""

import base64
import binascii
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from objweb.errors import ValidationError
from objweb.sandbox.scripts import REQUIRED


@dataclass(frozen=True)
class Kind:
    """One kind of value: its name, its converter, its empty value and how a form edits it.

    `widget` names the input the management screens show for it.
    """

    name: str
    convert: Callable[[object], object]
    empty: object
    widget: str


def _to_text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _to_line(value) -> str:
    value = _to_text(value)
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


def _to_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError("expected a whole number")
    try:
        return int(value.strip() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


def _to_float(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError("expected a number")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def _to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "on", "1", "yes"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "off", "0", "no", ""):
        return False
    raise ValueError(f"{value!r} is not true or false")


def _to_date(value) -> date | None:
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError("expected a date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _to_datetime(value) -> datetime | None:
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise TypeError("expected a date and time")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM)") from None


def moment_from_text(text: str) -> date | datetime | None:
    """Return ISO 8601 text as a `datetime` when it carries a time, else a `date`.

    Blank text is None; text that is neither raises `ValueError`.
    """
    text = text.strip()
    return _to_datetime(text) if "T" in text or " " in text else _to_date(text)


def _to_lines(value) -> tuple:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)) or not all(isinstance(line, str) for line in value):
        raise TypeError("expected lines of text")
    return tuple(line.strip() for line in value if line.strip())


def _to_tokens(value) -> tuple:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise TypeError("expected words apart by spaces")
    return tuple(token for item in value for token in item.split())


def _to_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise TypeError("expected base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("not valid base64") from None


_KINDS = (
    Kind("line", _to_line, "", "line"),
    Kind("text", _to_text, "", "text"),
    Kind("html", _to_text, "", "text"),
    Kind("int", _to_int, 0, "int"),
    Kind("float", _to_float, 0.0, "float"),
    Kind("bool", _to_bool, False, "bool"),
    Kind("date", _to_date, None, "date"),
    Kind("datetime", _to_datetime, None, "line"),
    Kind("lines", _to_lines, (), "lines"),
    Kind("tokens", _to_tokens, (), "line"),
    # One of, or some of, the options another value holds (Zope's select_variable):
    # the kind converts; the holder of the value checks the choice.
    Kind("selection", _to_line, "", "select"),
    Kind("multiple_selection", _to_lines, (), "checkboxes"),
    Kind("base64", _to_bytes, b"", "file"),
)
ALIASES = {"string": "line", "boolean": "bool", "long": "int",
           "multiple selection": "multiple_selection"}
KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS} | {
    alias: next(kind for kind in _KINDS if kind.name == name) for alias, name in ALIASES.items()}


def kind_named(name: str, *, allowed=None) -> Kind:
    """Return the kind `name` (a canonical name or an alias), if `allowed` lists it.

    Raises `ValidationError` for an unknown kind, listing the allowed ones.
    """
    choices = tuple(KINDS) if allowed is None else tuple(allowed)
    if name not in KINDS or name not in choices:
        raise ValidationError(f"unknown kind {name!r}; use one of {', '.join(choices)}", "kind")
    return KINDS[name]


def convert(kind: str, value, name: str = "value", *, allowed=None):
    """Return `value` converted to the kind `kind`.

    Raises `ValidationError` naming `name` for an unknown kind (or one
    `allowed` does not list) or a value that does not fit.
    """
    try:
        converter = kind_named(kind, allowed=allowed).convert
    except ValidationError as error:
        raise ValidationError(f"{name}: {error}", name) from None
    try:
        return converter(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(f"{name}: {error}", name) from None


def plain_value(value):
    """Return a field's value as JSON writes it: lines as a list, dates in ISO 8601."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# -- Zope's form field converters (`name:int`, `tags:lines`, ...) -------------------------

def _form_text(value) -> str:
    # Browsers send text areas with CR LF line ends.
    return str(value).replace("\r\n", "\n")


def _form_required(value):
    if isinstance(value, str) and not value.strip():
        raise ValueError("a value is required")
    return value


FORM_CONVERTERS: dict[str, Callable[[object], object]] = {
    "int": _to_int, "long": _to_int, "float": _to_float, "boolean": _to_bool,
    "string": str, "text": _form_text, "lines": lambda value: list(_to_lines(str(value))),
    "tokens": lambda value: list(_to_tokens(str(value))), "required": _form_required,
}
# Flags in a field name that gather values rather than convert them.
SEQUENCE_FLAGS = ("list", "tuple")


def convert_form_value(name: str, flags: list[str], value):
    """Return a form value with the converters its field name's `flags` ask for applied.

    Raises `ValidationError` naming `name` for an unknown converter or a
    value a converter refuses.
    """
    for flag in flags:
        converter = FORM_CONVERTERS.get(flag)
        if converter is None:
            if flag in SEQUENCE_FLAGS:
                continue
            raise ValidationError(f"{name}: unknown converter {flag!r}", name)
        try:
            value = converter(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{name}: {error}", name) from None
    return value


def like_default(name: str, value, default):
    """Return a request value converted to the kind of a parameter's literal `default`.

    A list default gathers the value into a list; a bool, int or float
    default converts text to that kind. Raises `ValidationError` naming `name`.
    """
    if isinstance(default, (list, tuple)):
        return value if isinstance(value, list) else [value]
    if not isinstance(value, str):
        return value
    for python_type, kind in ((bool, "bool"), (int, "int"), (float, "float")):
        if isinstance(default, python_type):
            return convert(kind, value, name)
    return value


def bind_parameters(parameters, values: dict) -> tuple[tuple, dict]:
    """Return (args, kwargs) calling a Script's `parameters` with request `values`.

    Raises `ValidationError` for a parameter without a default and no value.
    """
    args, kwargs = [], {}
    for parameter in parameters:
        if parameter.name in values:
            value = like_default(parameter.name, values[parameter.name], parameter.default)
        elif parameter.default is REQUIRED:
            raise ValidationError(f"the parameter {parameter.name!r} is missing",
                                  parameter.name)
        else:
            continue
        if parameter.positional_only:
            args.append(value)
        else:
            kwargs[parameter.name] = value
    return tuple(args), kwargs
