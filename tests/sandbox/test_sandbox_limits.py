"""Budgets, sizes, text conversions and iteration: the limits of one request's code."""

import pytest
from chameleon.utils import Markup

from objweb.sandbox import CodeLimitError, Limits
from objweb.sandbox.budget import (
    Budget, BudgetExceeded, cost_of, fresh_cost, text_size)
from objweb.sandbox.formatting import check_spec, percent_format
from objweb.sandbox.iteration import checked_iterator, collect, is_sized
from objweb.sandbox.methods import value_attribute


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_budget_time():
    clock = Clock()
    budget = Budget(Limits(time_budget=2), clock, ticks_per_reading=1)
    budget.tick()
    clock.now += 3
    with pytest.raises(BudgetExceeded) as caught:
        budget.tick()
    assert caught.value.kind == "time"
    assert "2 s" in str(caught.value)


def test_budget_time_runs_to_its_last_instant():
    clock = Clock()
    budget = Budget(Limits(time_budget=2), clock, ticks_per_reading=1)
    clock.now += 2
    budget.tick()
    clock.now += 0.001
    with pytest.raises(BudgetExceeded):
        budget.tick()


def test_budget_reads_the_clock_at_the_first_tick_and_every_few_after():
    clock = Clock()
    budget = Budget(Limits(time_budget=2), clock, ticks_per_reading=3)
    budget.tick()
    clock.now += 3
    budget.tick()
    budget.tick()
    with pytest.raises(BudgetExceeded):
        budget.tick()
    # Once the time is up, every tick stops the run.
    with pytest.raises(BudgetExceeded):
        budget.tick()


def fresh_budget() -> Budget:
    return Budget(Limits(output_limit=10, max_items=3, max_int_bits=8, max_allocation=5))


def test_budget_output_allocation_and_sizes():
    budget = fresh_budget()
    budget.charge_output(10)
    with pytest.raises(BudgetExceeded) as caught:
        budget.charge_output(1)
    assert caught.value.kind == "output"
    budget = fresh_budget()
    budget.charge(5)
    with pytest.raises(BudgetExceeded) as caught:
        budget.charge(1)
    assert caught.value.kind == "memory"
    budget = fresh_budget()
    assert budget.check_text(10) == 10 and budget.check_items(3) == 3
    assert budget.check_int_bits(8) == 8
    for check, size in ((budget.check_text, 11), (budget.check_items, 4),
                        (budget.check_int_bits, 9)):
        with pytest.raises(BudgetExceeded):
            check(size)


def test_a_stopped_budget_stays_stopped_with_its_first_reason():
    budget = fresh_budget()
    with pytest.raises(BudgetExceeded) as first:
        budget.check_items(4)
    for again in (budget.tick, lambda: budget.charge(6), budget.raise_if_stopped):
        with pytest.raises(BudgetExceeded) as caught:
            again()
        assert caught.value is first.value
    assert "at most 3" in str(budget.stopped)


def test_budget_exceeded_is_no_exception_code_can_catch():
    assert not issubclass(BudgetExceeded, Exception)


def test_cost_of_values():
    assert cost_of("abc") == 49 + 3
    assert cost_of([1, 2]) == 56 + 16
    assert cost_of({"a": 1}) == 64 + 64
    assert cost_of(5) == 0


def test_fresh_cost_counts_the_new_texts_and_pairs_a_result_holds():
    assert fresh_cost(["ab", "c"]) == cost_of(["ab", "c"]) + 2 * 49 + 3
    assert fresh_cost([(1, 2)]) == cost_of([(1, 2)]) + cost_of((1, 2))
    assert fresh_cost({"k": "vv"}) == cost_of({"k": "vv"}) + 49 + 2
    assert fresh_cost([1, "a"]) == cost_of([1, "a"])


def test_text_size_measures_without_printing():
    shared = "x" * 1000
    assert text_size([shared] * 1000, 10_000) > 10_000
    assert text_size({"a": (1, 2.5, None, True, b"x")}, 10_000) < 200
    cycle = []
    cycle.append(cycle)
    assert text_size(cycle, 100) < 100
    assert text_size(object(), 1000) == 100
    assert text_size(2 ** 1000, 1000) > 300


@pytest.mark.parametrize("spec", [1, "x" * 10_001, ">99999", ">123456"])
def test_format_spec_refusals(spec):
    with pytest.raises((TypeError, ValueError)):
        check_spec(spec)


def test_format_specs_within_bounds():
    assert check_spec(">10.3f") == ">10.3f"


@pytest.mark.parametrize("template, values", [
    ("%*d", (5, 1)), ("%.*f", (2, 1.0)), ("%99999d", 1), ("%.123456f", 1.0)])
def test_percent_format_refusals(within, refusal, template, values):
    assert isinstance(refusal(lambda run: percent_format(template, values)), ValueError)


def test_percent_format_refuses_other_mappings(root, refusal, within):
    assert isinstance(refusal(lambda run: percent_format("%(x)s", root)), TypeError)
    assert within(lambda run: percent_format("%(x)s", {"x": 1})) == "1"
    assert within(lambda run: percent_format("%s", [1])) == "[1]"
    assert within(lambda run: percent_format(b"%5s", b"x")) == b"    x"


def test_iteration_of_the_site(root, run_script, refused):
    assert run_script("return list(context)", context=root["news"]) == ["hello"]
    assert run_script("return [name for name in context]", context=root["news"]) == ["hello"]
    assert "cannot be iterated" in str(refused("return list(context)", context=root["news"]["hello"]))


def test_iteration_of_unknown_objects_is_refused(within, refusal):
    assert isinstance(refusal(lambda run: checked_iterator(object())), TypeError)
    assert is_sized(Markup("x")) and not is_sized(object())


def test_collect_limits_lazy_iterables(within, refusal):
    def forever():
        while True:
            yield 1
    error = refusal(lambda run: collect(forever()), limits=Limits(max_items=100))
    assert isinstance(error, CodeLimitError)
    assert within(lambda run: collect(x for x in range(3))) == [0, 1, 2]


def test_text_subclasses_use_the_text_table(within):
    assert within(lambda run: value_attribute(Markup("x"), "upper")()) == "X"
