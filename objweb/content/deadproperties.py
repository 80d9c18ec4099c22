"""WebDAV dead properties: what clients store on an object with PROPPATCH, kept with it.

A dead property (RFC 4918) is named by a namespace and a local name, held
here in Clark notation (`{http://example.com/ns}colour`), and its value is
the property element as the client sent it, written out as XML text with
the namespace declarations it needs, so it goes back out exactly as it came.
The values live in an OOBTree of their own on the object (made on first use,
like a property sheet), apart from the typed properties of the Properties
screen: loading a Page does not load them, and a copy or an export carries
them along as part of the object.

Changes are checked whole before any is made (`check_changes`), so a
PROPPATCH is all or nothing.
"""

from collections.abc import Mapping

from BTrees.OOBTree import OOBTree

from objweb.errors import ValidationError

ATTRIBUTE = "_dav_properties"
MAX_PROPERTIES = 200
MAX_VALUE_LENGTH = 64 << 10
MAX_NAME_LENGTH = 1024
TOO_LARGE = "the value is over {limit} characters"
TOO_MANY = "an object keeps at most {limit} properties"

_EMPTY: Mapping = {}


def dead_properties(obj) -> Mapping[str, str]:
    """Return the object's dead properties, {Clark name: XML text} (read-only use)."""
    sheet = getattr(obj, ATTRIBUTE, None)
    return _EMPTY if sheet is None else sheet


def is_clark_name(name: object) -> bool:
    """Return whether `name` is a property name in Clark notation, `{namespace}local`."""
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or not name.startswith("{"):
        return False
    _namespace, close, local = name[1:].partition("}")
    return bool(close and local)


def check_changes(obj, changes: list[tuple[str, str | None]]) -> dict[str, str]:
    """Return {name: why not} for the changes that cannot be made; empty when all can.

    `changes` are (name, XML text) pairs to set and (name, None) to remove,
    in order. A value over `MAX_VALUE_LENGTH` cannot be set, nor a new
    property once the object would keep more than `MAX_PROPERTIES`.
    """
    current = dead_properties(obj)
    names = set(current.keys())
    problems = {}
    for name, value in changes:
        if value is None:
            names.discard(name)
        elif len(value) > MAX_VALUE_LENGTH:
            problems[name] = TOO_LARGE.format(limit=MAX_VALUE_LENGTH)
        else:
            names.add(name)
    if len(names) > MAX_PROPERTIES:
        for name, value in changes:
            if value is not None and name not in current:
                problems.setdefault(name, TOO_MANY.format(limit=MAX_PROPERTIES))
    return problems


def apply_changes(obj, changes: list[tuple[str, str | None]]) -> None:
    """Make `changes`, which `check_changes` accepted, and note that the object changed."""
    sheet = getattr(obj, ATTRIBUTE, None)
    for name, value in changes:
        if value is None:
            if sheet is not None:
                sheet.pop(name, None)
            continue
        if sheet is None:
            sheet = OOBTree()
            setattr(obj, ATTRIBUTE, sheet)
        sheet[name] = value
    obj.touch()


def copy_properties(source, target) -> None:
    """Give `target` the dead properties of `source` (a folder copied without its items)."""
    values = list(dead_properties(source).items())
    if values:
        apply_changes(target, values)


def check_stored_properties(obj) -> None:
    """Refuse dead properties that did not come through `apply_changes` (an import).

    Raises `ValidationError`.
    """
    sheet = getattr(obj, ATTRIBUTE, None)
    if sheet is None:
        return
    if not isinstance(sheet, OOBTree) or len(sheet) > MAX_PROPERTIES:
        raise ValidationError("the WebDAV properties are not a property table", "properties")
    for name, value in sheet.items():
        if not is_clark_name(name) or not isinstance(value, str) \
                or len(value) > MAX_VALUE_LENGTH:
            raise ValidationError(f"a WebDAV property is not a name and XML text: {name!r}",
                                  "properties")
