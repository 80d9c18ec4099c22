"""The limits one run of restricted code lives within: time, output and sizes.

The time budget is cooperative. Compiled Scripts and Templates call `tick`
at every loop iteration, every function entry and every guarded access, so
pure Python work is stopped within a few microseconds of the deadline.
Work done in C (a string repeated ten billion times, `2 ** 10 ** 10`, a
sort of a million texts, `x in [s] * 10**6`) cannot be interrupted that way
and holds the interpreter's lock: the guards estimate the work of such an
operation (`objweb.sandbox.costs`) and the size of its result
before it starts, and refuse it past the limits. Every value they build is
charged to an allocation allowance with what it holds (the strings of a
split, the values a JSON text decodes to).

Limits are shared by a whole request: a Script calling another Script or a
Template draws on the same budget. Once a limit stopped the run, the stop is
for good: code that drops the exception (`return` in a `finally`, a generator
closed) meets it again at its next guard, and at the end of its run.
"""

import time
from dataclasses import dataclass

from objweb.sandbox.costs import text_measure

# What one item of a list or a tuple costs, in allocation units (bytes).
ITEM_COST = 8
# The memory of each kind of value: an empty one, and each item it holds.
_HEADERS = {str: 49, bytes: 33, bytearray: 57, list: 56, tuple: 40, dict: 64, set: 216,
            frozenset: 216}
_PER_ITEM = {list: ITEM_COST, tuple: ITEM_COST, dict: 64, set: 48, frozenset: 48}
_TEXTS = (str, bytes, bytearray)


class BudgetExceeded(BaseException):  # noqa: N818 (not an error of the code itself)
    """A run passed one of its limits; raised inside the restricted code.

    It derives from `BaseException` so that no handler in restricted code
    can catch it: a bare `except:` is compiled as `except Exception:` and the
    name `BaseException` is not available there. The run's boundary turns it
    into `LimitExceededError`.
    """

    def __init__(self, message: str, *, kind: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Limits:
    """How much one request's code may do.

    `time_budget` is in seconds; `output_limit` bounds the characters a run
    may produce (rendered output, printed text, the answer) and the length
    of any single text it builds; `max_items` bounds the items of a list,
    tuple, range or other collection built in one operation; `max_int_bits`
    bounds the integers arithmetic may build; `max_allocation` bounds the
    total size of the values built by guarded operations, what they hold
    included. `max_operation_cost` bounds the work of one operation done in
    C, in units of about a nanosecond (50,000,000: about 50 ms, so that no
    request holds the others up for long); `max_nesting` bounds how deep
    the tuples code hashes or matches exceptions against may nest.
    """

    time_budget: float = 5.0
    output_limit: int = 10 << 20
    max_items: int = 1_000_000
    max_int_bits: int = 1 << 17
    max_allocation: int = 256 << 20
    max_operation_cost: int = 50_000_000
    max_nesting: int = 100

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        """Return the limits a site's settings ask for (`code_time_budget`, `code_output_limit`)."""
        return cls(time_budget=settings.code_time_budget, output_limit=settings.code_output_limit)


# Code ticks at every loop, call, operation and piece of output, each a
# fraction of a microsecond of work: reading the clock at every tick cost a
# template with a 100-row loop a fifth of its time. Every 16th tick is still
# far more often than a budget of a second needs.
TICKS_PER_READING = 16


class Budget:
    """What is left of the limits for one request; raises `BudgetExceeded` past them."""

    def __init__(self, limits: Limits, clock=time.monotonic, *,
                 ticks_per_reading: int = TICKS_PER_READING):
        self.limits = limits
        self._clock = clock
        self.deadline = clock() + limits.time_budget
        self.output = 0
        self.allocated = 0
        self._ticks_per_reading = ticks_per_reading
        self._ticks_left = 1
        self.stopped: BudgetExceeded | None = None

    def stop(self, message: str, *, kind: str):
        """Stop the run for good: raise `BudgetExceeded`, now and at every later tick."""
        if self.stopped is None:
            self.stopped = BudgetExceeded(message, kind=kind)
        # Every later tick takes the slow path, which raises the stop again.
        self._ticks_left = 0
        raise self.stopped

    def raise_if_stopped(self) -> None:
        """Raise the stop again if the run was stopped (code may have swallowed it)."""
        if self.stopped is not None:
            raise self.stopped

    def tick(self) -> None:
        """Stop the run if its time is up (the clock is read every few ticks).

        Once the run is stopped, every tick stops it again: code that
        swallows one stop (`finally: continue`) meets the next at once.
        """
        self._ticks_left -= 1
        if self._ticks_left > 0:
            return
        self.raise_if_stopped()
        if self._clock() > self.deadline:
            self.stop(f"ran past its time budget of {self.limits.time_budget:g} s", kind="time")
        self._ticks_left = self._ticks_per_reading

    def charge_output(self, size: int) -> None:
        """Count `size` characters of output; stop the run past the output limit."""
        self.output += size
        if self.output > self.limits.output_limit:
            self.stop(f"produced more than {self.limits.output_limit} characters of output",
                      kind="output")

    def charge(self, units: int) -> None:
        """Count `units` of memory built by a guarded operation; stop the run past the allowance."""
        self.allocated += units
        if self.allocated > self.limits.max_allocation:
            self.stop(f"built more than {self.limits.max_allocation} bytes of values",
                      kind="memory")

    def check_text(self, size: int, what: str = "a text") -> int:
        """Return `size` if a text that long may be built; else stop the run."""
        if size > self.limits.output_limit:
            self.stop(f"tried to build {what} of {size} characters "
                      f"(at most {self.limits.output_limit})", kind="size")
        return size

    def check_items(self, count: int, what: str = "a collection") -> int:
        """Return `count` if a collection that long may be built; else stop the run."""
        if count > self.limits.max_items:
            self.stop(f"tried to build {what} of {count} items "
                      f"(at most {self.limits.max_items})", kind="size")
        return count

    def check_int_bits(self, bits: int) -> int:
        """Return `bits` if an integer that wide may be built; else stop the run."""
        if bits > self.limits.max_int_bits:
            self.stop(f"tried to build an integer of about {bits} bits "
                      f"(at most {self.limits.max_int_bits})", kind="size")
        return bits

    def check_cost(self, cost: int, what: str) -> int:
        """Return `cost` if one operation may do that much work at once; else stop the run."""
        limit = self.limits.max_operation_cost
        if cost > limit:
            self.stop(f"tried {what}, about {cost:,} units of work at once (at most {limit:,}; "
                      f"a unit is about a nanosecond)", kind="work")
        return cost

    def check_nesting(self, depth: int, what: str) -> int:
        """Return `depth` if a value nested that deep may be used for `what`; else stop the run."""
        if depth > self.limits.max_nesting:
            self.stop(f"tried {what} nested more than {self.limits.max_nesting} levels deep",
                      kind="size")
        return depth


def cost_of(value) -> int:
    """Return the allocation units a freshly built `value` takes (0 for small scalars).

    Counts the value itself: a text its characters, a container its items;
    what a container holds is counted by whoever built it (`fresh_cost`).
    """
    kind = type(value)
    if kind in _TEXTS:
        return _HEADERS[kind] + len(value)
    per_item = _PER_ITEM.get(kind)
    if per_item is None:
        return 0
    return _HEADERS[kind] + per_item * len(value)


def fresh_cost(value) -> int:
    """Return what `value` takes with the texts and tuples it holds, all made with it.

    For the results that come with new parts: the pieces of a split, the
    pairs of a dict's items.
    """
    total = cost_of(value)
    if type(value) in _PER_ITEM:
        parts = list(value.values()) if type(value) is dict else value
        kinds = frozenset(map(type, parts))
        if kinds <= frozenset(_TEXTS):
            total += _HEADERS[str] * len(parts) + sum(map(len, parts))
        elif kinds == {tuple}:
            total += sum(map(cost_of, parts))
    return total


def text_size(value, limit: int) -> int:
    """Return about how many characters `str(value)` has, or a number over `limit`.

    Walks containers without building their text, counting a part as often
    as it is printed; stops as soon as the total passes `limit`.
    """
    return text_measure(value, limit, float("inf"), lambda: None)[0]
