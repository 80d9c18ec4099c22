"""What code may use on plain values: text, bytes, numbers, collections, dates, errors."""

import pytest

from objweb.sandbox import CodeLimitError, Limits, NotPublishedError


@pytest.mark.parametrize("expression, expected", [
    ("'a,b'.split(',')", ["a", "b"]), ("'Ab'.lower()", "ab"), ("' x '.strip()", "x"),
    ("'x'.center(5, '*')", "**x**"), ("'x'.ljust(3)", "x  "), ("'x'.rjust(3)", "  x"),
    ("'7'.zfill(3)", "007"), ("'a\\tb'.expandtabs(4)", "a   b"), ("'aXa'.replace('a', 'bb')", "bbXbb"),
    ("'ab'.replace('', '-')", "-a-b-"), ("'aaa'.replace('a', 'b', 1)", "baa"),
    ("'-'.join(['a', 'b'])", "a-b"), ("'-'.join([])", ""), ("'abc'.translate({97: 'xyz'})", "xyzbc"),
    ("'abc'.translate({97: None})", "bc"), ("'é'.encode('utf-8')", b"\xc3\xa9"),
    ("b'a,b'.split(b',')", [b"a", b"b"]), ("b'x'.center(3)", b" x "), ("b'ab'.hex()", "6162"),
    ("b'a\\tb'.expandtabs(2)", b"a b"), ("b'ab'.replace(b'a', b'c')", b"cb"),
    ("b'-'.join([b'a', b'b'])", b"a-b"), ("b'\\xc3\\xa9'.decode()", "é"),
    ("(255).to_bytes(2, 'big')", b"\x00\xff"), ("(5).bit_length()", 3), ("(5).real", 5),
    ("True.bit_count()", 1), ("(1.5).is_integer()", False), ("(1.5).real", 1.5),
    ("(1j).imag", 1.0), ("(1j).conjugate()", -1j), ("range(1, 9, 2).step", 2),
    ("range(5).index(3)", 3), ("slice(1, 5).indices(3)", (1, 3, 1)), ("slice(2).stop", 2),
    ("[3, 1].index(1)", 1), ("(1, 2, 1).count(1)", 2),
    ("{'a': 1}.get('a')", 1), ("sorted({'a': 1}.items())", [("a", 1)]),
    ("{}.fromkeys(['a'], 0)", {"a": 0}), ("{1, 2}.union([3])", {1, 2, 3}),
    ("frozenset([1]).union([2])", frozenset({1, 2})), ("{1}.issubset([1, 2])", True),
])
def test_plain_value_methods(run_script, expression, expected):
    assert run_script("return " + expression) == expected


def test_list_and_dict_changes(run_script):
    body = """
items = [3, 1]
items.append(2)
items.extend((4, 5))
items.sort()
mapping = {'a': 1}
mapping.update({'b': 2}, c=3)
mapping.update([('d', 4)])
items[0] = 0
mapping['e'] = 5
del mapping['a']
numbers = {1}
numbers.add(2)
numbers.update([3])
return [items, sorted(mapping.items()), numbers]
"""
    assert run_script(body) == [[0, 2, 3, 4, 5], [("b", 2), ("c", 3), ("d", 4), ("e", 5)],
                                {1, 2, 3}]


def test_dates(run_script):
    body = """
from datetime import date, datetime, time, timedelta, timezone
d = datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
return [d.date().isoformat(), d.time().hour, d.timestamp(), d.utcoffset(), d.tzname(),
        date(2020, 1, 1).weekday(), time(1, 2).strftime('%H'), time(1, 2).isoformat(),
        timedelta(hours=1).total_seconds(), d.timetuple().tm_year, date.min.year,
        datetime.combine(date(2020, 1, 1), time(1)).hour, timedelta.max.days]
"""
    result = run_script(body)
    assert result[:5] == ["2020-01-02", 3, 1577934245.0, __import__("datetime").timedelta(0),
                          "UTC"]
    assert result[5:] == [2, "01", "01:02:00", 3600.0, 2020, 1, 1, 999999999]


def test_errors_show_only_their_arguments(run_script):
    body = "try:\n    raise ValueError('x', 1)\nexcept ValueError as error:\n    return error.args"
    assert run_script(body) == ("x", 1)


@pytest.mark.parametrize("expression", [
    "'x'.maketrans", "(1).from_bytes", "[].len", "{}.mro",
    "(lambda: 1).func_globals", "(x for x in []).send", "context.keys.im_self",
    "ValueError('x').with_traceback", "ValueError.mro", "len.name",
])
def test_names_not_in_the_tables_are_refused(refused, expression):
    error = refused("return " + expression)
    assert isinstance(error, (AttributeError, TypeError))


def test_format_map_is_offered_guarded(run_script):
    assert run_script("return '{a}'.format_map({'a': 1})") == "1"


@pytest.mark.parametrize("expression", [
    "'x'.center(10**8)", "'x'.zfill(10**8)", "('\\t' * 1000).expandtabs(10**5)",
    "('a' * 1000).replace('a', 'b' * 10**5)", "('a' * 10**6).translate({97: 'xx' * 10})",
    "(1).to_bytes(10**8, 'big')", "'-'.join(['x' * 10**5] * 200)",
])
def test_amplifying_methods_check_sizes_first(run_script, expression):
    with pytest.raises(CodeLimitError):
        run_script("return " + expression, limits=Limits(output_limit=10**6))


def test_collections_are_limited(run_script):
    with pytest.raises(CodeLimitError):
        run_script("x = [0] * 600000\nx.extend(x)")
    with pytest.raises(CodeLimitError):
        run_script("x = {}\nx.update((i, i) for i in range(20))", limits=Limits(max_items=10))


def test_methods_results_are_charged(run_script):
    with pytest.raises(CodeLimitError) as caught:
        run_script("s = 'x' * 10**6\nfor i in range(100):\n    t = s.upper()",
                   limits=Limits(max_allocation=20 * 10**6))
    assert caught.value.kind == "memory"


def test_not_published_error_is_an_attribute_error():
    assert issubclass(NotPublishedError, AttributeError)


@pytest.mark.parametrize("expression", [
    "'x'.center('a')", "'x'.expandtabs('a')", "'x'.replace(1, 'a')", "'x'.replace('x', 1)",
    "'x'.translate(5)", "(1).to_bytes('a', 'big')"])
def test_methods_keep_their_own_type_errors(refused, expression):
    assert isinstance(refused("return " + expression), TypeError)
