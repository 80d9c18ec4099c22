"""What the work Python does in C costs, estimated before it starts.

An operation done in C holds the interpreter's lock until it ends: no other
thread runs, and the time budget cannot stop it. So the guards estimate the
work of such an operation from its operands, in units of about a nanosecond
of one server core (the figures below were measured; `bench/sandbox_costs.py`
measures them again), and refuse it before it starts when the estimate is
over `Limits.max_operation_cost`. Sizes count every part of a value as often
as the operation reaches it: a list holding one long string a million times
costs a million strings, though it takes the memory of one.

Hashing a tuple and matching an exception against a tuple recurse in C
without Python's recursion limit: a tuple nested a few hundred thousand
levels deep crashes the process. Both are refused past `Limits.max_nesting`.
"""

import math
from itertools import chain

# The work of each step, in units of about a nanosecond.
ITEM = 10            # one item visited, copied or compared as a whole, in C
BYTES_PER_UNIT = 8   # bytes compared, copied or hashed per unit
BITS_PER_UNIT = 256  # integer bits compared or hashed per unit
SEARCH_CHAR = 4      # one character of a text searched for another
HASH_INSERT = 200    # one item put into a dict or a set
SORT_STEP = 20       # one comparison of a sort, besides what the items cost
SPLIT_PIECE = 150    # one piece a split makes
TRANSLATE_CHAR = 25  # one character of a text translated through a table
STRIP_PAIRS = 100    # pairs (character of the text, character to strip) per unit
JSON_CONTAINER = 500  # one list or dict JSON decoding makes
JSON_VALUE = 200     # one other value JSON decoding makes
POW_DIGIT_STEP = 2   # one (exponent bit x modulus digit x modulus digit) of pow()
INT_DIGIT_BITS = 30  # bits in one digit of a Python integer

# Text conversion: characters and work of each kind of value.
TEXT_ITEM = 50
FLOAT_TEXT = 450
INT_TEXT = 70
UNKNOWN_TEXT_SIZE = 100
_CYCLE_TEXT = (5, ITEM)   # a container met again inside itself prints as [...]

DICT_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
CONTAINERS = (list, tuple, dict, set, frozenset) + DICT_VIEWS
_CONTAINER_KINDS = frozenset(CONTAINERS)
_NUMBERS = frozenset({float, bool, complex, type(None)})
_INTEGERS = frozenset({int, bool})
_TEXTS = frozenset({str, bytes, bytearray})
_LEAVES = _NUMBERS | _INTEGERS | _TEXTS
_STEPS_PER_TICK = 4096


def _children(container):
    if type(container) is dict:
        return chain.from_iterable(container.items())
    return iter(container)


def _kinds(container) -> frozenset:
    if type(container) is dict:
        return frozenset(map(type, container)) | frozenset(map(type, container.values()))
    return frozenset(map(type, container))


def _all_items(container):
    return list(chain(container, container.values())) if type(container) is dict else container


class _Walk:
    """A walk over every part of a value, counting shared parts as often as they are reached.

    Each container is measured once (its measures are remembered by id);
    a container met again on its own path counts as `cycle`. The walk
    stops as soon as one of its totals passes its cap.
    """

    def __init__(self, leaf, flat, node, cycle, caps, tick):
        self.leaf, self.flat, self.node, self.cycle = leaf, flat, node, cycle
        self.caps, self.tick = caps, tick

    def over(self, measures) -> bool:
        return any(value > cap for value, cap in zip(measures, self.caps))

    def measure(self, value):
        """Return the measures of `value` (or totals over a cap, the walk stopped)."""
        if type(value) not in _CONTAINER_KINDS:
            return self.leaf(value)
        known: dict[int, tuple] = {}
        on_path: set[int] = set()
        kept = []           # keeps every container measured alive, so ids stay unique
        frames = []
        found = self._open(value, frames, known, on_path, kept)
        steps = 0
        while frames:
            frame = frames[-1]
            child = next(frame[1], frame)
            if child is frame:
                frames.pop()
                on_path.discard(frame[0])
                found = known[frame[0]] = tuple(frame[2])
                if frames:
                    self._add(frames[-1][2], found)
                continue
            self._add(frame[2], self._child(child, frames, known, on_path, kept))
            if self.over(frame[2]):
                return tuple(frame[2])
            steps += 1
            if steps % _STEPS_PER_TICK == 0:
                self.tick()
        return found

    @staticmethod
    def _add(totals: list, measures) -> None:
        for index, value in enumerate(measures):
            totals[index] += value

    def _child(self, child, frames, known, on_path, kept):
        if type(child) not in _CONTAINER_KINDS:
            return self.leaf(child)
        key = id(child)
        if key in known:
            return known[key]
        if key in on_path:
            return self.cycle
        return self._open(child, frames, known, on_path, kept)

    def _open(self, container, frames, known, on_path, kept):
        """Return the measures of a container of plain values at once, or start walking it."""
        kept.append(container)
        measures = self.flat(container)
        if measures is not None:
            known[id(container)] = measures
            return measures
        on_path.add(id(container))
        frames.append((id(container), _children(container), list(self.node(container))))
        return tuple(0 for _ in self.caps)


# -- comparing and hashing ------------------------------------------------------------------


def _compare_leaf(value) -> tuple:
    kind = type(value)
    if kind in _TEXTS:
        return (ITEM + len(value) // BYTES_PER_UNIT,)
    if kind is int:
        return (ITEM + value.bit_length() // BITS_PER_UNIT,)
    return (ITEM,)


def _compare_flat(container) -> tuple | None:
    kinds = _kinds(container)
    if not kinds <= _LEAVES:
        return None
    size = ITEM * (len(container) + 1)
    if kinds <= _TEXTS:
        size += sum(map(len, _all_items(container))) // BYTES_PER_UNIT
    elif kinds <= _INTEGERS:
        size += sum(map(int.bit_length, _all_items(container))) // BITS_PER_UNIT
    elif not kinds <= _NUMBERS:
        return None
    return (size,)


def _compare_node(container) -> tuple:
    return (ITEM,)


def walk_size(value, cap: int, tick) -> int:
    """Return the work of walking every part of `value` in C (comparing it), or more than `cap`."""
    walk = _Walk(_compare_leaf, _compare_flat, _compare_node, (ITEM,), (cap,), tick)
    return walk.measure(value)[0]


def nesting_and_size(value, cap: int, deepest: int, tick) -> tuple[int, int]:
    """Return how deep tuples nest in `value` and the work of hashing it (tuples are walked).

    Strings, integers and frozensets hash in one pass or from a cached
    hash; only tuples are hashed part by part, recursively. Stops early
    once the work passes `cap` or the nesting passes `deepest`.
    """
    if type(value) is not tuple:
        return 0, _compare_leaf(value)[0]
    known: dict[int, tuple[int, int]] = {}
    frames = [(value, iter(value), [1, ITEM])]
    steps = 0
    while frames:
        tuple_, items, totals = frames[-1]
        item = next(items, frames)
        if item is frames:
            frames.pop()
            known[id(tuple_)] = (totals[0], totals[1])
            if not frames:
                return totals[0], totals[1]
            parent = frames[-1][2]
            parent[0] = max(parent[0], totals[0] + 1)
            parent[1] += totals[1]
            continue
        if type(item) is not tuple:
            totals[1] += _compare_leaf(item)[0]
        elif id(item) in known:
            depth, size = known[id(item)]
            totals[0] = max(totals[0], depth + 1)
            totals[1] += size
        else:
            frames.append((item, iter(item), [1, ITEM]))
        if totals[1] > cap or len(frames) > deepest:
            return len(frames), totals[1]
        steps += 1
        if steps % _STEPS_PER_TICK == 0:
            tick()
    return 0, 0  # pragma: no cover (the root frame always returns)


# -- text --------------------------------------------------------------------------------


def _text_leaf(value) -> tuple:
    kind = type(value)
    if kind in _TEXTS:
        return len(value) + 3, TEXT_ITEM + len(value) // 2
    if kind is int:
        bits = value.bit_length()
        return bits // 3 + 2, INT_TEXT + bits // 4
    if kind is float:
        return 25, FLOAT_TEXT
    if kind is complex:
        return 50, 2 * FLOAT_TEXT
    if kind is bool or value is None:
        return 5, ITEM
    return UNKNOWN_TEXT_SIZE, 2 * UNKNOWN_TEXT_SIZE


_FIXED_TEXT = {float: (25, FLOAT_TEXT), complex: (50, 2 * FLOAT_TEXT), bool: (5, ITEM),
               type(None): (5, ITEM)}


def _text_flat(container) -> tuple | None:
    kinds = _kinds(container)
    count = len(container) * (2 if type(container) is dict else 1)
    chars, cost = 2 + 2 * count, TEXT_ITEM + ITEM * count
    if kinds <= _TEXTS:
        length = sum(map(len, _all_items(container)))
        return chars + length + 3 * count, cost + TEXT_ITEM * count + length // 2
    if kinds <= _INTEGERS:
        bits = sum(map(int.bit_length, _all_items(container)))
        return chars + bits // 3 + 2 * count, cost + INT_TEXT * count + bits // 4
    if kinds <= _FIXED_TEXT.keys():
        widest = max((_FIXED_TEXT[kind] for kind in kinds), default=(0, 0))
        return chars + widest[0] * count, cost + widest[1] * count
    return None


def _text_node(container) -> tuple:
    count = len(container) * (2 if type(container) is dict else 1)
    return 2 + 2 * count, TEXT_ITEM + ITEM * count


def text_measure(value, limit: int, cap: int, tick) -> tuple[int, int]:
    """Return about how many characters `str(value)` has and the work of writing them.

    Walks containers without building their text, so that a list holding
    the same long string a million times is measured, not printed. Stops
    as soon as the characters pass `limit` or the work passes `cap`.
    """
    walk = _Walk(_text_leaf, _text_flat, _text_node, _CYCLE_TEXT, (limit, cap), tick)
    return walk.measure(value)


# -- operations ---------------------------------------------------------------------------

HASHED_KINDS = (dict, set, frozenset, DICT_VIEWS[0])


def contains_cost(container, item, cap: int, tick) -> int:
    """Return the work of `item in container` for a plain container (hashing excepted)."""
    kind = type(container)
    if kind in _TEXTS:
        return SEARCH_CHAR * len(container)
    if kind in HASHED_KINDS:
        return walk_size(item, cap, tick)
    if kind is range and type(item) in _INTEGERS or not hasattr(kind, "__len__"):
        return ITEM
    count = len(container)
    if count == 0:
        return ITEM
    return count * (ITEM + walk_size(item, cap // count + 1, tick))


def sort_cost(items: list, cap: int, tick) -> int:
    """Return the work of sorting `items`."""
    count = len(items)
    if count < 2:
        return ITEM
    comparisons = count * max(1, math.ceil(math.log2(count)))
    if comparisons * SORT_STEP > cap:
        return comparisons * SORT_STEP
    return comparisons * (SORT_STEP + largest_item(items, cap // comparisons + 1, tick))


def largest_item(items: list, cap: int, tick) -> int:
    """Return the work of comparing the largest of `items` as a whole (0 for plain numbers)."""
    kinds = frozenset(map(type, items))
    if kinds <= _NUMBERS:
        return 0
    if kinds <= _TEXTS:
        return max(map(len, items)) // BYTES_PER_UNIT
    if kinds <= _INTEGERS:
        return max(map(int.bit_length, items)) // BITS_PER_UNIT
    largest = 0
    for item in items:
        largest = max(largest, walk_size(item, cap, tick))
        if largest > cap:
            break
    return largest


def hashing_cost(items, cap: int, tick) -> int:
    """Return the work of putting `items` into a dict or a set (their hashes included).

    Tuples among them are hashed part by part; their nesting is checked by
    the caller, item by item (`nesting_and_size`).
    """
    count = len(items)
    cost = count * HASH_INSERT
    if cost > cap:
        return cost
    kinds = frozenset(map(type, items))
    if kinds <= _TEXTS:
        return cost + sum(map(len, items)) // BYTES_PER_UNIT
    if tuple not in kinds:
        return cost
    for item in items:
        cost += walk_size(item, cap, tick) if type(item) is tuple else ITEM
        if cost > cap:
            break
    return cost


def modular_pow_cost(base: int, exponent: int, modulus: int) -> int:
    """Return the work of `pow(base, exponent, modulus)`: a product and a division per bit.

    The numbers multiplied grow up to the modulus, no further; a negative
    exponent adds an inverse, about as much work as two steps.
    """
    modulus_bits = abs(modulus).bit_length()
    steps = abs(exponent).bit_length()
    power_bits = abs(exponent) * math.log2(abs(base) or 1) + 1 if steps < 64 else modulus_bits
    digits = int(min(modulus_bits, power_bits)) // INT_DIGIT_BITS + 1
    if exponent < 0:
        inverse_digits = modulus_bits // INT_DIGIT_BITS + 1
        steps += 2 * (inverse_digits * inverse_digits) // (digits * digits)
    return steps * digits * digits * POW_DIGIT_STEP


def json_decoding(text) -> tuple[int, int]:
    """Return the work of decoding the JSON `text` and the memory its values may take.

    Counted from the characters that open values, before decoding: every
    container or value costs its work and its memory whatever it holds.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    containers = text.count("[") + text.count("{")
    values = text.count(",") + text.count(":") + 1
    work = containers * JSON_CONTAINER + values * JSON_VALUE + len(text)
    memory = containers * 64 + values * 56 + 4 * len(text)
    return work, memory
