"""Calling a Script with the values of a form: each converted to its parameter's kind.

A form sends text. A parameter whose literal default is a number, a
boolean or a list turns the text into that kind; a parameter without a
default must be given. The Script's URL and the Test tab call Scripts so.
"""

from objweb.errors import ValidationError
from objweb.security.sandbox.scripts import REQUIRED


def to_int(value) -> int:
    """Return `value` as a whole number. Raises `ValueError` naming it if it is not one."""
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"expected a whole number, not {value!r}") from None


def to_float(value) -> float:
    """Return `value` as a number. Raises `ValueError` naming it if it is not one."""
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"expected a number, not {value!r}") from None


def to_boolean(value) -> bool:
    """Return `value` (yes/no, on/off, true/false, 1/0, empty) as a boolean.

    Raises `ValueError` for anything else.
    """
    lowered = str(value).strip().lower()
    if lowered in ("", "0", "false", "off", "no"):
        return False
    if lowered in ("1", "true", "on", "yes"):
        return True
    raise ValueError("not true or false")


def by_default(name: str, value, default):
    """Return a request value converted to the kind of the parameter's literal default.

    Raises `ValidationError` naming the parameter for a value that does not convert.
    """
    if isinstance(default, (list, tuple)):
        return value if isinstance(value, list) else [value]
    if not isinstance(value, str):
        return value
    if isinstance(default, bool):
        converter = to_boolean
    elif isinstance(default, int):
        converter = to_int
    elif isinstance(default, float):
        converter = to_float
    else:
        return value
    try:
        return converter(value)
    except ValueError as error:
        raise ValidationError(f"{name}: {error}", name) from None


def bind_parameters(parameters, values: dict) -> tuple[tuple, dict]:
    """Return (args, kwargs) calling a Script's `parameters` with request `values`.

    Raises `ValidationError` for a parameter without a default and no value.
    """
    args, kwargs = [], {}
    for parameter in parameters:
        if parameter.name in values:
            value = by_default(parameter.name, values[parameter.name], parameter.default)
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
