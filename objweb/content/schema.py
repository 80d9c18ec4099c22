"""The fields a content type exposes to the JSON API and to edit forms.

Each type lists its fields once; the JSON API, the add and edit forms and the
validation all read that list, so a field cannot be writable in one door and
read-only in another. Values are checked here, by kind, before any object is
touched.
"""

import base64
import binascii
from dataclasses import dataclass

from objweb.errors import ValidationError
from objweb.security import protections

MAX_TITLE_LENGTH = 1000


@dataclass(frozen=True)
class Field:
    """One field of a content type.

    `kind` says how values are checked and converted: `line` (one line of
    text), `text`, `html`, `int`, `bool`, `base64` (bytes sent as base64 text)
    or `lines` (a list of strings). `read_action` and `write_action` name the
    type's protected actions that guard reading and changing it.
    """

    name: str
    kind: str = "line"
    label: str = ""
    required: bool = False
    max_length: int | None = None
    read_action: str = protections.VIEW
    write_action: str = protections.CHANGE
    writable: bool = True

    def convert(self, value):
        """Return `value` checked and converted for this field.

        Raises `ValidationError` naming the field.
        """
        converter = _CONVERTERS.get(self.kind)
        if converter is None:
            raise ValidationError(f"{self.name}: unsupported field kind {self.kind!r}", self.name)
        try:
            value = converter(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{self.name}: {error}", self.name) from None
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                f"{self.name}: at most {self.max_length} characters", self.name)
        if self.required and value in ("", None, b""):
            raise ValidationError(f"{self.name}: a value is required", self.name)
        return value


def _to_line(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


def _to_text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _to_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError("expected an integer")
    return int(value)


def _to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "on", "1", "yes"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "off", "0", "no", ""):
        return False
    raise TypeError("expected true or false")


def _to_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise TypeError("expected base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("not valid base64") from None


def _to_lines(value) -> tuple:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return tuple(line for line in (v.strip() for v in value) if line)


_CONVERTERS = {
    "line": _to_line,
    "text": _to_text,
    "html": _to_text,
    "int": _to_int,
    "bool": _to_bool,
    "base64": _to_bytes,
    "lines": _to_lines,
}

TITLE = Field("title", "line", "Title", max_length=MAX_TITLE_LENGTH)


def fields_of(obj_or_type) -> tuple[Field, ...]:
    """Return the fields a type (or an object's type) declares."""
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    return cls.__fields__


def field_named(obj_or_type, name: str) -> Field:
    """Return the field `name` of a type.

    Raises `ValidationError` for a field the type does not have.
    """
    for field in fields_of(obj_or_type):
        if field.name == name:
            return field
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    raise ValidationError(f"{cls.type_name} has no field {name!r}", name)


def convert_values(obj_or_type, values: dict) -> dict:
    """Return `values` checked against the type's writable fields.

    Raises `ValidationError` for an unknown or read-only field, or a bad value.
    """
    converted = {}
    for name, value in values.items():
        field = field_named(obj_or_type, name)
        if not field.writable:
            raise ValidationError(f"{name} cannot be changed", name)
        converted[name] = field.convert(value)
    return converted
