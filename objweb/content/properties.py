"""Typed custom properties: the extra named values a site manager gives an object.

As Zope's property sheets do, an object may carry properties of a few
kinds: `string` (one line), `text`, `int`, `float`, `boolean`, `date`,
`lines` (a list of strings), `tokens` (words apart by spaces), and
`selection` and `multiple selection`, whose options are the value of
another property of the object (a `lines` or `tokens` one, Zope's
select_variable): a selection holds one of them (or nothing), a multiple
selection some of them. They live in a small persistent record, made the
first time one is added, so objects without properties cost nothing.
Every change is checked in full before anything is stored, and touches
the object (which announces `ObjectModified`).
"""

import re
from dataclasses import dataclass

from persistent import Persistent

from objweb.content.schema import fields_of
from objweb.content.values import convert as convert_value
from objweb.content.values import kind_named
from objweb.errors import ValidationError

# Zope's names for the kinds a property may have (see `objweb.content.values`).
KINDS = ("string", "text", "int", "float", "boolean", "date", "lines", "tokens", "selection",
         "multiple selection")
SELECTIONS = ("selection", "multiple selection")
# The kinds whose value may give a selection its options.
OPTION_KINDS = ("lines", "tokens")
SHEET_ATTRIBUTE = "_properties"
MAX_PROPERTIES = 200
MAX_TEXT_LENGTH = 1 << 20
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


@dataclass(frozen=True)
class Property:
    """One property: its name, its kind and its value."""

    name: str
    kind: str
    value: object
    # For a selection: the property whose value lists its options.
    options_from: str = ""


class PropertySheet(Persistent):
    """The properties of one object, in the order they were added."""

    # Which property gives each selection its options; sheets stored before
    # selections existed have none of their own.
    sources: dict = {}

    def __init__(self):
        self.names: tuple = ()
        self.kinds: dict = {}
        self.values: dict = {}

    def store(self, name: str, kind: str, value, *, options_from: str = "") -> None:
        """Set property `name` (adding it at the end if new); values are already checked."""
        if name not in self.kinds:
            self.names = self.names + (name,)
        self.kinds = {**self.kinds, name: kind}
        self.values = {**self.values, name: value}
        if options_from:
            self.sources = {**self.sources, name: options_from}

    def drop(self, name: str) -> None:
        """Remove property `name`."""
        self.names = tuple(existing for existing in self.names if existing != name)
        self.kinds = {key: kind for key, kind in self.kinds.items() if key != name}
        self.values = {key: value for key, value in self.values.items() if key != name}
        if name in self.sources:
            self.sources = {key: source for key, source in self.sources.items() if key != name}


def _sheet(obj) -> PropertySheet | None:
    return getattr(obj, SHEET_ATTRIBUTE, None)


def properties_of(obj) -> list[Property]:
    """Return the properties of `obj`, in order."""
    sheet = _sheet(obj)
    if sheet is None:
        return []
    return [Property(name, sheet.kinds[name], sheet.values[name], sheet.sources.get(name, ""))
            for name in sheet.names]


def get_property(obj, name: str, default=None):
    """Return the value of property `name` of `obj`, or `default`."""
    sheet = _sheet(obj)
    if sheet is None or name not in sheet.kinds:
        return default
    return sheet.values[name]


def options_of(obj, name: str) -> tuple:
    """Return the options of selection property `name` of `obj`: its source's value now."""
    sheet = _sheet(obj)
    source = sheet.sources.get(name, "") if sheet is not None else ""
    options = sheet.values.get(source, ()) if source else ()
    return tuple(options) if isinstance(options, (list, tuple)) else ()


def _check_choice(kind: str, value, options: tuple, name: str) -> None:
    """Raise `ValidationError` unless the selection `value` is among `options`."""
    chosen = value if kind == "multiple selection" else ((value,) if value else ())
    for choice in chosen:
        if choice not in options:
            raise ValidationError(f"{name}: {choice!r} is not one of the options", name)


def _check_source(obj, options_from) -> tuple:
    """Return the options the property `options_from` of `obj` gives a new selection.

    Raises `ValidationError` unless it is a lines or tokens property of `obj`.
    """
    sheet = _sheet(obj)
    if not isinstance(options_from, str) or sheet is None \
            or sheet.kinds.get(options_from) not in OPTION_KINDS:
        raise ValidationError("a selection takes its options from a lines or tokens "
                              "property of this object: name one", "options_from")
    return tuple(sheet.values[options_from])


def convert(kind: str, value, name: str = "value"):
    """Return `value` (a Python value, or text from a form) as a value of `kind`.

    Raises `ValidationError` naming `name` for a value that does not fit.
    """
    value = convert_value(kind, value, name, allowed=KINDS)
    if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
        raise ValidationError(f"{name}: at most {MAX_TEXT_LENGTH} characters", name)
    return value


def add_property(obj, name: str, kind: str, value=None, *, options_from: str = "") -> Property:
    """Give `obj` a new property and return it.

    An empty value is the kind's empty value. A selection names in
    `options_from` the lines or tokens property whose value lists its
    options. Raises `ValidationError` for a bad or taken name, an unknown
    kind, a value that does not fit, or a selection without options.
    """
    check_property_name(obj, name)
    empty = kind_named(kind, allowed=KINDS).empty
    value = empty if value in (None, "", [], ()) else convert(kind, value, "value")
    if kind in SELECTIONS:
        _check_choice(kind, value, _check_source(obj, options_from), "value")
    else:
        options_from = ""
    sheet = _sheet(obj)
    if sheet is not None and len(sheet.names) >= MAX_PROPERTIES:
        raise ValidationError(f"an object has at most {MAX_PROPERTIES} properties", "name")
    if sheet is None:
        sheet = PropertySheet()
        setattr(obj, SHEET_ATTRIBUTE, sheet)
    sheet.store(name, kind, value, options_from=options_from)
    obj.touch()
    return Property(name, kind, value, options_from)


def check_property_name(obj, name: object) -> str:
    """Return `name` if `obj` may get a new property under it.

    Raises `ValidationError` otherwise.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationError("a property name starts with a letter and has only letters, "
                              "digits and _ (at most 100)", "name")
    if any(field.name == name for field in fields_of(obj)):
        raise ValidationError(f"{name!r} is a field of every {obj.type_name}", "name")
    if get_property(obj, name, _MISSING) is not _MISSING:
        raise ValidationError(f"there is a property {name!r} already", "name")
    return name


def set_properties(obj, values: dict) -> None:
    """Change the named properties' values: all or none.

    Raises `ValidationError` for an unknown property or a value that does
    not fit its kind; then nothing changed.
    """
    sheet = _sheet(obj)
    known = sheet.kinds if sheet is not None else {}
    checked = {}
    for name, value in values.items():
        if name not in known:
            raise ValidationError(f"there is no property {name!r}", name)
        checked[name] = convert(known[name], value, name)
    for name, value in checked.items():
        if known[name] in SELECTIONS:
            # Against the options as this same change leaves them.
            source = sheet.sources.get(name, "")
            options = checked.get(source, sheet.values.get(source, ()))
            _check_choice(known[name], value, tuple(options), name)
    for name, value in checked.items():
        sheet.store(name, known[name], value)
    if checked:
        obj.touch()


def remove_properties(obj, names) -> None:
    """Remove the named properties. Raises `ValidationError` for an unknown one."""
    sheet = _sheet(obj)
    for name in names:
        if sheet is None or name not in sheet.kinds:
            raise ValidationError(f"there is no property {name!r}", "names")
    for selection, source in sheet.sources.items() if sheet is not None else ():
        if source in names and selection not in names:
            raise ValidationError(f"{source!r} gives the options of {selection!r}: "
                                  f"remove {selection!r} too, or first", "names")
    for name in names:
        sheet.drop(name)
    if names:
        obj.touch()


def check_properties(obj) -> None:
    """Check the properties `obj` carries as if each had been added here.

    For state that did not come through these functions (an import file).
    Raises `ValidationError` for a record that is not a property sheet, a
    bad name, an unknown kind or a value that does not fit its kind.
    """
    sheet = _sheet(obj)
    if sheet is None:
        return
    names = getattr(sheet, "names", None)
    if not isinstance(sheet, PropertySheet) or not isinstance(names, tuple) \
            or not isinstance(sheet.kinds, dict) or not isinstance(sheet.values, dict) \
            or len(set(names)) != len(names) or len(names) > MAX_PROPERTIES \
            or not set(names) == set(sheet.kinds) == set(sheet.values):
        raise ValidationError("the properties are not a property sheet", "properties")
    for name in names:
        if not isinstance(name, str) or not _NAME.fullmatch(name) \
                or sheet.kinds[name] not in KINDS:
            raise ValidationError(f"the property {name!r} has a bad name or kind", "properties")
        value = convert(sheet.kinds[name], sheet.values[name], name)
        if value != sheet.values[name]:
            sheet.store(name, sheet.kinds[name], value)
    _check_sources(sheet)


def _check_sources(sheet: PropertySheet) -> None:
    sources = sheet.sources
    if not isinstance(sources, dict):
        raise ValidationError("the properties are not a property sheet", "properties")
    selections = {name for name in sheet.names if sheet.kinds[name] in SELECTIONS}
    if set(sources) != selections or any(
            not isinstance(source, str) or sheet.kinds.get(source) not in OPTION_KINDS
            for source in sources.values()):
        raise ValidationError("a selection property takes its options from no lines or "
                              "tokens property", "properties")


# What `get_property` answers for a property that is not there.
_MISSING = object()
