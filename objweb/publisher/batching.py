"""Batches of a container's items, read straight from its B-tree."""

from dataclasses import dataclass
from itertools import islice

from objweb.errors import ValidationError


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
    """Return `b_start` and `b_size` from the query, `b_size` capped.

    Raises `ValidationError` for values that are not non-negative integers.
    """
    settings = request.settings
    values = []
    for name, default in (("b_start", 0), ("b_size", settings.default_batch_size)):
        raw = request.GET.get(name, str(default))
        if not raw.isdigit():
            raise ValidationError(f"{name} must be a non-negative integer", name)
        values.append(int(raw))
    start, size = values
    return start, max(1, min(size, settings.max_batch_size))


def batch_of(container, start: int, size: int) -> Batch:
    """Return the batch of `container`'s names from `start`, at most `size` long.

    Walks the B-tree's keys only: no item is loaded to skip past it.
    """
    total = len(container)
    names = tuple(islice(container.keys(), start, start + size)) if start < total else ()
    return Batch(start, size, total, names)
