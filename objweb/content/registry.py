"""The content types objweb knows by name, and making objects from field values.

The JSON API's `@type` and the management screens' add menu both read this
registry, so a type added here is addable everywhere at once.
"""

from objweb.content.schema import convert_values
from objweb.errors import ValidationError

_types: dict[str, type] = {}


def register_type(cls: type) -> type:
    """Make `cls` known under its `type_name`; usable as a class decorator."""
    _types[cls.type_name] = cls
    return cls


def unregister_type(cls: type) -> None:
    """Forget `cls` if it is the type known under its name (its package is gone)."""
    if _types.get(cls.type_name) is cls:
        del _types[cls.type_name]


def type_named(type_name: object) -> type:
    """Return the type called `type_name`.

    Raises `ValidationError` for an unknown type.
    """
    if not isinstance(type_name, str) or type_name not in _types:
        raise ValidationError(f"unknown type: {type_name!r}", "@type")
    return _types[type_name]


def registered_types() -> list[type]:
    """Return every known type."""
    return list(_types.values())


def type_names() -> list[str]:
    """Return the names of all known types, sorted."""
    return sorted(_types)


def addable_types(container) -> list[type]:
    """Return the types that may be added to `container`, by name.

    A type may refuse a place through a `can_be_added_to(container)` class method.
    """
    found = []
    for name in type_names():
        cls = _types[name]
        check = getattr(cls, "can_be_added_to", None)
        if check is None or check(container):
            found.append(cls)
    return found


def construct(type_name: object, values: dict):
    """Return a new object of the named type built from field `values`.

    Raises `ValidationError` for an unknown type, an unknown or read-only
    field, or a bad value. Nothing is stored: the caller adds the object.
    """
    cls = type_named(type_name)
    return cls(**convert_values(cls, values))
