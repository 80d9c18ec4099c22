"""What restricted code may read and change: the guards behind `.`, `[]` and `=`.

Objects of the site declare, with their type, which names code may read and
the protected action that guards each (`code_access`, plus the fields
of `fields` with their `read_action`); the run's policy is asked every
time, as for a URL. A name a container does not declare may name one of its
items, or a Template or Script acquired from above, as `context.news` or
`context.greet` do in Zope. Plain values (text, numbers, collections, dates)
have tables of their own; anything else is refused. Names starting with `_`
never resolve, whatever the object.

An item of a container code may not list is not there for code: it is never
found by name, and acquisition passes over it. Asked by name on such a
container, a name that is not acquired raises the denial whether the
container holds it or not, so that neither the answer nor the error tells
what the container holds.

Writes are refused on everything but plain lists and dicts: objects of the
site change through their `edit` method, which checks each field's
permission. Items of lists and dicts are written through an `ItemWriter`,
which draws the value of a slice assignment through the iteration guard.
"""

import string
from collections.abc import Callable

from _string import formatter_field_name_split

from objweb.errors import AccessDenied
from objweb.sandbox.bindings import BoundCode, CodeView
from objweb.sandbox.budget import ITEM_COST, cost_of
from objweb.sandbox.failures import NotPublishedError
from objweb.sandbox.formatting import (
    guarded_ascii, guarded_format, guarded_repr, guarded_str)
from objweb.sandbox.iteration import (
    BTREE_ITEMS, collect, is_container, is_content, is_sized)
from objweb.sandbox.methods import value_attribute
from objweb.sandbox.run import current_run
from objweb.sandbox.work import check_key
from objweb.security.protections import ACCESS
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import child, is_acquirable

# Names that are never readable, on any object (RestrictedPython's list, and Zope's).
FORBIDDEN_NAMES = frozenset({
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "cr_origin",
    "ag_frame", "ag_code", "ag_await", "f_back", "f_builtins", "f_code", "f_globals",
    "f_locals", "f_trace", "f_generator", "tb_frame", "tb_next", "co_code", "mro"})
MISSING = object()

_access_tables: dict[type, dict[str, str]] = {}
# Names a room above offers code on every object of the site (the catalog's
# `search`), each with its action and what computes its value.
_offered: dict[str, tuple[str, Callable]] = {}


def code_access_of(cls: type) -> dict[str, str]:
    """Return the names code may read on objects of `cls`, each with its action.

    The fields of the type's schema come first (files' raw data excepted),
    then every `code_access` along the class hierarchy.
    """
    table = _access_tables.get(cls)
    if table is None:
        table = {field.name: field.read_action for field in getattr(cls, "fields", ())
                 if field.kind != "base64"}
        for klass in reversed(cls.__mro__):
            table.update(klass.__dict__.get("code_access", {}))
        _access_tables[cls] = table
    return table


def offer_to_code(name: str, action: str, compute: Callable) -> None:
    """Let code read `name` on every object of the site, checked against `action`.

    `compute(obj)` gives the value. The site's own names come first: a
    name the type declares, an item of the container or a Template or
    Script acquired by that name hides the offered one, so a site that
    already used the name keeps its meaning.
    """
    _offered[name] = (action, compute)


def _refuse_name(name) -> str:
    if type(name) is not str:
        raise TypeError("an attribute name is text")
    if name.startswith("_") or name in FORBIDDEN_NAMES:
        raise NotPublishedError(f"{name!r} is not accessible to code")
    return name


# -- the site's objects --------------------------------------------------------------


def _absolute_url(obj):
    def absolute_url() -> str:
        request = current_run().context.request
        return request.url_of(obj) if request is not None else path_of(obj)
    return absolute_url


def _edit(obj):
    def edit(**values) -> None:
        policy = current_run().policy
        fields = {field.name: field for field in type(obj).fields}
        for name in values:
            if name in fields:
                policy.check(fields[name].write_action, obj)
        obj.edit(**values)
    return edit


# Names every object of the site may declare, whose values the sandbox computes
# from the location protocol rather than reading an attribute.
COMPUTED = {
    "id": lambda obj: obj.__name__ or "",
    "path": path_of,
    "absolute_url": _absolute_url,
    "edit": _edit,
}


def _visible_item(policy, container, name: str):
    """Return the item `name` of `container` if code may list the container, else None."""
    if not policy.can(ACCESS, container):
        return None
    return child(container, name)


def _acquired(policy, obj, name: str):
    """Return the Template or Script `name` nearest above `obj` among the items code may see."""
    for ancestor in lineage(obj.__parent__):
        found = _visible_item(policy, ancestor, name) if is_container(ancestor) else None
        if found is not None and is_acquirable(found):
            return found
    return None


def content_attribute(obj, name: str, context=None):
    """Return what `obj.name` is for code, checking the run's policy.

    A declared name is checked against its action; an undeclared one may be
    an item of a container (`Access contents information` there), or a
    Template or Script acquired from above, bound to `context` (default:
    `obj`), passing over containers code may not list, or a name offered
    to code (`offer_to_code`). Raises the denial
    on a container code may not list, whether it holds `name` or not, and
    `NotPublishedError` when nothing else applies.
    """
    policy = current_run().policy
    action = code_access_of(type(obj)).get(name)
    if action is not None:
        policy.check(action, obj)
        if name in COMPUTED:
            return COMPUTED[name](obj)
        return getattr(obj, name)
    if is_container(obj):
        item = _visible_item(policy, obj, name)
        if item is not None:
            return item
    found = _acquired(policy, obj, name)
    if found is not None:
        return BoundCode(found, context if context is not None else obj)
    if name in _offered:
        action, compute = _offered[name]
        policy.check(action, obj)
        return compute(obj)
    if is_container(obj):
        policy.check(ACCESS, obj)
    raise NotPublishedError(f"a {obj.type_name} has no {name!r} that code may use")


def _lookup(obj, name: str):
    if is_content(obj):
        return content_attribute(obj, name)
    if isinstance(obj, BoundCode):
        return content_attribute(obj.executable, name, obj.context)
    if isinstance(obj, CodeView):
        if name not in obj._code_names:
            raise NotPublishedError(f"code may not use {name!r} here")
        return getattr(obj, name)
    if isinstance(obj, str) and name in ("format", "format_map"):
        return _format_method(obj, name)
    return value_attribute(obj, name)


def guarded_getattr(obj, name, default=MISSING):
    """Return `obj.name` as restricted code may see it (`_getattr_`, and `getattr`).

    Raises `NotPublishedError` (an `AttributeError`) for a name code may
    not read, unless a `default` is given; a name starting with `_` is
    refused even then. Denials by the policy raise `Unauthorized` or
    `Forbidden`.
    """
    current_run().budget.tick()
    _refuse_name(name)
    try:
        return _lookup(obj, name)
    except AttributeError:
        if default is MISSING:
            raise
        return default


def guarded_hasattr(obj, name) -> bool:
    """Return whether code may read `obj.name` (denials and refusals count as no)."""
    try:
        guarded_getattr(obj, name)
    except (AttributeError, LookupError, TypeError, AccessDenied):
        return False
    return True


# -- items ------------------------------------------------------------------------------

_SUBSCRIPTABLE = (str, bytes, list, tuple, dict, range, BTREE_ITEMS)


def guarded_getitem(obj, key):
    """Return `obj[key]` as restricted code may see it (`_getitem_`).

    A container of the site answers its items to code with `Access contents
    information` there. Raises `KeyError` for a missing item and `TypeError`
    for objects code may not subscript.
    """
    run = current_run()
    run.budget.tick()
    if is_content(obj):
        if not is_container(obj):
            raise TypeError(f"a {obj.type_name} has no items")
        if type(key) is not str:
            raise KeyError(key)
        run.policy.check(ACCESS, obj)
        return obj[key]
    if isinstance(obj, CodeView) and not isinstance(obj, BoundCode):
        return obj._code_item(key)
    if isinstance(obj, _SUBSCRIPTABLE):
        if type(obj) is dict:
            check_key(run.budget, key)
        value = obj[key]
        if isinstance(key, slice):
            run.budget.charge(cost_of(value))
        return value
    raise TypeError(f"code may not take items of a {type(obj).__name__}")


def guarded_mapping(obj):
    """Return `obj` if code may unpack it with `**` (`_getmapping_`): plain dicts only."""
    current_run().budget.tick()
    if type(obj) is not dict:
        raise TypeError("only a dict can be unpacked with ** in code")
    return obj


# What one more entry of a dict takes, in allocation units.
_ENTRY_COST = 64


class ItemWriter:
    """A plain list or dict as code writes to it: `x[key] = value`, `del x[key]`.

    A slice assignment draws its value through the iteration guard: Python
    would iterate it in C, a folder included.
    """

    __slots__ = ("target",)

    def __init__(self, target):
        self.target = target

    def __setitem__(self, key, value) -> None:
        budget = current_run().budget
        target = self.target
        if type(target) is dict:
            check_key(budget, key)
            budget.charge(_ENTRY_COST)
        elif isinstance(key, slice):
            if not is_sized(value):
                value = collect(value, "a list")
            budget.check_items(len(target) + len(value), "a list")
            budget.charge(ITEM_COST * len(value))
        target[key] = value

    def __delitem__(self, key) -> None:
        if type(self.target) is dict:
            check_key(current_run().budget, key)
        del self.target[key]


def guarded_write(obj):
    """Return what code writes the items of `obj` through (`_write_`).

    Only plain lists and dicts may be changed in place, through an
    `ItemWriter`; objects of the site change through `edit`.
    """
    current_run().budget.tick()
    if type(obj) in (list, dict):
        return ItemWriter(obj)
    what = obj.type_name if is_content(obj) else type(obj).__name__
    raise TypeError(f"code cannot change a {what} this way"
                    + ("; use its edit method" if is_content(obj) else ""))


# -- format fields ------------------------------------------------------------------------


class SafeFormatter(string.Formatter):
    """`str.format` and `str.format_map` with every field lookup through the guards.

    `'{0.__class__}'` and `'{0.gi_frame}'` are refused like the same names
    written in code (CVE-2023-41039); `'{0.title}'` needs the same
    permission as `context.title`.
    """

    def get_value(self, key, args, kwargs):
        """Return positional field `key` from `args`, named ones through the item guard."""
        if isinstance(key, int):
            return args[key]
        return guarded_getitem(kwargs, key)

    def get_field(self, field_name, args, kwargs):
        """Resolve `field_name`, each attribute and item through the guards."""
        first, rest = formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attribute, key in rest:
            obj = guarded_getattr(obj, key) if is_attribute else guarded_getitem(obj, key)
        return obj, first

    def convert_field(self, value, conversion):
        """Apply `!s`, `!r` or `!a` with a measured value."""
        if conversion is None:
            return value
        convert = _CONVERSIONS.get(conversion)
        if convert is None:
            raise ValueError(f"unknown conversion specifier {conversion!s}")
        return convert(value)

    def format_field(self, value, format_spec):
        """Format one field with a bounded spec."""
        return guarded_format(value, format_spec)


_CONVERSIONS = {"s": guarded_str, "r": guarded_repr, "a": guarded_ascii}


def _format_method(text: str, name: str):
    formatter = SafeFormatter()

    def format(*args, **kwargs) -> str:
        return _checked(formatter.vformat(text, args, kwargs))

    def format_map(mapping) -> str:
        return _checked(formatter.vformat(text, (), mapping))

    return format if name == "format" else format_map


def _checked(text: str) -> str:
    budget = current_run().budget
    budget.check_text(len(text))
    budget.charge(len(text))
    return text

