"""The modules code may import: their members, the guarded ones, and nothing else."""

import datetime
import json

import pytest

from objweb.sandbox import CodeLimitError, Limits
from objweb.sandbox.modules import (
    ALLOWED_MODULES, MODULES, ModulesView, SafeModule, guarded_import)


def test_only_five_modules():
    assert set(MODULES) == set(ALLOWED_MODULES) == {"math", "random", "string", "datetime",
                                                    "json"}


def test_safe_module_members_and_refusals():
    module = SafeModule("demo", {"value": 1})
    assert module.value == 1
    assert module._code_names == frozenset({"value"})
    assert repr(module) == "<module 'demo' for code>"
    with pytest.raises(AttributeError):
        module._hidden
    with pytest.raises(AttributeError):
        module.missing


def test_guarded_import_refuses_relative_and_unknown():
    assert guarded_import("math") is MODULES["math"]
    with pytest.raises(ImportError):
        guarded_import("math", level=1)
    with pytest.raises(ImportError):
        guarded_import("os")


def test_string_module_is_constants_and_capwords(run_script, refused):
    string = MODULES["string"]
    assert run_script("import string\nreturn [string.capwords(' a  b '), "
                      "string.capwords('a-b', '-')]") == ["A B", "A-B"]
    assert isinstance(refused("import string\nreturn string.capwords(1)"), TypeError)
    assert "Formatter" not in string._code_names
    assert "Template" not in string._code_names


def test_json_module(run_script):
    assert run_script("import json\nreturn json.loads(b'[1, {\"a\": 2}]')") == [1, {"a": 2}]
    body = ("import json\nreturn json.dumps({'b': [1, 2], 'a': 1}, indent=2, sort_keys=True, "
            "separators=(',', ': '), default=str)")
    assert json.loads(run_script(body)) == {"a": 1, "b": [1, 2]}


def test_json_default_hook_is_measured(run_script):
    body = "import json\nreturn json.dumps([context], default=lambda o: o.title)"
    assert run_script(body) == '["Code"]'


def test_json_default_hook_results_are_limited(run_script):
    body = ("import json\ns = 'x' * 1000\n"
            "return json.dumps([context] * 100, default=lambda o: s)")
    with pytest.raises(CodeLimitError):
        run_script(body, limits=Limits(output_limit=10_000))


@pytest.mark.parametrize("call, error", [
    ("json.dumps(1, indent=True)", TypeError),
    ("json.dumps(1, indent=1.5)", TypeError),
    ("json.dumps(1, indent='x' * 17)", ValueError),
    ("json.dumps(1, indent=17)", ValueError),
    ("json.dumps(1, separators=[',', ':'])", TypeError),
    ("json.dumps(1, separators=(',', 1))", TypeError),
    ("json.dumps(1, separators=(',' * 17, ':'))", ValueError),
    ("json.loads(1)", TypeError),
])
def test_json_refusals(refused, call, error):
    assert isinstance(refused("import json\nreturn " + call), error)


def test_json_indentation_is_measured(run_script):
    body = ("import json\nd = [[0] * 1000]\nfor i in range(30):\n    d = [d]\n"
            "return json.dumps(d, indent=' ' * 16)")
    with pytest.raises(CodeLimitError):
        run_script(body, limits=Limits(output_limit=100_000))
    body = "import json\nreturn json.dumps({'a': [1, {'b': 2}]}, indent=1)"
    assert json.loads(run_script(body)) == {"a": [1, {"b": 2}]}


def test_json_indentation_of_a_cycle_stops(run_script):
    body = "import json\nd = []\nd.append(d)\nreturn json.dumps(d, indent=2)"
    with pytest.raises(CodeLimitError):
        run_script(body, limits=Limits(output_limit=1000))


def test_math_guarded_members(run_script):
    body = ("import math\nreturn [math.factorial(5), math.comb(5, 2), math.perm(5), "
            "math.perm(5, 2), math.prod([2, 3]), math.prod([1.5, 2]), math.lcm(4, 6), "
            "math.lcm(), math.comb(5, 0), math.factorial(0), math.perm(0)]")
    assert run_script(body) == [120, 10, 120, 20, 6, 3.0, 12, 1, 1, 1, 1]


@pytest.mark.parametrize("call", [
    "math.factorial(100000)", "math.comb(10**6, 5 * 10**5)", "math.perm(10**6)",
    "math.perm(10**6, 10**6)", "math.prod([2**100000, 2**100000])",
    "math.lcm(2**100000, 3**70000)"])
def test_math_refuses_huge_integers(run_script, call):
    with pytest.raises(CodeLimitError) as caught:
        run_script("import math\nreturn " + call)
    assert caught.value.kind == "size"


def test_random_members(run_script):
    body = """import random
random.seed(1)
values = [random.random(), random.randint(1, 3), random.choice('ab'),
          random.choices([1, 2], k=3), random.sample(range(10), 2),
          random.getrandbits(8), random.randbytes(2), random.uniform(0, 1)]
items = [1, 2, 3]
random.shuffle(items)
return [len(values), sorted(items)]"""
    assert run_script(body) == [8, [1, 2, 3]]


@pytest.mark.parametrize("call, kind", [
    ("random.getrandbits(10**9)", CodeLimitError), ("random.randbytes(10**10)", CodeLimitError),
    ("random.shuffle((1, 2))", TypeError), ("random.choices([1], k='x')", TypeError),
    ("random.getrandbits('x')", TypeError), ("random.randbytes('x')", TypeError)])
def test_random_refusals(refused, call, kind):
    assert isinstance(refused("import random\nreturn " + call), kind)


def test_random_does_not_touch_the_process_generator(run_script):
    import random
    random.seed(42)
    expected = random.random()
    random.seed(42)
    run_script("import random\nrandom.seed(1)\nreturn random.random()")
    assert random.random() == expected


def test_datetime_members(run_script):
    body = ("import datetime\nd = datetime.datetime(2020, 1, 2, 3, 4)\n"
            "return [d.year, d.isoformat(), d.strftime('%Y'), datetime.date.today().year > 2000,"
            " datetime.datetime.strptime('2021', '%Y').year, datetime.timedelta(days=1).days,"
            " datetime.timezone.utc.tzname(None), datetime.MAXYEAR]")
    assert run_script(body) == [2020, "2020-01-02T03:04:00", "2020", True, 2021, 1, "UTC", 9999]


def test_datetime_refuses_huge_formats(refused):
    body = "import datetime\nreturn datetime.date(2020, 1, 1).strftime('%Y' * 10000)"
    assert isinstance(refused(body), ValueError)
    body = "import datetime\nreturn datetime.datetime.strptime('1' * 10001, '%Y')"
    assert isinstance(refused(body), ValueError)


def test_modules_view():
    view = ModulesView()
    assert view.math is MODULES["math"]
    assert view._code_item("json") is MODULES["json"]
    assert view._code_names == frozenset(MODULES)
    with pytest.raises(AttributeError):
        view.os
    with pytest.raises(KeyError):
        view._code_item("os")


def test_datetime_classes_are_the_real_ones():
    assert MODULES["datetime"].date is datetime.date



@pytest.mark.parametrize("call", ["math.perm(5, 'x')", "math.lcm(2.5)", "math.factorial(-1)",
                                  "math.comb(-1, 2)", "math.perm(-1)"])
def test_math_keeps_its_own_errors(refused, call):
    assert isinstance(refused("import math\nreturn " + call), (TypeError, ValueError))


def test_json_indentation_of_a_plain_value(run_script):
    assert run_script("import json\nreturn json.dumps(1, indent=2)") == "1"
