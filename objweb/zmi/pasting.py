"""Pasting the clipboard into a folder: a cut moves, a copy copies, all checked afresh.

The clipboard only names a folder and names in it; what it named is looked
up again at paste time and every permission is checked then, as in Zope: a
cut needs *Delete objects* on its source, a copy *View management screens*
on each item, and both the right to create, in the target, every type among
the items and everything inside them. A moved object keeps its owner; a
copy belongs to whoever pastes it. Each item goes through
`objweb.storage.transfer.copy_item` or `move_item`, which WebDAV's COPY and
MOVE use too.
"""

from objweb.errors import NotFoundError, ValidationError
from objweb.names import check_name
from objweb.security.protections import DELETE
from objweb.storage.transfer import copy_item, move_item
from objweb.traversal.location import path_of
from objweb.traversal.resolve import find
from objweb.zmi.clipboard import Clipboard
from objweb.zmi.listing import select_names


def paste(clipboard: Clipboard, target, *, root, policy) -> list[str]:
    """Move or copy the clipboard's items into `target`; return the names they got there.

    Raises `NotFoundError` when the source or an item is gone, `ValidationError`
    or `ValueError` when an item cannot go there, `NameInUseError` for a cut
    whose name is taken, and the policy's refusals. The caller aborts on any.
    """
    source = source_of(clipboard, root)
    names = select_names(source, clipboard.names, clipboard.filter)
    if clipboard.operation == "cut":
        return move_into(source, names, target, policy)
    return copy_into(source, names, target, policy)


def source_of(clipboard: Clipboard, root):
    """Return the folder the clipboard's items come from. Raises `NotFoundError`."""
    try:
        source = find(root, clipboard.source)
    except (KeyError, ValueError):
        raise NotFoundError(f"the folder {clipboard.source} is gone; cut or copy again") \
            from None
    if not getattr(source, "is_container", False):
        raise NotFoundError(f"{clipboard.source} is not a folder any more")
    return source


def move_into(source, names: list[str], target, policy) -> list[str]:
    """Move the items `names` of `source` into `target`."""
    policy.check(DELETE, source)
    if source is target:
        raise ValidationError("the items are in this folder already")
    for name in names:
        move_item(item_of(source, name), target, policy=policy)
    return names


def copy_into(source, names: list[str], target, policy) -> list[str]:
    """Copy the items `names` of `source` into `target`, under free names."""
    pasted = []
    for name in names:
        obj = item_of(source, name)
        new_name = free_copy_name(target, name)
        copy_item(obj, target, new_name, policy=policy)
        pasted.append(new_name)
    return pasted


def item_of(source, name: str):
    """Return the item `name` of `source`. Raises `NotFoundError`."""
    obj = source.get(name)
    if obj is None:
        raise NotFoundError(f"{name!r} is no longer in {path_of(source)}")
    return obj


def free_copy_name(target, name: str) -> str:
    """Return `name`, or Zope's `copy_of_name`, `copy2_of_name`… if it is taken in `target`."""
    candidate, number = name, 1
    while candidate in target:
        candidate = f"copy{number if number > 1 else ''}_of_{name}"
        number += 1
    return check_name(candidate)
