"""Functions, lambdas and generators made by code stay bound to the run that made them.

A function one Script returns, or a lambda a macro leaves in a template
variable, may be called later by code of another owner. Without a binding
it would act with the rights of whoever calls it: an Editor's lambda called
by a Manager's Template would read what only Managers may. The compiler
wraps every `def`, `lambda` and generator expression in `_own_`, so that
each call (each step, for a generator) runs as code of its maker, limited
by the code calling it as well.
"""

import inspect

from objweb.sandbox.run import active_run, call_as, current_run


def owned(function):
    """Return `function` bound to the current run (`_own_`).

    A generator expression (already a generator) is bound step by step.
    """
    maker = current_run()
    if inspect.isgenerator(function):
        return owned_generator(maker, function)
    makes_generators = inspect.isgeneratorfunction(function)

    def call(*args, **kwargs):
        if active_run() is maker and not makes_generators:
            return function(*args, **kwargs)
        result = call_as(maker, function, *args, **kwargs)
        return owned_generator(maker, result) if makes_generators else result

    call.__name__ = call.__qualname__ = function.__name__
    return call


def owned_generator(maker, generator):
    """Yield what `generator` yields, each step run as code of the run `maker`."""
    step, value = generator.send, None
    while True:
        try:
            item = call_as(maker, step, value)
        except StopIteration as stop:
            return stop.value
        try:
            value = yield item
            step = generator.send
        except GeneratorExit:
            # Collected outside any run, its code cannot run: it closes unrun.
            if active_run() is not None:
                call_as(maker, generator.close)
            raise
        except BaseException as error:  # noqa: BLE001 (thrown in: handed on as Python does)
            step, value = generator.throw, error
