"""Two people editing one object: the version a form started from, and what a save would lose.

An edit form carries the version of the object it was filled from: the
object's ZODB serial, the id of the transaction that last wrote it. A save
whose version is no longer the object's own comes after someone else's
change. If every field the save sends holds what is stored now, it loses
nothing and goes ahead. Otherwise the screen shows both values of every
field that differs and lets the user choose: save theirs over the other
change, or keep what is stored. (Zope's last save wins silently.)
"""

from dataclasses import dataclass

from ZODB.utils import u64, z64

from objweb.zmi.forms import Widget, from_form

VERSION_FIELD = "version"


@dataclass(frozen=True)
class Difference:
    """One field whose stored value (theirs) differs from the one typed (yours)."""

    name: str
    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Conflict:
    """A save over a newer change: the fields that differ, and who changed it when."""

    differences: tuple
    user: str
    time: float


def version_of(obj) -> str:
    """Return the version of `obj` a form carries: its serial as a number ("" if unsaved)."""
    serial = getattr(obj, "_p_serial", None)
    return str(u64(serial)) if serial and serial != z64 else ""


def _shown(widget: Widget, value) -> str:
    if widget.kind == "bool":
        return "yes" if value else "no"
    text = value if isinstance(value, str) else Widget(widget.name, "", value=value).text_value
    return from_form(text).rstrip("\n")


def differences(stored: list[Widget], post) -> list[Difference]:
    """Return the fields of `post` whose values differ from the `stored` widgets' values.

    A field the form did not send changes nothing, except a checkbox, whose
    absence means "off" (or, in a set of checkboxes, none ticked).
    """
    found = []
    for widget in stored:
        if widget.kind == "bool":
            yours = widget.name in post
        elif widget.kind == "checkboxes":
            yours = tuple(post.getall(widget.name))
        elif widget.kind == "file" or not isinstance(post.get(widget.name), str):
            continue
        else:
            yours = post.get(widget.name)
        theirs_text, yours_text = _shown(widget, widget.value), _shown(widget, yours)
        if theirs_text != yours_text:
            found.append(Difference(widget.name, widget.label, theirs_text, yours_text))
    return found


def last_change(obj) -> tuple[str, float]:
    """Return who last changed `obj` and when (seconds since the epoch); ("", 0) if unknown."""
    entries = obj._p_jar.db().history(obj._p_oid, size=1)
    if not entries:
        return "", 0.0
    user_name = entries[0].get("user_name", b"")
    if isinstance(user_name, bytes):
        user_name = user_name.decode("utf-8", "replace")
    return user_name.rpartition(" ")[2], entries[0].get("time", 0.0)


def find_conflict(obj, post, stored: list[Widget]) -> Conflict | None:
    """Return the conflict a save of `post` over `obj` would cause, or None.

    None when the form carries no version (an old page, a script), when the
    version is current, or when nothing it sends differs from what is stored.
    """
    sent = post.get(VERSION_FIELD)
    if not isinstance(sent, str) or not sent or sent == version_of(obj):
        return None
    found = differences(stored, post)
    if not found:
        return None
    user, moment = last_change(obj)
    return Conflict(tuple(found), user, moment)
