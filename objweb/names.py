"""Rules for the names of objects in containers, and for URL paths.

A name is what a container files an object under and what a URL segment
spells. The rules keep names safe to publish: they can never shadow a view
(`@@`), a management screen (`manage`), a private attribute (`_`) or Zope's
acquisition helpers (`aq_`), and they never mean a relative step.
"""

import re

MAX_NAME_LENGTH = 255

_RESERVED_PREFIXES = ("_", "@@", "aq_", "manage")

# What `check_name` asks of a name, in words: the help of every form that takes one.
NAME_RULE = (f"Any characters but / and control characters (spaces and accents are fine), "
             f"at most {MAX_NAME_LENGTH}; not . or .., and not starting with "
             f"{', '.join(_RESERVED_PREFIXES[:-1])} or {_RESERVED_PREFIXES[-1]}.")
# C0, DEL and C1: the characters Unicode calls controls (category Cc).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_name(name: object) -> str:
    """Return `name` if it may name an object in a container.

    Raises `ValueError` with a message that says which rule the name breaks.
    """
    if not isinstance(name, str):
        raise ValueError(f"a name must be a string, not {type(name).__name__}")
    if not name:
        raise ValueError("a name cannot be empty")
    if name in (".", ".."):
        raise ValueError(f"{name!r} is not a name")
    if "/" in name:
        raise ValueError(f"a name cannot contain '/': {name!r}")
    if _CONTROL_CHARACTERS.search(name):
        raise ValueError(f"a name cannot contain control characters: {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"a name is at most {MAX_NAME_LENGTH} characters long")
    for prefix in _RESERVED_PREFIXES:
        if name.startswith(prefix):
            raise ValueError(f"a name cannot start with {prefix!r}: {name!r}")
    return name


def is_valid_name(name: object) -> bool:
    """Return whether `name` passes `check_name`."""
    try:
        check_name(name)
    except ValueError:
        return False
    return True


def split_path(path: str) -> list[str]:
    """Return the segments of a slash-separated path.

    Empty segments and `.` are dropped, as in a URL; `..` is refused with
    `ValueError` because a path in objweb never climbs.
    """
    segments = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            raise ValueError(f"a path cannot contain '..': {path!r}")
        segments.append(segment)
    return segments
