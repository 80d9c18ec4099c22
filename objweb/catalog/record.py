"""What the catalog knows of one object: an `Entry`, computed once and read by every index.

The text of an object is split by who may read it. Fields readable with
`View` (a title, a Page's body) are its public text; fields guarded by
another permission (a Script's body, a Template's source: `View management
screens`) are its guarded text, searched only for viewers who hold that
permission there too, so a search never tells what a visitor could not read.
"""

from dataclasses import dataclass, field

from objweb.content.properties import get_property
from objweb.content.schema import fields_of
from objweb.catalog.text import fold, without_markup
from objweb.security.ownership import pinned, stored_ownership
from objweb.security.permissions import VIEW
from objweb.security import protections
from objweb.security.protections import permission_for
from objweb.security.visibility import ViewState, view_state
from objweb.traversal.location import path_of

TEXT_KINDS = ("line", "text", "html")
# Longer titles sort as their first 200 folded characters.
SORTABLE_TITLE_LENGTH = 200


@dataclass
class Entry:
    """One object as the indexes see it.

    `parent` is the path of the container ("" for the root); `owner` is
    the owner's id and user folder path joined by NUL (None: no owner);
    `allowed` and `guarded_allowed` are view tokens (see
    `objweb.security.visibility`) for the object and for its guarded
    text; `values` holds what custom indexes read, by property or field name.
    """

    path: str
    name: str
    type_name: str
    title: str
    created: float
    modified: float
    parent: str
    text: str = ""
    guarded_text: str = ""
    owner: str | None = None
    allowed: tuple = ()
    guarded_allowed: tuple = ()
    values: dict = field(default_factory=dict)

    def row(self) -> tuple:
        """Return the metadata row results are made from, without the object."""
        return (self.path, self.name, self.type_name, self.title, self.created, self.modified)


class StateCache:
    """View states of the containers one batch or one search passes through, per permission."""

    def __init__(self):
        self._known: dict[str, dict] = {}

    def state(self, obj, permission: str = VIEW) -> ViewState:
        """Return the view state of `permission` at `obj`."""
        return view_state(obj, self._known.setdefault(permission, {}), permission)

    def allowed(self, obj) -> tuple:
        """Return the view tokens of `obj`: who holds the permission that guards viewing it."""
        return self.state(obj, view_permission(obj)).tokens()


def describe(obj, states: StateCache, names: tuple = ()) -> Entry:
    """Return the entry of `obj`, a live object of the site; `names` are custom indexes' values."""
    path = path_of(obj)
    parent = obj.__parent__
    public, guarded, guard = _texts(obj)
    entry = Entry(path, obj.__name__ or "", obj.type_name, obj.title or "",
                  float(obj.created), float(obj.modified),
                  "" if parent is None else path_of(parent),
                  text=public, guarded_text=guarded, owner=owner_value(obj),
                  allowed=states.allowed(obj),
                  values={name: value_of(obj, name) for name in names})
    if guarded:
        entry.guarded_allowed = states.state(obj, guard).tokens()
    return entry


def view_permission(obj) -> str:
    """Return the permission that guards viewing `obj`: View, or its type's own (a user folder's)."""
    return permission_for(obj, protections.VIEW) or VIEW


def _texts(obj) -> tuple[str, str, str | None]:
    """Return (public text, guarded text, the permission guarding it) of `obj`."""
    public, guarded, guard = [], [], None
    for declared in fields_of(obj):
        if declared.kind not in TEXT_KINDS:
            continue
        value = getattr(obj, declared.name, None)
        if not isinstance(value, str) or not value:
            continue
        if declared.kind == "html":
            value = without_markup(value)
        permission = permission_for(obj, declared.read_action)
        if permission == VIEW:
            public.append(value)
        elif guard in (None, permission):
            guard = permission
            guarded.append(value)
    return " ".join(public), " ".join(guarded), guard


def guard_of(obj) -> str | None:
    """Return the permission guarding the text of `obj` that View alone does not let one read."""
    return _texts(obj)[2]


def owner_value(obj) -> str | None:
    """Return the owner of `obj` as the catalog keeps it: id NUL user folder path."""
    record = stored_ownership(obj)
    if record is None:
        return None
    user_folder, user_id = pinned(obj, record)
    if user_id is None:
        return None
    return user_id + "\x00" + (user_folder or "")


def value_of(obj, name: str):
    """Return the value a custom index named `name` reads: a field of that name, or a property."""
    for declared in fields_of(obj):
        if declared.name == name:
            return getattr(obj, name, None)
    return get_property(obj, name)


def sortable_title(title: str) -> str:
    """Return the form titles are sorted and compared by."""
    return fold(title)[:SORTABLE_TITLE_LENGTH]
