"""The members of the modules code may import, each as code sees it, and their exact refusals.

Every case runs a Script and compares what it answers, or the exact error a
manager would read, with what is expected: the names each module offers
(and no more), the guarded members' estimates at their boundaries, and the
members that draw their arguments through the guard.
"""

import math

import pytest

from objweb.sandbox import CodeError
from sandbox_support import built_past_limit, outcome, worked_past_limit

# Twenty numbers handed in by the caller: a list code could not build under a limit of ten.
TWENTY = list(range(20))


RANDOM_NAMES = {"random", "uniform", "randint", "randrange", "triangular", "betavariate",
                "expovariate", "gammavariate", "gauss", "lognormvariate", "normalvariate",
                "vonmisesvariate", "paretovariate", "weibullvariate", "seed", "choice",
                "choices", "sample", "getrandbits", "randbytes", "shuffle"}
STRING_NAMES = {"ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
                "octdigits", "punctuation", "printable", "whitespace", "capwords"}
DATETIME_NAMES = {"date", "datetime", "time", "timedelta", "timezone", "MINYEAR", "MAXYEAR"}
JSON_NAMES = {"dumps", "loads", "JSONDecodeError"}
# Names the real modules have that code must not find.
WITHHELD = {"Formatter", "Template", "Random", "SystemRandom", "codecs", "decoder", "encoder",
            "JSONEncoder", "JSONDecoder", "sys", "os", "tzinfo", "datetime_CAPI", "load", "dump"}


@pytest.mark.parametrize("module, names", [
    ("math", {name for name in dir(math) if not name.startswith("_")}),
    ("random", RANDOM_NAMES), ("string", STRING_NAMES), ("datetime", DATETIME_NAMES),
    ("json", JSON_NAMES)])
def test_each_module_offers_exactly_its_members(run_script, module, names):
    body = f"import {module}\nreturn sorted(name for name in items if hasattr({module}, name))"
    assert run_script(body, "items", args=(sorted(names | WITHHELD),)) == sorted(names)


def test_the_plain_members_are_the_real_ones(run_script):
    body = """import datetime, json, math, string
return [math.pi, math.sqrt(16), string.digits, string.capwords('a b'),
        datetime.MINYEAR, datetime.MAXYEAR, datetime.date(2020, 1, 2).isoformat(),
        datetime.time(3).isoformat(), datetime.timedelta(days=2).days,
        datetime.timezone.utc.tzname(None), json.loads(json.dumps([1]))]"""
    assert run_script(body) == [math.pi, 4.0, "0123456789", "A B", 1, 9999, "2020-01-02",
                                "03:00:00", 2, "UTC", [1]]


def test_a_bad_json_text_is_caught_as_json_decode_error(run_script):
    body = ("import json\ntry:\n    json.loads('{')\nexcept json.JSONDecodeError:\n"
            "    return 'not JSON'")
    assert run_script(body) == "not JSON"


FLOAT_NOT_INT = ("TypeError", "'float' object cannot be interpreted as an integer")
STR_NOT_INT = ("TypeError", "'str' object cannot be interpreted as an integer")


@pytest.mark.parametrize("call, limits, expected", [
    # Only integers are estimated; anything else meets math's own error.
    ("math.factorial(5.0)", {}, FLOAT_NOT_INT),
    ("math.comb(5.0, 2)", {}, FLOAT_NOT_INT),
    ("math.comb(5, 'a')", {}, STR_NOT_INT),
    ("math.perm(5.0, 2)", {}, FLOAT_NOT_INT),
    ("math.perm(5, 'a')", {}, STR_NOT_INT),
    # The estimates at their smallest: one factor of the result, of total's bits.
    ("math.factorial(1)", {"max_int_bits": 0},
     built_past_limit("an integer of about 1 bits (at most 0)")),
    ("math.perm(1)", {"max_int_bits": 0},
     built_past_limit("an integer of about 1 bits (at most 0)")),
    ("math.comb(100, 1)", {"max_int_bits": 4},
     built_past_limit("an integer of about 7 bits (at most 4)")),
    ("math.perm(100, 1)", {"max_int_bits": 4},
     built_past_limit("an integer of about 7 bits (at most 4)")),
    # comb counts the smaller of chosen and total - chosen; perm counts chosen, not total.
    ("math.comb(100, 99)", {"max_int_bits": 7}, 100),
    ("math.perm(100, 1)", {"max_int_bits": 7}, 100),
    ("math.prod([2, 3], start=2)", {}, 12),
    # prod and lcm: the bits of all their factors, start included.
    ("math.prod([100, 3])", {"max_int_bits": 4},
     built_past_limit("an integer of about 10 bits (at most 4)")),
    ("math.lcm(4, 6)", {}, 12),
    ("math.lcm(100, 3)", {"max_int_bits": 4},
     built_past_limit("an integer of about 9 bits (at most 4)")),
    ("[math.fsum([0.5] * 4), math.dist([0, 0], [3, 4])]", {}, [2.0, 5.0]),
])
def test_math_members_answer_and_refuse_exactly(run_script, call, limits, expected):
    assert outcome(run_script, "import math\nreturn " + call, **limits) == expected


@pytest.mark.parametrize("call", ["math.fsum(items)", "math.dist(items, [0])",
                                  "math.dist([0], items)"])
def test_fsum_and_dist_draw_their_arguments_through_the_guard(run_script, call):
    assert outcome(run_script, "import math\nreturn " + call, args=(TWENTY,), max_items=10) \
        == built_past_limit("a collection of 20 items (at most 10)")


@pytest.mark.parametrize("body, limits, expected", [
    ("random.seed(5)\nreturn len(random.choices([1, 2]))", {}, 1),
    ("return random.choices(['a', 'b'], [0, 1], k=20)", {}, ["b"] * 20),
    ("return random.choices(['a', 'b'], cum_weights=[0, 1], k=20)", {}, ["b"] * 20),
    ("return random.sample(['a'], 3, counts=[3])", {}, ["a", "a", "a"]),
    ("return random.getrandbits(8) < 256 and len(random.randbytes(3)) == 3", {}, True),
    ("return random.choices([1], k='x')", {}, STR_NOT_INT),
    # A k that is not a number counts as no items: random's own error, whatever the limit.
    ("return random.choices([], k='x')", {"max_items": 0}, STR_NOT_INT),
    ("return random.choice(5)", {},
     ("TypeError", "choice() takes a list, a tuple, a text or a range")),
    ("return random.shuffle((1, 2))", {}, ("TypeError", "shuffle() takes a list")),
])
def test_random_members_answer_and_refuse_exactly(run_script, body, limits, expected):
    assert outcome(run_script, "import random\n" + body, **limits) == expected


def test_capwords_refuses_what_is_not_a_text(run_script):
    assert outcome(run_script, "import string\nreturn string.capwords(1)") \
        == ("TypeError", "capwords() takes a text")


@pytest.mark.parametrize("body, limits, expected", [
    # The value is measured first (a Folder counts as 100 characters), then what
    # default= answers as it comes, before json writes it.
    ("json.dumps([context], default=lambda o: 's' * 50)", {"output_limit": 40},
     built_past_limit("a JSON text of 104 characters (at most 40)")),
    ("json.dumps([context], default=lambda o: 's' * 149)", {"output_limit": 150},
     built_past_limit("a JSON text of 152 characters (at most 150)")),
    # Indenting is estimated per container: its items and closing line, each indented to
    # its depth, a dict's values walked too. At 33 the estimate has reached the limit
    # exactly with a list still to count, and counts it.
    ("json.dumps([[1, 2], {'a': [3]}], indent=2)", {"output_limit": 40},
     built_past_limit("a JSON text of 81 characters (at most 40)")),
    ("json.dumps([[1, 2], {'a': [3]}], indent=2)", {"output_limit": 33},
     built_past_limit("a JSON text of 81 characters (at most 33)")),
    ("json.dumps([1, 2, 3], indent=1)", {"output_limit": 20},
     built_past_limit("a JSON text of 23 characters (at most 20)")),
])
def test_json_dumps_refuses_exactly(run_script, body, limits, expected):
    assert outcome(run_script, "import json\nreturn " + body, **limits) == expected


@pytest.mark.parametrize("call, limits, expected", [
    # json's own defaults, and each option passed on.
    ("json.dumps({'b': 1, 'a': 'é'})", {}, '{"b": 1, "a": "\\u00e9"}'),
    ("json.dumps({'b': 1, 'a': 2}, sort_keys=True)", {}, '{"a": 2, "b": 1}'),
    ("json.dumps('é', ensure_ascii=False)", {}, '"é"'),
    ("json.dumps([1, 2], indent=1)", {}, "[\n 1,\n 2\n]"),
    ("json.dumps([1, 2], separators=(',', ':'))", {}, "[1,2]"),
    ("json.dumps([1, 2], separators=(',' * 16, ':'))", {}, "[1" + "," * 16 + "2]"),
    ("json.dumps(math.nan)", {}, "NaN"),
    ("json.dumps(math.nan, allow_nan=False)", {},
     ("ValueError", "Out of range float values are not JSON compliant")),
    ("json.dumps([context])", {}, ("TypeError", "Object of type Folder is not JSON serializable")),
    # The refusals of the layout, of the value, and of the text json wrote.
    ("json.dumps(1, indent=True)", {}, ("TypeError", "indent is a number or a text")),
    ("json.dumps(1, indent=17)", {}, ("ValueError", "indent is at most 16")),
    ("json.dumps(1, separators=(',', 1))", {}, ("TypeError", "separators are a pair of texts")),
    ("json.dumps(1, separators=(',', ':', ';'))", {},
     ("TypeError", "separators are a pair of texts")),
    ("json.dumps(1, separators=(',' * 17, ':'))", {},
     ("ValueError", "separators are at most 16 characters")),
    ("json.dumps([[1, 2], [3]])", {"output_limit": 12},
     built_past_limit("a JSON text of 17 characters (at most 12)")),
    ("json.dumps([1] * 10, separators=(',' * 16, ':'))", {"output_limit": 100},
     built_past_limit("a JSON text of 156 characters (at most 100)")),
    ("json.loads(1)", {}, ("TypeError", "loads() takes a text")),
    # Bytes are counted as UTF-8, what is not replaced: json reads UTF-16 by its BOM.
    ("json.loads('[1]'.encode('utf-16'))", {}, [1]),
    ("json.loads('[1, 2, 3]')", {"max_operation_cost": 1000},
     worked_past_limit("to decode a JSON text of 9 characters", "1,109", "1,000")),
])
def test_json_answers_and_refuses_exactly(run_script, call, limits, expected):
    assert outcome(run_script, "import json, math\nreturn " + call, **limits) == expected


def test_only_the_five_modules_may_be_imported(run_script):
    assert outcome(run_script, "import os") == (
        "ImportError", "code may import only math, random, string, datetime, json; not 'os'")


def test_a_template_asking_for_a_module_that_is_not_there_names_it(render):
    with pytest.raises(CodeError) as caught:
        render("<p>${python: modules['os']}</p>")
    assert type(caught.value.__cause__) is KeyError
    assert caught.value.__cause__.args == ("os",)
