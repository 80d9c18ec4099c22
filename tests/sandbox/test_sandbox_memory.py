"""The memory allowance counts what values hold, not only their top-level length.

One request held about 650 MiB against an allowance of 256 MiB through
nested `json.loads`: a list of lists counted as its outer length. Now what a
JSON text decodes to is charged from the text before it is decoded, the
pieces of a split and the pairs of `items()` with their lists, and the
lists, tuples, dicts and sets code builds with displays, comprehensions,
appends and item writes as they are built. Each case keeps what it builds,
so that only the allowance can stop it, and a small allowance stops it long
before the time budget could.
"""

import pytest

from objweb.sandbox import CodeLimitError, Limits

# An hour of time: on a loaded machine under coverage, a minute was once
# spent before the allowance was reached, and only the allowance may stop these.
SMALL = Limits(time_budget=3600, max_allocation=4 << 20)
NESTED_JSON = "'[' + ','.join(['[1, 2, 3]'] * 30000) + ']'"


def test_finding_13_nested_json_counts_against_the_allowance(run_script):
    body = (f"import json\ntext = {NESTED_JSON}\nkept = []\n"
            "for n in range(20):\n    kept.append(json.loads(text))\nreturn len(kept)")
    with pytest.raises(CodeLimitError) as caught:
        run_script(body, limits=Limits(time_budget=3600, max_allocation=32 << 20))
    assert caught.value.kind == "memory"
    assert "bytes of values" in str(caught.value)


@pytest.mark.parametrize("body", [
    "text = 'ab ' * 100000\nkept = []\nwhile True:\n    kept.append(text.split())",
    "text = 'ab\\n' * 100000\nkept = []\nwhile True:\n    kept.append(text.splitlines())",
    "text = 'a=b' * 1000\nkept = []\nwhile True:\n    kept.append(text.partition('='))",
    "d = {}.fromkeys(range(100000))\nkept = []\nwhile True:\n    kept.append(list(d.items()))",
    "kept = []\nwhile True:\n    kept.append(list(enumerate(range(1000))))",
    "kept = []\nwhile True:\n    kept.append([(n, n) for n in range(1000)])",
    "kept = []\nwhile True:\n    kept.append({n: [n] for n in range(1000)})",
    "kept = []\nwhile True:\n    kept.append({(n, 1) for n in range(1000)})",
    "kept = []\nwhile True:\n    kept.append([[], [], [], [], []])",
    "kept = []\nn = 0\nwhile True:\n    kept.append(n)\n    n += 1",
    "kept = set()\nn = 0\nwhile True:\n    kept.add((n, n))\n    n += 1",
    "kept = {}\nn = 0\nwhile True:\n    kept[n] = (n, n)\n    n += 1",
    "kept = []\nwhile True:\n    kept[len(kept):] = range(1000)",
])
def test_values_built_a_piece_at_a_time_count_against_the_allowance(run_script, body):
    with pytest.raises(CodeLimitError) as caught:
        run_script(body, limits=SMALL)
    assert caught.value.kind == "memory"


def test_values_of_a_bearable_size_are_built(run_script):
    body = (f"import json\nvalue = json.loads({NESTED_JSON})\n"
            "pairs = [(n, [n]) for n in range(1000)]\nreturn [len(value), len(pairs)]")
    assert run_script(body, limits=Limits(max_allocation=16 << 20)) == [30000, 1000]
