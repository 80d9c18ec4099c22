"""Ordered folders: a folder whose items keep the order they are arranged in.

As Zope's OrderedFolder, an ordered folder lists its items in the order they
were added, and a manager moves them up, down, to the top or the bottom
(the Contents tab, the JSON API's `items`, a copy and an export keep that
order). The items stay in the folder's B-tree; the order is a tuple of
names on the folder itself, so adding, removing or moving an item writes the
folder, and two transactions adding to one ordered folder at once conflict
(one is replayed), as in Zope. That is fine for the tens or hundreds of
items a navigation or a page's parts hold, not for a folder of a hundred
thousand: a plain `Folder` stays cheap at any size, and an ordered folder
holds at most `ORDER_LIMIT` items.
"""

from objweb.content.folder import Folder
from objweb.errors import NotFoundError, ValidationError
from objweb.traversal.location import path_of

ORDER_LIMIT = 10000


class OrderedFolder(Folder):
    """A folder whose items keep their arranged order (Zope's OrderedFolder)."""

    type_name = "OrderedFolder"
    item_attributes = ("_items", "_count", "_order")

    def __init__(self, title: str = ""):
        super().__init__(title)
        self._order: tuple = ()

    # -- reading, in order ------------------------------------------------------

    def __iter__(self):
        return iter(self._order)

    def keys(self, start: str | None = None, end: str | None = None):
        """Return the names in their arranged order; from item `start` to item `end` if given."""
        names = self._order
        if start is not None:
            names = names[names.index(start):] if start in self else ()
        if end is not None and end in names:
            names = names[:names.index(end) + 1]
        return names

    def values(self):
        """Return the objects in their arranged order."""
        return [self._items[name] for name in self._order]

    def items(self):
        """Return (name, object) pairs in their arranged order."""
        return [(name, self._items[name]) for name in self._order]

    def keys_at(self, start: int, stop: int) -> list[str]:
        """Return the names at positions `start` up to, not including, `stop`."""
        return list(self._order[max(0, start):max(0, stop)])

    def position_of(self, name: str) -> int:
        """Return the position (from 0) of item `name`. Raises `NotFoundError`."""
        if name not in self:
            raise NotFoundError(f"{path_of(self)} has no item {name!r}")
        return self._order.index(name)

    # -- changes -------------------------------------------------------------------

    def _put(self, name: str, obj) -> None:
        """Put `obj` under `name`, last: every add and every move in passes here."""
        if len(self) >= ORDER_LIMIT:
            raise ValidationError(f"an ordered folder holds at most {ORDER_LIMIT} items; "
                                  f"a Folder holds any number", "name")
        super()._put(name, obj)
        self._order = self._order + (name,)

    def _take(self, name: str):
        """Take item `name` out, and out of the order: every removal and move out passes here."""
        taken = super()._take(name)
        self._order = tuple(existing for existing in self._order if existing != name)
        return taken

    def rename(self, old_name: str, new_name: str):
        """Give item `old_name` the name `new_name` in the same place; return it."""
        position = self.position_of(old_name)
        renamed = super().rename(old_name, new_name)
        self.move_to(new_name, position)
        return renamed

    def move_to(self, name: str, position: int) -> None:
        """Put item `name` at `position` (from 0; clamped to the ends). Raises `NotFoundError`."""
        self.position_of(name)
        rest = [existing for existing in self._order if existing != name]
        position = max(0, min(position, len(rest)))
        self._order = tuple(rest[:position] + [name] + rest[position:])

    def move_up(self, names, steps: int = 1) -> None:
        """Move the items `names` `steps` places towards the top, keeping their own order."""
        self._shift(names, -steps)

    def move_down(self, names, steps: int = 1) -> None:
        """Move the items `names` `steps` places towards the bottom, keeping their own order."""
        self._shift(names, steps)

    def move_to_top(self, names) -> None:
        """Put the items `names` first, in the order they have now."""
        chosen = self._chosen(names)
        self._order = tuple(chosen + [name for name in self._order if name not in chosen])

    def move_to_bottom(self, names) -> None:
        """Put the items `names` last, in the order they have now."""
        chosen = self._chosen(names)
        self._order = tuple([name for name in self._order if name not in chosen] + chosen)

    def _chosen(self, names) -> list[str]:
        """Return `names` in their present order. Raises `NotFoundError` for a missing one."""
        wanted = set(names)
        for name in wanted:
            self.position_of(name)
        return [name for name in self._order if name in wanted]

    def _shift(self, names, delta: int) -> None:
        chosen = set(self._chosen(names))
        order = list(self._order)
        # Walk from the side the items move towards, so that they never leapfrog.
        positions = range(len(order)) if delta < 0 else range(len(order) - 1, -1, -1)
        for _ in range(abs(delta)):
            for index in positions:
                other = index - 1 if delta < 0 else index + 1
                if order[index] in chosen and 0 <= other < len(order) \
                        and order[other] not in chosen:
                    order[index], order[other] = order[other], order[index]
        self._order = tuple(order)

    def check_stored_state(self) -> None:
        """Check the state as `Folder` does, and that the order names each item once.

        Raises `ValidationError`.
        """
        super().check_stored_state()
        order = getattr(self, "_order", None)
        if not isinstance(order, tuple) or len(order) != len(set(order)) \
                or len(order) > ORDER_LIMIT or set(order) != set(self._items.keys()):
            raise ValidationError("the order is not the ordered folder's items", "items")
