"""The worst work in C code may still do at once: how long each operation the sandbox allows takes.

    .venv/bin/python bench/sandbox_costs.py              # prints the table
    .venv/bin/python bench/sandbox_costs.py --write      # and updates bench/RESULTS.md

Work done in C holds the interpreter's lock: while it runs, no other request
does. The sandbox estimates the work of each such operation and refuses it
past `Limits.max_operation_cost` (`objweb/sandbox/costs.py`). For each
kind of operation, this script finds the largest operands the sandbox's own
checks still allow under the default limits, with the worst contents for
that operation (texts equal but for their last character, random numbers to
sort, strings a split cuts into the most pieces), runs the operation itself
in C, and prints the CPU time it took (the best of a few runs: other work on
the machine only adds to it), the work estimated, and nanoseconds per unit
of work. The goal: no operation allowed holds the process more than 100 ms.
"""

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from objweb.sandbox import costs  # noqa: E402
from objweb.sandbox.budget import Budget, BudgetExceeded, Limits  # noqa: E402
from objweb.sandbox.work import (  # noqa: E402
    check_compare, check_contains, check_keys, check_sort, check_text)

RESULTS = HERE / "RESULTS.md"
HEADING = "## Work done in C by code"
GOAL_MS = 100
LIMITS = Limits()
CAP = LIMITS.max_operation_cost


def allowed(check) -> bool:
    """Whether the sandbox lets `check(budget)` through under the default limits."""
    try:
        check(Budget(LIMITS))
    except BudgetExceeded:
        return False
    return True


def largest(check, low: int = 1, high: int = 10**8) -> int:
    """Return the largest n in [low, high] that `check(budget, n)` allows (allowed is monotonic)."""
    while low < high:
        middle = (low + high + 1) // 2
        if allowed(lambda budget: check(budget, middle)):
            low = middle
        else:
            high = middle - 1
    return low


def timed(operation, runs: int = 3) -> float:
    """Return the least CPU time, in ms, `operation()` took over `runs` runs."""
    best = math.inf
    for _ in range(runs):
        start = time.process_time()
        operation()
        best = min(best, time.process_time() - start)
    return best * 1000


def _texts(length: int) -> tuple[str, str]:
    return "x" * length, "x" * (length - 1) + "y"


# Each probe returns (what was allowed, the operation, its estimated work).


def probe_compare():
    # Equal texts, but not the same object: each comparison reads both to the end.
    first, second = "x" * 10**6, "".join(["x"] * 10**6)
    count = largest(lambda budget, n: check_compare(budget, [first] * n, [second] * n), 1, 10**6)
    left, right = [first] * count, [second] * count
    return (f"two lists of {count} equal texts of 10^6 characters",
            lambda: left == right, costs.walk_size(left, CAP * 10, lambda: None))


def probe_contains():
    first, second = _texts(10**6)
    count = largest(lambda budget, n: check_contains(budget, [first] * n, second), 1, 10**6)
    haystack = [first] * count
    return (f"a text in a list of {count} texts of 10^6 characters", lambda: second in haystack,
            costs.contains_cost(haystack, second, CAP * 10, lambda: None))


def probe_sort_numbers():
    def check(budget, n):
        check_sort(budget, list(range(n)))
    count = largest(check, 2, 10**6)
    numbers = [random.random() for _ in range(count)]
    return (f"sorted() of {count} random floats", lambda: sorted(numbers),
            costs.sort_cost(numbers, CAP * 10, lambda: None))


def probe_sort_texts():
    first, second = _texts(10**4)
    count = largest(lambda budget, n: check_sort(budget, [first, second] * n), 1, 10**6)
    texts = [first, second] * count
    random.shuffle(texts)
    return (f"sorted() of {2 * count} texts of 10^4 characters, equal but the last",
            lambda: sorted(texts), costs.sort_cost(texts, CAP * 10, lambda: None))


def probe_set():
    count = largest(lambda budget, n: check_keys(budget, list(range(n)), "a set"), 1, 10**6)
    numbers = random.sample(range(10**9), count)
    return (f"set() of {count} random integers", lambda: set(numbers),
            costs.hashing_cost(numbers, CAP * 10, lambda: None))


def probe_dict():
    count = largest(lambda budget, n: check_keys(budget, list(range(n)), "a dict"), 1, 10**6)
    keys = [str(n) for n in random.sample(range(10**9), count)]
    return (f"dict.fromkeys() of {count} new texts", lambda: dict.fromkeys(keys),
            costs.hashing_cost(keys, CAP * 10, lambda: None))


def probe_hash_shared_tuple():
    def check(budget, n):
        inner = (1,) * n
        costs_ = costs.nesting_and_size((inner,) * n, CAP, LIMITS.max_nesting, budget.tick)
        budget.check_cost(costs_[1], "to hash")
    count = largest(check, 1, 10**4)
    value = ((1,) * count,) * count
    return (f"hash() of a tuple of {count} times one tuple of {count}", lambda: hash(value),
            costs.nesting_and_size(value, CAP * 10, 100, lambda: None)[1])


def _text_probe(name, values, convert):
    count = largest(lambda budget, n: check_text(budget, values[:n], "a text"), 1, len(values))
    chosen = values[:count]
    return (f"{name} of {count} items", lambda: convert(chosen),
            costs.text_measure(chosen, math.inf, math.inf, lambda: None)[1])


def probe_str_floats():
    return _text_probe("str() of a list of random floats",
                       [random.random() for _ in range(10**6)], str)


def probe_json_floats():
    return _text_probe("json.dumps() of a list of random floats",
                       [random.random() for _ in range(10**6)], json.dumps)


def probe_str_integers():
    return _text_probe("str() of a list of random integers",
                       [random.randrange(10**18) for _ in range(10**6)], str)


def _json_probe(name, item: str):
    def check(budget, n):
        text = "[" + ",".join([item] * n) + "]"
        budget.check_cost(costs.json_decoding(text)[0], "to decode")
    count = largest(check, 1, 10**6)
    text = "[" + ",".join([item] * count) + "]"
    return (f"json.loads() of {name}: {count} of them", lambda: json.loads(text),
            costs.json_decoding(text)[0])


def probe_json_lists():
    return _json_probe("empty lists", "[]")


def probe_json_floats_loaded():
    return _json_probe("floats", "0.123456789")


def probe_split():
    pieces = CAP // costs.SPLIT_PIECE
    text = "ab " * pieces
    return (f"str.split() of a text into {pieces} pieces (the most allowed)",
            lambda: text.split(), pieces * costs.SPLIT_PIECE)


def probe_splitlines():
    lines = (CAP - LIMITS.output_limit) // costs.SPLIT_PIECE
    text = "ab\n" * lines
    return (f"str.splitlines() of a text of {lines} lines", lambda: text.splitlines(),
            lines * costs.SPLIT_PIECE)


def probe_translate():
    length = min(CAP // costs.TRANSLATE_CHAR, LIMITS.output_limit // 2)
    text = "a" * length
    return (f"str.translate() of {length} characters, each into two",
            lambda: text.translate({97: "bc"}), length * costs.TRANSLATE_CHAR)


def probe_strip():
    length = 10**6
    chars = (CAP - length) * costs.STRIP_PAIRS // length
    text, strip = "a" * length, "b" * chars + "a"
    return (f"str.strip() of {length} characters, given {chars + 1} characters",
            lambda: text.strip(strip), length * (chars + 1) // costs.STRIP_PAIRS + length)


def probe_search():
    text = "a" * LIMITS.output_limit
    needle = "a" * 49 + "b" + "a" * 50
    return (f"str.find() in {len(text)} characters, the worst pattern of 100",
            lambda: text.find(needle), costs.SEARCH_CHAR * len(text))


def probe_pow():
    def check(budget, bits):
        modulus = 2**bits - 1
        budget.check_cost(costs.modular_pow_cost(3, modulus, modulus), "pow")
    bits = largest(check, 64, LIMITS.max_int_bits)
    modulus = 2**bits - 1 - 2**(bits // 2)
    exponent = modulus - 3
    return (f"pow(3, e, m) with e and m of {bits} bits", lambda: pow(3, exponent, modulus),
            costs.modular_pow_cost(3, exponent, modulus))


def probe_division():
    bits = LIMITS.max_int_bits
    left = random.getrandbits(bits) | 1 << (bits - 1)
    right = random.getrandbits(bits // 2) | 1 << (bits // 2 - 1)
    return (f"divmod() of integers of {bits} and {bits // 2} bits (the largest allowed)",
            lambda: divmod(left, right), 0)


def probe_product():
    bits = LIMITS.max_int_bits // 2
    left, right = random.getrandbits(bits), random.getrandbits(bits)
    return (f"the product of two integers of {bits} bits", lambda: left * right, 0)


def probe_factorial():
    number = 1
    while (number + 1) * (number + 1).bit_length() <= LIMITS.max_int_bits:
        number += 1
    return (f"math.factorial({number}) (the largest allowed)",
            lambda: math.factorial(number), 0)


def probe_repeat_and_join():
    part = "x" * 10
    parts = [part] * (LIMITS.output_limit // 10)
    return (f"''.join() of {len(parts)} texts into {LIMITS.output_limit} characters",
            lambda: "".join(parts), 0)


def probe_list_of_range():
    return (f"list(range({LIMITS.max_items})) (the most items allowed)",
            lambda: list(range(LIMITS.max_items)), 0)


PROBES = [probe_compare, probe_contains, probe_sort_numbers, probe_sort_texts, probe_set,
          probe_dict, probe_hash_shared_tuple, probe_str_floats, probe_json_floats,
          probe_str_integers, probe_json_lists, probe_json_floats_loaded, probe_split,
          probe_splitlines, probe_translate, probe_strip, probe_search, probe_pow,
          probe_division, probe_product, probe_factorial, probe_repeat_and_join,
          probe_list_of_range]


def measure() -> list[tuple[str, float, int]]:
    rows = []
    for probe in PROBES:
        what, operation, work = probe()
        milliseconds = timed(operation)
        rows.append((what, milliseconds, work))
        print(f"{milliseconds:8.1f} ms  {work:>14,}  {what}", flush=True)
    return rows


def section(rows, machine: str) -> str:
    worst = max(rows, key=lambda row: row[1])
    verdict = "met" if worst[1] <= GOAL_MS else "NOT met"
    lines = [HEADING, "",
             f"{machine}. `bench/sandbox_costs.py`: for each kind of operation done in C, "
             f"the largest operands the sandbox allows under the default limits "
             f"(`max_operation_cost` {CAP:,} units, `output_limit` {LIMITS.output_limit:,}, "
             f"`max_items` {LIMITS.max_items:,}, `max_int_bits` {LIMITS.max_int_bits:,}), "
             f"and the CPU time the operation took (best of 3; CPU time leaves out the "
             f"waits other work on the machine causes). Measuring the operands is Python "
             f"and lets other threads run; only the operation itself holds the lock.", "",
             f"**Goal (no operation allowed holds the process more than {GOAL_MS} ms): "
             f"{verdict}**; the slowest: {worst[0]}, {worst[1]:.1f} ms.", "",
             "| operation allowed | ms | units estimated | ns per unit |",
             "| --- | ---: | ---: | ---: |"]
    for what, milliseconds, work in sorted(rows, key=lambda row: -row[1]):
        per_unit = f"{milliseconds * 1e6 / work:.2f}" if work else "—"
        lines.append(f"| {what} | {milliseconds:.1f} | {work:,} | {per_unit} |")
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    current = RESULTS.read_text()
    pattern = re.compile(re.escape(HEADING) + r".*?(?=\n## |\Z)", re.DOTALL)
    if HEADING in current:
        updated = pattern.sub(text.rstrip("\n"), current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--machine", default="", help="the sentence saying where it ran")
    chosen = parser.parse_args()
    random.seed(12)
    rows = measure()
    text = section(rows, chosen.machine or machine_line())
    print("\n" + text)
    if chosen.write:
        write(text)


def machine_line() -> str:
    import datetime
    import os
    import platform
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{when}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
