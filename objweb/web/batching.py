"""Batching: which slice of a long list a page shows, for every list objweb pages through.

The query says where a batch starts and how long it is (`b_start`,
`b_size`, as in Zope); the application's `Settings` say how long a batch
is by default and at most. The public views and the JSON API refuse a bad
value with a 400 (`read_batch_parameters`); the management screens, whose
links a user edits by hand less than a client does, show the nearest good
batch instead (`screen_batch`). A container's batch is read straight from
its B-tree (`batch_of`); a list found as it is walked stops one past its
batch (`take_batch`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from objweb.errors import ValidationError

# Digits only (no sign, no Unicode digits), and few enough to stay a cheap int.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,15}")


@dataclass(frozen=True)
class Batch:
    """Where a batch starts, how long it is, and the names it holds."""

    start: int
    size: int
    total: int
    names: tuple[str, ...]

    @property
    def next_start(self) -> int | None:
        """The start of the next batch, or None after the last."""
        return next_start(self.start, self.size, self.total)

    @property
    def previous_start(self) -> int | None:
        """The start of the previous batch, or None for the first."""
        return previous_start(self.start, self.size)


@dataclass(frozen=True)
class Window:
    """A batch of a list found as it is walked, whose length is not known.

    Where it starts, how long it is, and whether more follow.
    """

    start: int
    size: int
    more: bool

    @property
    def next_start(self) -> int | None:
        """The start of the next batch, or None after the last."""
        return self.start + self.size if self.more else None

    @property
    def previous_start(self) -> int | None:
        """The start of the previous batch, or None for the first."""
        return previous_start(self.start, self.size)


def next_start(start: int, size: int, total: int) -> int | None:
    """Return where the batch after the one at `start` begins, or None after the last."""
    following = start + size
    return following if following < total else None


def previous_start(start: int, size: int) -> int | None:
    """Return where the batch before the one at `start` begins, or None for the first."""
    return max(0, start - size) if start > 0 else None


def default_size(settings) -> int:
    """Return how long a batch is when the query does not say."""
    return min(settings.default_batch_size, settings.max_batch_size)


def read_batch_parameters(request) -> tuple[int, int]:
    """Return `b_start` and `b_size` from the query.

    Raises `ValidationError` for a `b_start` that is not a whole number, or a
    `b_size` that is not a positive one or is over the `max_batch_size` setting.
    """
    settings = request.settings
    start = _whole_number(request, "b_start", 0)
    size = _whole_number(request, "b_size", default_size(settings))
    if size < 1:
        raise ValidationError("b_size must be at least 1", "b_size")
    if size > settings.max_batch_size:
        raise ValidationError(f"b_size can be at most {settings.max_batch_size}", "b_size")
    return start, size


def _whole_number(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise ValidationError(f"{name} must be a whole number, not {raw[:20]!r}", name)
    return int(raw)


def screen_batch(params, settings, *, size: int | None = None) -> tuple[int, int]:
    """Return `b_start` and `b_size` from a screen's query, bad values made good.

    A start that is not a whole number is 0; a size that is not one is
    `size` (the settings' default when None), and any size is held between
    1 and the `max_batch_size` setting.
    """
    start = params.get("b_start")
    wanted = params.get("b_size")
    fallback = default_size(settings) if size is None else size
    chosen = int(wanted) if _is_whole_number(wanted) else fallback
    return (int(start) if _is_whole_number(start) else 0,
            max(1, min(chosen, settings.max_batch_size)))


def _is_whole_number(raw) -> bool:
    return isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw) is not None


def take_batch(found: Iterable, start: int, size: int) -> tuple[list, bool]:
    """Return the items of `found` from `start`, at most `size`, and whether more follow.

    Reads at most one item past the batch.
    """
    items = list(islice(found, start, start + size + 1))
    return items[:size], len(items) > size


def batch_of(container, start: int, size: int) -> Batch:
    """Return the batch of `container`'s names from `start`, at most `size` long.

    Reads names only: no item is loaded to skip past it. A container that
    can find names by position (a Folder's `keys_at`) is asked to.
    """
    total = len(container)
    keys_at = getattr(container, "keys_at", None)
    if keys_at is not None:
        names = tuple(keys_at(start, start + size))
    else:
        names = tuple(islice(container.keys(), start, start + size))
    return Batch(start, size, total, names)
