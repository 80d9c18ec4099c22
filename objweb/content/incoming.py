"""Objects that arrive by import: what they must pass before they join the site.

An import brings objects that came through no door that checks what it
stores. Its subtree is checked whole (`check_subtree`): every item sits in
its container under its own valid name, with its container as its parent
(security is worked out along `__parent__`, so a parent that lies would let
a file choose its own permissions, and no object can be in two places), and
every object's state passes what `edit` would check, with derived state
(lengths, sizes, compiled code) made again in this process.
"""

from ZODB.POSException import StateLoadError

from objweb.content.base import Item
from objweb.content.userfolder import UserFolder
from objweb.errors import ValidationError
from objweb.names import check_name

USER_FOLDER_NAME = "acl_users"


# -- the shape of a subtree ----------------------------------------------------------

def check_subtree(top) -> list:
    """Check a subtree read from an export file and return its objects, `top` first.

    Raises `ValidationError` naming the place of the first problem.
    """
    found = []
    pending = [(top, "/" + (top.__name__ if isinstance(top.__name__, str) else ""))]
    while pending:
        obj, where = pending.pop()
        _load(obj, where)
        # Each item says where it is (name and parent), so none can be in two places.
        if not isinstance(obj, Item):
            raise ValidationError(f"the export file holds something at {where} that is not "
                                  "content", "file")
        found.append(obj)
        try:
            # Looked up on the type: the object's own state might hide the method.
            type(obj).check_stored_state(obj)
        except ValidationError as error:
            raise ValidationError(f"the export file holds a bad value at {where}: {error}",
                                  "file") from None
        except (AttributeError, LookupError, TypeError, ValueError) as error:
            # A state that loads, yet is not what the class keeps.
            raise ValidationError(f"the export file cannot be read at {where}: "
                                  f"{type(error).__name__}: {error}", "file") from None
        if obj.is_container:
            for name, child in obj.items():
                _check_place(obj, name, child, where)
                pending.append((child, f"{where.rstrip('/')}/{name}"))
    return found


def _load(obj, where: str) -> None:
    """Load `obj`'s state, which ZODB reads only now; refuse one its class cannot take in."""
    try:
        getattr(obj, "_p_activate", lambda: None)()
    except StateLoadError as error:
        cause = error.__cause__ or error
        raise ValidationError(f"the export file cannot be read at {where}: "
                              f"{type(cause).__name__}: {cause}", "file") from None


def _check_place(container, name, child, where: str) -> None:
    _load(child, f"{where.rstrip('/')}/{name}")
    try:
        check_name(name)
    except (TypeError, ValueError):
        raise ValidationError(f"the export file holds a bad name in {where}: {name!r}",
                              "file") from None
    if getattr(child, "__name__", None) != name or getattr(child, "__parent__", None) \
            is not container:
        raise ValidationError(f"the export file holds {where}/{name}, which does not say "
                              "it is there", "file")
    if isinstance(child, UserFolder) != (name == USER_FOLDER_NAME):
        raise ValidationError(f"the export file holds a user folder under another name "
                              f"than {USER_FOLDER_NAME}, or something else under that name, "
                              f"in {where}", "file")
