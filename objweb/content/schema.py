"""The fields a content type exposes to the JSON API and to edit forms.

Each type lists its fields once; the JSON API, the add and edit forms and the
validation all read that list, so a field cannot be writable in one door and
read-only in another. Values are checked here, by kind (`objweb.content.values`), before any
object is touched.
"""

from dataclasses import dataclass

from objweb.content.values import KINDS, convert, kind_named
from objweb.errors import ValidationError
from objweb.security import protections

MAX_TITLE_LENGTH = 1000
# A selection takes its options from another property of the object; a field
# has no such property to name, so the selection kinds are the properties' alone.
FIELD_KINDS = tuple(name for name, kind in KINDS.items()
                    if kind.name not in ("selection", "multiple_selection"))


@dataclass(frozen=True)
class Field:
    """One field of a content type.

    `kind` says how values are checked and converted, one of the kinds of
    `objweb.content.values`: `line` (one line of text), `text`, `html`,
    `int`, `float`, `bool`, `date`, `datetime`, `lines` (a list of strings),
    `tokens` (words) or `base64` (bytes sent as base64 text); the selection
    kinds are for properties, which name where their options come from. `default` is what an object
    that was never given a value reads, objects stored before the field was
    added included (None: the kind's empty value). `read_action` and
    `write_action` name the type's protected actions that guard reading and
    changing it. Raises `ValidationError` for an unknown kind or a default
    of the wrong kind.
    """

    name: str
    kind: str = "line"
    label: str = ""
    required: bool = False
    default: object = None
    max_length: int | None = None
    read_action: str = protections.VIEW
    write_action: str = protections.CHANGE
    writable: bool = True

    def __post_init__(self):
        try:
            empty = kind_named(self.kind, allowed=FIELD_KINDS).empty
        except ValidationError as error:
            raise ValidationError(f"{self.name}: {error}", self.name) from None
        if self.default is None:
            # A frozen dataclass is set up through object's own setter.
            object.__setattr__(self, "default", empty)
        else:
            object.__setattr__(self, "default", convert(self.kind, self.default, self.name))

    def convert(self, value):
        """Return `value` checked and converted for this field.

        Raises `ValidationError` naming the field.
        """
        value = convert(self.kind, value, self.name)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                f"{self.name}: at most {self.max_length} characters", self.name)
        if self.required and value in ("", None, b""):
            raise ValidationError(f"{self.name}: a value is required", self.name)
        return value


TITLE = Field("title", "line", "Title", max_length=MAX_TITLE_LENGTH)


def fields_of(obj_or_type) -> tuple[Field, ...]:
    """Return the fields a type (or an object's type) declares."""
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    return cls.fields


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
