"""Batches of a container's items, read straight from its B-tree."""

import re
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
        following = self.start + self.size
        return following if following < self.total else None

    @property
    def previous_start(self) -> int | None:
        """The start of the previous batch, or None for the first."""
        return max(0, self.start - self.size) if self.start > 0 else None


def read_batch_parameters(request) -> tuple[int, int]:
    """Return `b_start` and `b_size` from the query.

    Raises `ValidationError` for a `b_start` that is not a whole number, or a
    `b_size` that is not a positive one or is over the `max_batch_size` setting.
    """
    settings = request.settings
    start = _whole_number(request, "b_start", 0)
    size = _whole_number(request, "b_size",
                         min(settings.default_batch_size, settings.max_batch_size))
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
