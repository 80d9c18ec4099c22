"""Hostile work done in C: every operation code can reach is refused before it starts.

Work done in C holds the interpreter's lock, so a thread running it freezes
every other request, and the time budget cannot stop it; some of it (hashing
a deeply nested tuple) crashes the process. Each case below is code a user
who may write Scripts or Templates could save. Run with the default limits
(but a long time budget, so that only the guards refuse), it must be refused
with the sandbox's limit error (`CodeLimitError`, of the kind named), or,
where Python itself refuses safely, with that error; and the process must
live on to run the next case. No case asserts a time.

`bench/sandbox_costs.py` measures how long the worst operation still allowed
takes (`bench/RESULTS.md`, section "Work done in C by code").
"""

from dataclasses import dataclass

import pytest

from objweb.sandbox import CodeError, CodeLimitError, Limits

# The default limits, but for time: the refusals below come from the guards,
# never from the time budget, however slow the machine (coverage included).
LIMITS = Limits(time_budget=60)
# Memory built up a piece at a time meets a smaller allowance, for the same reason.
SMALL_ALLOWANCE = Limits(time_budget=60, max_allocation=16 << 20)
TEXTS = "s = 'x' * 10**7\nt = 'x' * (10**7 - 1) + 'y'\n"
# Far deeper than the nesting allowed (the crash needs some 200,000 levels:
# tests/http/test_code_costs.py builds those, in a process of its own).
DEEP = "deep = ()\nfor n in range(5000):\n    deep = (deep,)\n"
WIDE = "a = (1,) * 1000\nb = (a,) * 1000\nwide = (b,) * 1000\n"
DEEP_LIST = "deep = []\nfor n in range(5000):\n    deep = [deep]\n"


@dataclass(frozen=True)
class Case:
    """One hostile operation, and how it must be refused.

    `refusal` is a kind of `CodeLimitError` (`work`, `size`, `memory`,
    `output`) or the name of the Python error that refuses it safely.
    """

    name: str
    source: str
    refusal: str
    template: bool = False
    limits: Limits = LIMITS

    def __str__(self) -> str:
        return self.name


CASES = [
    # -- arithmetic on big integers --
    Case("pow_three_arguments", "return pow(3, 2**131000, 2**131071 - 1)", "work"),
    Case("pow_operator_modulus", "return pow(7, 2**4000 + 1, 2**100000 + 1)", "work"),
    Case("pow_inverse", "return pow(3, -(2**5000), 2**131000 + 1)", "work"),
    Case("power", "return 2 ** 10**10", "size"),
    Case("power_near_the_limit", "return 3 ** 10**6", "size"),
    Case("shift", "return 1 << 10**10", "size"),
    Case("product", "x = 2**100000\nreturn x * x", "size"),
    Case("sum_doubling", "x = 2**131000\nwhile True:\n    x = x + x", "size"),
    Case("difference_doubling", "x = 2**131000\nwhile True:\n    x = x - (-x)", "size"),
    Case("int_from_hexadecimal", "return int('f' * 100000, 16)", "size"),
    Case("int_from_binary", "return int('1' * 200000, 2)", "size"),
    Case("int_from_long_decimal", "return int('9' * 5000)", "ValueError"),
    Case("str_of_big_int", "return str(2**100000)", "ValueError"),
    Case("integer_literal", "return 0x" + "f" * 40000, "SourceError"),
    Case("round_to_huge", "return round(5, -10**8)", "size"),
    # -- repetition and joining --
    Case("repeat_text", "return 'x' * 10**10", "size"),
    Case("repeat_list", "return [0] * 10**8", "size"),
    Case("join_texts", "return 'x' * 10**7 + 'y' * 10**7", "size"),
    Case("join_many", "s = 'x' * 10**6\nreturn ''.join([s] * 10**6)", "size"),
    Case("list_of_a_text", "return list('x' * 10**7)", "size"),
    Case("range_list", "return list(range(10**8))", "size"),
    # -- containment and comparison --
    Case("in_repeated_list", TEXTS + "return t in [s] * 10**6", "work"),
    Case("not_in_repeated_list", TEXTS + "return t not in [s] * 10**6", "work"),
    Case("in_tuple", TEXTS + "return t in tuple([s] * 10**6)", "work"),
    Case("in_dict_values", TEXTS + "return t in {}.fromkeys(range(10**5), s).values()",
         "work"),
    Case("compare_lists", TEXTS + "return [s] * 10**6 == [t] * 10**6", "work"),
    Case("order_lists", TEXTS + "return [s] * 10**6 < [t] * 10**6", "work"),
    Case("compare_chain", TEXTS + "return 0 < 1 < 2 and [s] * 10**6 == [t] * 10**6", "work"),
    Case("compare_nested", TEXTS + "return [[s] * 1000] * 1000 == [[t] * 1000] * 1000",
         "work"),
    Case("compare_deep_lists", DEEP_LIST + "other = []\nfor n in range(5000):\n"
                                           "    other = [other]\nreturn deep == other",
         "RecursionError"),
    Case("list_count", TEXTS + "return ([s] * 10**6).count(t)", "work"),
    Case("list_index", TEXTS + "return ([s] * 10**6).index(t)", "work"),
    Case("list_remove", TEXTS + "return ([s] * 10**6).remove(t)", "work"),
    Case("tuple_count", TEXTS + "return tuple([s] * 10**6).count(t)", "work"),
    Case("max_of_two", TEXTS + "return max([s] * 1000, [t] * 1000)", "work"),
    Case("max_of_many", TEXTS + "return max([[s] * 1000, [t] * 1000] * 10)", "work"),
    Case("min_with_key", TEXTS + "return min([[s] * 1000, [t] * 1000] * 10, key=lambda v: v)",
         "work"),
    Case("unpack_endless", "def forever():\n    while True:\n        yield 1\n"
                           "return max(*forever())", "size"),
    # -- sorting --
    Case("sort_million_texts", TEXTS + "return sorted([t, s] * 500000)", "work"),
    Case("sort_long_texts", TEXTS + "return sorted([t, s] * 1000)", "work"),
    Case("sort_with_key", TEXTS + "return sorted([t, s] * 1000, key=lambda v: v)", "work"),
    Case("sort_reversed", TEXTS + "return sorted([t, s] * 1000, reverse=True)", "work"),
    Case("list_sort", TEXTS + "x = [t, s] * 1000\nx.sort()\nreturn x", "work"),
    Case("sort_nested", TEXTS + "return sorted([[t] * 100, [s] * 100] * 100)", "work"),
    Case("sort_million_numbers", "return sorted(range(10**6))", "work"),
    # -- hashing, sets and dicts --
    Case("hash_deep_tuple", DEEP + "return hash(deep)", "size"),
    Case("deep_tuple_dict_key", DEEP + "return {deep: 1}", "size"),
    Case("deep_tuple_set_element", DEEP + "return {deep}", "size"),
    Case("deep_tuple_stored_key", DEEP + "x = {}\nx[deep] = 1", "size"),
    Case("deep_tuple_read_key", DEEP + "return {}[deep]", "size"),
    Case("deep_tuple_deleted_key", DEEP + "x = {}\ndel x[deep]", "size"),
    Case("deep_tuple_in_set", DEEP + "return deep in {1}", "size"),
    Case("deep_tuple_set_of", DEEP + "return set([deep])", "size"),
    Case("deep_tuple_frozenset", DEEP + "return frozenset([deep])", "size"),
    Case("deep_tuple_dict_of", DEEP + "return dict([(deep, 1)])", "size"),
    Case("deep_tuple_dict_get", DEEP + "return {}.get(deep)", "size"),
    Case("deep_tuple_set_add", DEEP + "x = set()\nx.add(deep)", "size"),
    Case("deep_tuple_union", DEEP + "return {1}.union([deep])", "size"),
    Case("deep_tuple_fromkeys", DEEP + "return {}.fromkeys([deep])", "size"),
    Case("deep_tuple_update", DEEP + "x = {}\nx.update([(deep, 1)])", "size"),
    Case("deep_tuple_dict_operator", DEEP + "x = {}\nx |= [(deep, 1)]", "size"),
    Case("deep_tuple_view_operator", DEEP + "return {}.keys() | [deep]", "size"),
    Case("deep_tuple_comprehension", DEEP + "return {n: 1 for n in [deep]}", "size"),
    Case("deep_tuple_unpacked_in_a_set", DEEP + "return {*[deep]}", "size"),
    Case("deep_tuple_except", DEEP.replace("deep = ()", "deep = ValueError")
         + "try:\n    raise KeyError(1)\nexcept deep:\n    pass", "size"),
    Case("hash_wide_shared_tuple", WIDE + "return hash(wide)", "work"),
    Case("set_of_a_million", "return set(range(10**6))", "work"),
    Case("dict_of_a_million", "return {}.fromkeys(range(10**6))", "work"),
    Case("view_union", "return {}.keys() | list(range(10**6))", "work"),
    Case("set_union", "a = set(range(200000))\nb = set(range(200000, 400000))\n"
                      "c = a | b\nd = c | a\nreturn (d | c) | (c | d)", "work"),
    # -- text --
    Case("str_of_shared_list", "s = 'x' * 10**6\nreturn str([s] * 10**6)", "size"),
    Case("str_of_nested_sharing", "a = ['x' * 1000] * 1000\nb = [a] * 1000\nreturn str(b)",
         "size"),
    Case("str_of_floats", "return str([1.5] * 300000)", "work"),
    Case("repr_of_floats", "return repr([1.5] * 300000)", "work"),
    Case("format_of_floats", "return format([1.5] * 300000)", "work"),
    Case("fstring_of_floats", "x = [1.5] * 300000\nreturn f'{x}'", "work"),
    Case("percent_of_floats", "return '%s' % ([1.5] * 300000,)", "work"),
    Case("print_floats", "print([1.5] * 300000)\nreturn printed", "work"),
    Case("str_of_deep_list", DEEP_LIST + "return str(deep)", "RecursionError"),
    Case("center", "return 'x'.center(10**10)", "size"),
    Case("ljust", "return 'x'.ljust(10**9)", "size"),
    Case("zfill", "return 'x'.zfill(10**9)", "size"),
    Case("expandtabs", "return '\\t'.expandtabs(10**9)", "size"),
    Case("replace", "return ('a' * 10**6).replace('a', 'b' * 100)", "size"),
    Case("replace_empty", "return ('a' * 10**6).replace('', 'b' * 100)", "size"),
    Case("format_width", "return '{:>10000000000}'.format('x')", "ValueError"),
    Case("percent_width", "return '%10000000000s' % 'x'", "ValueError"),
    Case("split", "return (' a' * 4 * 10**6).split()", "work"),
    Case("split_separator", "return (',a' * 4 * 10**6).split(',')", "work"),
    Case("rsplit", "return (' a' * 4 * 10**6).rsplit()", "work"),
    Case("splitlines", "return ('a\\n' * 4 * 10**6).splitlines()", "work"),
    Case("translate", "return ('a' * 10**7).translate({97: 'b'})", "work"),
    Case("strip_many_characters", "return ('a' * 10**7).strip('b' * 10**4 + 'a')", "work"),
    Case("lstrip_many_characters", "return ('a' * 10**7).lstrip('b' * 10**4 + 'a')", "work"),
    Case("bytes_of_size", "return bytes(10**10)", "size"),
    Case("to_bytes", "return (1).to_bytes(10**10, 'big')", "size"),
    # -- modules --
    Case("factorial", "import math\nreturn math.factorial(10**6)", "size"),
    Case("comb", "import math\nreturn math.comb(10**6, 5 * 10**5)", "size"),
    Case("perm", "import math\nreturn math.perm(10**6, 10**5)", "size"),
    Case("prod", "import math\nreturn math.prod([2**1000] * 1000)", "size"),
    Case("lcm", "import math\nreturn math.lcm(*range(1, 100000))", "size"),
    Case("json_dumps_floats", "import json\nreturn json.dumps([1.5] * 300000)", "work"),
    Case("json_dumps_shared", "import json\ns = 'x' * 10**6\nreturn json.dumps([s] * 10**6)",
         "size"),
    Case("json_dumps_indent", "import json\nreturn json.dumps([1], indent=10**9)", "ValueError"),
    Case("json_loads_lists", "import json\nreturn json.loads('[' + '[],' * 2000000 + '[]]')",
         "work"),
    Case("json_loads_numbers", "import json\nreturn json.loads('[' + '1,' * 10**6 + '1]')",
         "work"),
    Case("json_loads_deep", "import json\nreturn json.loads('[' * 100000 + ']' * 100000)",
         "work"),
    Case("json_loads_kept", "import json\ntext = '[' + '[1, 2],' * 30000 + '1]'\nkept = []\n"
                            "while True:\n    kept.append(json.loads(text))", "memory",
         limits=SMALL_ALLOWANCE),
    Case("capwords", "import string\nreturn string.capwords('a ' * 4 * 10**6)", "work"),
    Case("random_choices", "import random\nreturn random.choices([1], k=10**10)", "size"),
    Case("random_bits", "import random\nreturn random.getrandbits(10**9)", "size"),
    # -- memory built up a piece at a time --
    Case("lists_appended", "kept = []\nwhile True:\n    kept.append([0] * 1000)", "memory",
         limits=SMALL_ALLOWANCE),
    Case("dicts_displayed", "kept = []\nwhile True:\n    kept.append({'a': [0] * 1000})",
         "memory", limits=SMALL_ALLOWANCE),
    Case("comprehension_of_lists", "kept = []\nwhile True:\n"
                                   "    kept.append([[n] * 100 for n in range(1000)])",
         "memory", limits=SMALL_ALLOWANCE),
    Case("pairs_collected", "d = {}.fromkeys(range(100000))\nkept = []\nwhile True:\n"
                            "    kept.append(list(d.items()))", "memory", limits=SMALL_ALLOWANCE),
    Case("pieces_kept", "text = 'ab ' * 100000\nkept = []\nwhile True:\n"
                        "    kept.append(text.split())", "memory", limits=SMALL_ALLOWANCE),
    Case("dict_entries_written", "d = {}\nn = 0\nwhile True:\n    d[n] = [n] * 100\n"
                                 "    n += 1", "memory", limits=SMALL_ALLOWANCE),
    # -- templates --
    Case("template_floats", '<p tal:content="python: [1.5] * 300000"/>', "work", True),
    Case("template_in", '<p tal:define="s python: \'x\' * 10**7; '
                        't python: \'x\' * (10**7 - 1) + \'y\'" '
                        'tal:content="python: t in [s] * 10**6"/>', "work", True),
    Case("template_sort", '<p tal:repeat="x python: sorted([str(n) for n in range(2000)] * 100)"'
                          ' tal:content="x"/>', "work", True),
    Case("template_deep_key", '<p tal:define="d python: {}" '
                              'tal:content="python: d.get(((((((1,),),),),),))"/>', "size",
         True, Limits(time_budget=60, max_nesting=4)),
]


def test_the_corpus_covers_every_kind_of_work():
    assert len(CASES) >= 100
    assert len({case.name for case in CASES}) == len(CASES)
    assert {case.refusal for case in CASES} >= {"work", "size", "memory", "RecursionError"}


def _refusal_of(call) -> str:
    try:
        call()
    except CodeLimitError as error:
        return error.kind
    except CodeError as error:
        return type(error.__cause__).__name__
    except Exception as error:  # noqa: BLE001 (a source refused when saved)
        return type(error).__name__
    return "nothing"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_work_is_refused_and_the_process_lives_on(run_script, render, case):
    if case.template:
        refusal = _refusal_of(lambda: render(case.source, limits=case.limits))
    else:
        refusal = _refusal_of(lambda: run_script(case.source, limits=case.limits))
    assert refusal == case.refusal
    assert run_script("return sorted([3, 1, 2])") == [1, 2, 3]
