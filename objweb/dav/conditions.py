"""The WebDAV `If` header (RFC 4918 §10.4): parsed strictly, evaluated per resource.

The header is a series of lists in parentheses, each optionally tagged with
the resource it is about (`<http://host/@@dav/doc>`); untagged lists are
about the request's own resource. Each condition is a state token (a lock
token, or `DAV:no-lock`, which never holds) or an entity tag in brackets,
optionally negated with `Not`. The header holds when some list has every
condition true. A malformed header is a 400, never ignored: an ignored
condition would be a lost-update check silently skipped.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from objweb.errors import ValidationError

MAX_LISTS = 32
MAX_CONDITIONS = 64
NO_LOCK = "DAV:no-lock"
_CONDITION = re.compile(r'\s*(Not\s*)?(?:<([^>]*)>|\[((?:W/)?"[^"]*")\])', re.I)
_MALFORMED = "the If header is not well-formed"


@dataclass(frozen=True)
class Condition:
    """One condition: a state token or an entity tag (quoted), maybe negated."""

    negated: bool
    token: str | None = None
    etag: str | None = None


@dataclass(frozen=True)
class ConditionList:
    """The conditions of one parenthesised list, and the resource it is tagged with."""

    resource: str | None
    conditions: tuple[Condition, ...]


def parse_if(header: str | None) -> tuple[ConditionList, ...]:
    """Return the lists of an `If` header (none without one).

    Raises `ValidationError` for a header that is not well-formed or holds
    more than `MAX_LISTS` lists or `MAX_CONDITIONS` conditions.
    """
    if header is None:
        return ()
    text, position, resource, lists = header.strip(), 0, None, []
    while True:
        position = _skip_spaces(text, position)
        if position >= len(text):
            return tuple(lists)
        if text[position] == "<":
            close = text.find(">", position)
            if close < 0:
                raise ValidationError(_MALFORMED)
            resource, position = text[position + 1:close], close + 1
            continue
        conditions, position = _read_list(text, position)
        lists.append(ConditionList(resource, conditions))
        if len(lists) > MAX_LISTS or sum(len(found.conditions) for found in lists) \
                > MAX_CONDITIONS:
            raise ValidationError("the If header has too many conditions")


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _read_list(text: str, position: int) -> tuple[tuple[Condition, ...], int]:
    if text[position] != "(":
        raise ValidationError(_MALFORMED)
    position += 1
    conditions = []
    while (match := _CONDITION.match(text, position)) and len(conditions) <= MAX_CONDITIONS:
        conditions.append(Condition(bool(match.group(1)), match.group(2), match.group(3)))
        position = match.end()
    position = _skip_spaces(text, position)
    if position >= len(text) or text[position] != ")" or not conditions:
        raise ValidationError(_MALFORMED)
    return tuple(conditions), position + 1


def submitted_tokens(lists) -> frozenset:
    """Return every lock token the header names: naming a token submits it (RFC 4918 §7.5)."""
    return frozenset(condition.token for condition_list in lists
                     for condition in condition_list.conditions
                     if condition.token and condition.token != NO_LOCK)


def holds(lists, *, state_of: Callable, request_resource: str) -> bool:
    """Return whether the header holds: some list has every condition true.

    `state_of(url or path)` returns the (entity tag or None, set of lock
    tokens that apply) of the resource a list is about.
    """
    if not lists:
        return True
    for condition_list in lists:
        etag, tokens = state_of(condition_list.resource or request_resource)
        if all(_is_true(condition, etag, tokens) for condition in condition_list.conditions):
            return True
    return False


def _is_true(condition: Condition, etag: str | None, tokens) -> bool:
    if condition.token is not None:
        result = condition.token in tokens
    else:
        # A weak tag never matches: a lost-update check compares bytes.
        result = etag is not None and condition.etag == etag
    return result != condition.negated
