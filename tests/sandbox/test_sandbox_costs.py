"""The estimates of work done in C, the checks built on them, and what they still allow."""

import pytest

from objweb.sandbox import CodeError, CodeLimitError, Limits
from objweb.sandbox import costs, run
from objweb.sandbox.budget import Budget, BudgetExceeded
from objweb.sandbox.work import (
    check_compare, check_contains, check_key, check_keys, check_pairs, check_scan, check_sort,
    check_text)
from sandbox_support import ends_within

NO_CAP = 10**18


class Ticks:
    """Counts the ticks a walk asks for."""

    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1


def never():
    """A tick for walks that must not need one."""


# -- walking values ---------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("x" * 80, costs.ITEM + 10), (2 ** 512, costs.ITEM + 2), (1.5, costs.ITEM),
    ([1.5, None, True], costs.ITEM * 4), (["ab", b"cd"], costs.ITEM * 3),
    ([2 ** 256, 1], costs.ITEM * 3 + 1), ({"a": 1}, costs.ITEM * 2 + costs.ITEM // 1 * 0 + 10),
])
def test_walk_size_of_plain_values(value, expected):
    assert costs.walk_size(value, NO_CAP, never) == expected


def test_walk_size_counts_shared_parts_as_often_as_they_are_reached():
    inner = ["x" * 800] * 10
    outer = [inner, (inner, 1)] * 5
    once = costs.walk_size(inner, NO_CAP, never)
    assert costs.walk_size(outer, NO_CAP, never) > 10 * once


def test_walk_size_counts_a_cycle_once_and_stops_past_its_cap():
    cycle = [1]
    cycle.append(cycle)
    assert costs.walk_size(cycle, NO_CAP, never) < 10 * costs.ITEM
    huge = [["x" * 10**6] * 1000] * 1000
    assert 100 < costs.walk_size(huge, 100, never) < 10**9


def test_walks_tick_as_they_go():
    ticks = Ticks()
    costs.walk_size([[n] for n in range(10000)], NO_CAP, ticks)
    assert ticks.count >= 2


def test_walks_take_sets_and_dict_views():
    assert costs.walk_size({(1, 2)}, NO_CAP, never) > costs.walk_size({1}, NO_CAP, never)
    assert costs.walk_size({"a": [1]}.items(), NO_CAP, never) > 3 * costs.ITEM


def test_nesting_and_size_of_tuples():
    assert costs.nesting_and_size("abc", NO_CAP, 100, never) == (0, costs.ITEM)
    assert costs.nesting_and_size(((1,), (2, (3,))), NO_CAP, 100, never)[0] == 3
    shared = (1,) * 10
    assert costs.nesting_and_size((shared,) * 10, NO_CAP, 100, never) == (
        2, costs.ITEM * 11 + costs.ITEM * 100)
    deep = ()
    for _ in range(1000):
        deep = (deep,)
    assert costs.nesting_and_size(deep, NO_CAP, 100, never)[0] == 101
    assert costs.nesting_and_size((1,) * 1000, 50, 100, never)[1] > 50
    ticks = Ticks()
    costs.nesting_and_size(tuple((n,) for n in range(5000)), NO_CAP, 100, ticks)
    assert ticks.count >= 1


@pytest.mark.parametrize("value, chars", [
    ("ab", 5), (12345, 6), (1.5, 25), (1j, 50), (True, 5), (None, 5), (object(), 100),
    (["ab", "cd"], 2 + 4 + 10), ([1, 2], 2 + 4 + 1 + 4), ([1.5, None], 2 + 4 + 50),
    ({"a": "b"}, 2 + 4 + 8), ([[1.5], "x"], 2 + 4 + (2 + 2 + 25) + 4),
])
def test_text_measure_counts_characters(value, chars):
    assert costs.text_measure(value, NO_CAP, NO_CAP, never)[0] == chars


def test_text_measure_counts_the_work_of_floats_above_their_length():
    floats = costs.text_measure([1.5] * 1000, NO_CAP, NO_CAP, never)
    texts = costs.text_measure(["x" * 25] * 1000, NO_CAP, NO_CAP, never)
    assert floats[0] < texts[0] and floats[1] > 5 * texts[1]


def test_text_measure_prints_a_cycle_once():
    cycle = []
    cycle.append(cycle)
    assert costs.text_measure(cycle, NO_CAP, NO_CAP, never)[0] < 20


# -- operations ---------------------------------------------------------------------------------


def test_contains_costs():
    assert costs.contains_cost("x" * 100, "y", NO_CAP, never) == costs.SEARCH_CHAR * 100
    assert costs.contains_cost({"a": 1}, "a", NO_CAP, never) == costs.ITEM
    assert costs.contains_cost(range(10**9), 5, NO_CAP, never) == costs.ITEM
    assert costs.contains_cost(iter([1]), 5, NO_CAP, never) == costs.ITEM
    assert costs.contains_cost([], 5, NO_CAP, never) == costs.ITEM
    assert costs.contains_cost([1] * 100, "x" * 80, NO_CAP, never) == 100 * (2 * costs.ITEM + 10)


def test_sort_costs():
    assert costs.sort_cost([1], NO_CAP, never) == costs.ITEM
    assert costs.sort_cost(list(range(1024)), NO_CAP, never) == 1024 * 10 * costs.SORT_STEP
    assert costs.sort_cost(list(range(10**6)), 1000, never) > 1000
    assert costs.sort_cost(["x" * 800, "y"], NO_CAP, never) == 2 * (costs.SORT_STEP + 100)


@pytest.mark.parametrize("items, expected", [
    ([1.5, None], 0), (["x" * 80, "y"], 10), ([2 ** 512, 1], 2),
    ([(1,), [1, 2]], costs.ITEM * 3),
])
def test_largest_item(items, expected):
    assert costs.largest_item(items, NO_CAP, never) == expected


def test_largest_item_stops_past_its_cap():
    assert costs.largest_item([["x" * 10**6] * 100] * 3, 10, never) > 10


def test_hashing_costs():
    assert costs.hashing_cost(list(range(10)), NO_CAP, never) == 10 * costs.HASH_INSERT
    assert costs.hashing_cost(["x" * 80], NO_CAP, never) == costs.HASH_INSERT + 10
    assert costs.hashing_cost([(1,), 1], NO_CAP, never) == 2 * costs.HASH_INSERT + 3 * costs.ITEM
    assert costs.hashing_cost(list(range(10)), 5, never) > 5
    assert costs.hashing_cost([((1,) * 1000,) * 1000, 1], 10**4, never) > 10**4


def test_modular_pow_costs():
    assert costs.modular_pow_cost(3, 5, 2**131071 - 1) < 100
    assert costs.modular_pow_cost(3, 2**200, 2**131071 - 1) > 10**9
    assert costs.modular_pow_cost(3, -1, 2**131071 - 1) > 5 * 10**7


def test_json_decoding_counts_what_opens_values():
    work, memory = costs.json_decoding('[{"a": 1}, [2]]')
    assert work == 3 * costs.JSON_CONTAINER + 3 * costs.JSON_VALUE + 15
    assert memory == 3 * 64 + 3 * 56 + 4 * 15
    assert costs.json_decoding(b"[1, 2]") == costs.json_decoding("[1, 2]")


# -- the checks ---------------------------------------------------------------------------------


def budget_of(**limits) -> Budget:
    return Budget(Limits(**limits))


def stopped(check) -> BudgetExceeded:
    with pytest.raises(BudgetExceeded) as caught:
        check()
    return caught.value


def test_check_key_refuses_deep_and_costly_tuples():
    budget = budget_of(max_nesting=3, max_operation_cost=10**6)
    assert check_key(budget, "x" * 10**6) == "x" * 10**6
    assert check_key(budget, ((1,),)) == ((1,),)
    assert "nested more than 3" in str(stopped(lambda: check_key(budget, ((((1,),),),))))
    budget = budget_of(max_operation_cost=10**6)
    assert stopped(lambda: check_key(budget, ((1,) * 1000,) * 1000)).kind == "work"


def test_check_keys_and_pairs():
    budget = budget_of(max_nesting=2)
    assert check_keys(budget, [1, (2,)], "a set") == [1, (2,)]
    assert "an item of a set" in str(stopped(lambda: check_keys(budget, [(((1,),),)], "a set")))
    assert check_pairs(budget_of(), [("a", 1), "bc"], "a dict") == [("a", 1), "bc"]
    for pairs in ([1], [()]):
        with pytest.raises(TypeError):
            check_pairs(budget_of(), pairs, "a dict")


def test_check_compare_measures_containers_only():
    budget = budget_of(max_operation_cost=1000)
    big = ["x" * 10**6] * 1000
    check_compare(budget, "x" * 10**7, "y" * 10**7)
    check_compare(budget, big, 5)
    check_compare(budget, [1], big)
    assert stopped(lambda: check_compare(budget, big, list(big))).kind == "work"


def test_other_checks():
    budget = budget_of(max_operation_cost=10**5, max_nesting=2)
    check_contains(budget, {"a": 1}, "a")
    assert stopped(lambda: check_contains(budget, {"a": 1}, (((1,),),))).kind == "size"
    budget = budget_of(max_operation_cost=10**5)
    assert stopped(lambda: check_contains(budget, ["x"] * 10**5, "y")).kind == "work"
    assert check_sort(budget_of(), [2, 1]) == [2, 1]
    assert stopped(lambda: check_sort(budget_of(max_operation_cost=10), [2, 1])).kind == "work"
    assert check_scan(budget_of(), [], "to compare values") == []
    assert stopped(lambda: check_scan(budget_of(max_operation_cost=10), [1, 2], "x"))
    assert check_text(budget_of(), [1, 2], "a text") == 11
    assert stopped(lambda: check_text(budget_of(output_limit=5), [1, 2], "a text")).kind == "size"


# -- what still works, and gives Python's answers -------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ("return sorted(['b', 'A', 'a'], key=lambda v: v.lower())", ["A", "a", "b"]),
    ("return sorted([3, 1, 2], reverse=True)", [3, 2, 1]),
    ("return sorted([(1, 'b'), (0, 'z'), (1, 'a')], key=lambda p: p[0], reverse=True)",
     [(1, "b"), (1, "a"), (0, "z")]),
    ("x = ['bb', 'a', 'ccc']\nx.sort(key=len)\nreturn x", ["a", "bb", "ccc"]),
    ("x = [2, 3, 1]\nx.sort(reverse=True)\nreturn x", [3, 2, 1]),
    ("return [max([1], [2]), min('b', 'a'), max([3, 1, 2]), min(3, 1, key=lambda v: -v)]",
     [[2], "a", 3, 3]),
    ("return [max(['ab', 'c', 'de'], key=len), min([], default=0), max([], key=len, default=1),"
     " max(n for n in [2, 5, 1])]", ["ab", 0, 1, 5]),
    ("def f(*args):\n    return args\nreturn [f(*'ab'), [*range(3)], {*[1, 1]}]",
     [("a", "b"), [0, 1, 2], {1}]),
    ("return [2 in [1, 2], (1, 2) in {(1, 2): 0}, 'b' in 'abc', 3 in range(5), 'x' in {'x'}]",
     [True] * 5),
    ("return [3 in (n for n in range(5)), 7 in map(abs, [-7]), 9 in (n for n in [1])]",
     [True, True, False]),
    ("return [[1, 2] == [1, 2], (1, [2]) < (1, [3]), {'a': [1]} != {'a': [1]}]",
     [True, True, False]),
    ("return [set([1, 1, (2, 3)]), frozenset('ab') == frozenset('ba'), dict([('a', 1)])]",
     [{1, (2, 3)}, True, {"a": 1}]),
    ("return [hash((1, 2)) == hash((1, 2)), int('ff', 16), int(' 12 '), int(3.9), int()]",
     [True, 255, 12, 3, 0]),
    ("return [sorted({}.keys() | [1]), sorted([2] | {}.keys()), sorted({1: 0}.keys() & {1})]",
     [[1], [2], [1]]),
    ("d = {}\nd |= [('a', 1)]\nd |= {'b': 2}\nreturn d", {"a": 1, "b": 2}),
    ("return [{1, 2} - {2}, {1} | {2}, {1: 0}.items() - {(1, 0)}]", [{1}, {1, 2}, set()]),
    ("d = {}\nd[(1, 2)] = 3\nx = d[(1, 2)]\ndel d[(1, 2)]\nreturn [x, d]", [3, {}]),
    ("x = [1, 2, 3]\ndel x[0]\nreturn x", [2, 3]),
    ("import datetime\nday = datetime.timedelta(days=1)\nreturn (day * 3 - day).days", 2),
    ("x = [1, 2, 3]\nx[1:2] = (n for n in 'ab')\nx[:1] = [0]\nreturn x", [0, "a", "b", 3]),
    ("try:\n    raise KeyError(1)\nexcept (ValueError, KeyError):\n    return 'caught'", "caught"),
    ("try:\n    raise KeyError(1)\nexcept LookupError:\n    return 'caught'", "caught"),
])
def test_guarded_operations_keep_python_answers(run_script, body, expected):
    assert run_script(body) == expected


@pytest.mark.parametrize("body, expected", [
    ("return 'a b  c'.split()", ["a", "b", "c"]),
    ("return 'a,b,c'.split(',', 1)", ["a", "b,c"]),
    ("return 'a b c'.rsplit(None, 1)", ["a b", "c"]),
    ("return 'a b'.split(maxsplit=-1)", ["a", "b"]),
    ("return 'a\\nb\\r\\nc'.splitlines()", ["a", "b", "c"]),
    ("return b'a\\nb'.splitlines(True)", [b"a\n", b"b"]),
    ("return 'xxaxx'.strip('x')", "a"),
    ("return ' a '.strip()", "a"),
    ("return 'abc'.translate({97: 'A', 98: None})", "Ac"),
    ("return 'a=b'.partition('=')", ("a", "=", "b")),
    ("return ['aaa'.count('a'), 'abc'.find('c'), 'abc'.startswith(('x', 'a'))]", [3, 2, True]),
    ("return [[1, 2, 1].count(1), [1, 2].index(2), (1, 2).count(2), range(5).index(3)]",
     [2, 1, 1, 3]),
    ("x = [1, 2]\nx.remove(1)\nx.append(3)\nx.insert(0, 0)\nreturn x", [0, 2, 3]),
    ("d = {'a': 1}\nreturn [d.get('a'), d.get('b', 2), d.setdefault('c', 3), d.pop('a'), d]",
     [1, 2, 3, 1, {"c": 3}]),
    ("s = {1}\ns.add(2)\ns.discard(1)\nreturn [s, s.union([3], (4,)), s.issubset([2, 5])]",
     [{2}, {2, 3, 4}, True]),
    ("d = {}\nd.update([('a', 1)], b=2)\nd.update({'c': 3})\nreturn d", {"a": 1, "b": 2, "c": 3}),
    ("return {}.fromkeys('ab', 0)", {"a": 0, "b": 0}),
    ("import json\nreturn json.loads('{\"a\": [1, 2.5, null]}')", {"a": [1, 2.5, None]}),
])
def test_text_and_collection_methods_keep_python_answers(run_script, body, expected):
    assert run_script(body) == expected


def test_a_split_asked_for_more_pieces_than_allowed_gets_them_when_the_text_has_fewer(
        run_script):
    limits = Limits(max_operation_cost=costs.SPLIT_PIECE * 10)
    assert run_script("return 'a b c'.split()", limits=limits) == ["a", "b", "c"]
    assert run_script("return ' '.join(['x'] * 11).split(None, 10)", limits=limits) == ["x"] * 11
    assert run_script("return ' '.join(['x'] * 11).rsplit()", limits=limits) == ["x"] * 11
    with pytest.raises(CodeLimitError) as caught:
        run_script("return ' '.join(['x'] * 12).split()", limits=limits)
    assert "more than 10 pieces" in str(caught.value)


def test_refusals_name_the_pairs_a_dict_is_made_from(refused):
    assert "pairs" in str(refused("return dict([1, 2])"))


def test_max_takes_a_default_with_one_iterable_only(refused):
    assert "default" in str(refused("return max(1, 2, default=0)"))


def test_errors_code_raises_keep_a_bearable_text(run_script):
    with pytest.raises(CodeError) as caught:
        run_script("try:\n    raise KeyError('x' * 10**6)\nexcept KeyError as error:\n"
                   "    raise ValueError('short') from error", user="admin")
    error = caught.value.__cause__
    assert str(error) == "short"
    assert "not shown" in str(error.__cause__) and len(str(error.__cause__)) < 100
    assert "not shown" in caught.value.detail or "short" in caught.value.detail


@pytest.mark.parametrize("body", [
    "try:\n    raise KeyError('x' * 10**6)\nexcept KeyError:\n    raise ValueError('short')",
    "first = KeyError('x' * 10**6)\nraise ValueError('short') from first",
], ids=["raised while handling it", "raised from it outside a handler"])
def test_the_error_an_error_comes_from_keeps_a_bearable_text(run_script, body):
    with pytest.raises(CodeError) as caught:
        run_script(body, user="admin")
    error = caught.value.__cause__
    assert str(error) == "short"
    assert "not shown" in str(error.__cause__ or error.__context__)


def test_an_error_text_is_kept_up_to_its_bound(run_script):
    # the text of the arguments ('x' * n,) measures n + 7 characters
    longest = "x" * (run.ERROR_TEXT_LIMIT - 7)
    for text, kept in ((longest, True), (longest + "x", False)):
        with pytest.raises(CodeError) as caught:
            run_script("raise ValueError(text)", "text", args=(text,))
        assert (str(caught.value.__cause__) == text) is kept


def test_an_error_holding_a_container_is_measured(run_script):
    with pytest.raises(CodeError) as caught:
        run_script("raise ValueError(['a', ['b']])")
    assert str(caught.value.__cause__) == "['a', ['b']]"


CHAIN = """errors = [ValueError(number) for number in range(length)] + [ValueError(last)]
for number in range(length):
    try:
        raise errors[number] from errors[number + 1]
    except ValueError:
        pass
raise errors[0]
"""


def test_only_the_first_hundred_errors_of_a_chain_are_measured(run_script):
    with pytest.raises(CodeError) as caught:
        run_script(CHAIN, "length, last", args=(run._CHAINED_ERRORS, "x" * 3000))
    error = caught.value.__cause__
    for _ in range(run._CHAINED_ERRORS):
        error = error.__cause__
    assert str(error) == "x" * 3000


def test_errors_raised_from_each_other_are_measured_once(run_script):
    with ends_within(20, "the walk over the chain of errors"), \
            pytest.raises(CodeError) as caught:
        run_script("a = KeyError('a' * 3000)\nb = KeyError('b')\ntry:\n    raise a from b\n"
                   "except KeyError:\n    pass\nraise b from a")
    assert "not shown" in str(caught.value.__cause__.__cause__)
