"""Compiling and rendering restricted Page Templates with Chameleon.

Templates are Zope Page Templates: TAL, METAL (macros and slots, across
templates) and i18n attributes, with the expression types of
`objweb.sandbox.expressions`. Chameleon compiles them to Python;
objweb's template class refuses what would run unrestricted there (`<?python
?>` blocks, variables named like Chameleon's internals), counts the output
against the run's limit at every repeat and before it is joined, and checks
the time budget at every repeat. A macro of another Template runs with the rights of both Templates'
owners (and of the user): an Editor who shadows the name of a layout a
Manager's Template acquires gets no more than the Editor's rights for it.
The slots the using Template fills run inside the macro, with the same rights.
"""

import itertools
import weakref

from chameleon.exc import LanguageError, TemplateError
from chameleon.i18n import simple_translate
from chameleon.loader import MemoryLoader
from chameleon.namespaces import METAL_NS, TAL_NS
from chameleon.tal import RepeatItem
from chameleon.tales import DEFAULT_MARKER, NotExpr, StringExpr, StructureExpr
from chameleon.utils import Scope
from chameleon.zpt import program as zpt_program
from chameleon.zpt.template import PageTemplate

from objweb.errors import SourceError
from objweb.sandbox.bindings import CodeView, UserView
from objweb.sandbox.expressions import (
    DictAttributesExpr, GuardedExistsExpr, NocallExpr, PathExpr, PythonExpr)
from objweb.sandbox.iteration import collect
from objweb.sandbox.modules import ModulesView
from objweb.sandbox.run import Location, Run, call_as_part_of, execute
from objweb.traversal.location import path_of

EXPRESSION_TYPES = {
    "path": PathExpr,
    "nocall": NocallExpr,
    "exists": GuardedExistsExpr,
    "not": NotExpr,
    "string": StringExpr,
    "structure": StructureExpr,
    "python": PythonExpr,
    "objweb-dict-attributes": DictAttributesExpr,
}
# Variables a template may not define: Chameleon's own, and the repeat tracker.
RESERVED_VARIABLES = frozenset({"repeat", "econtext", "rcontext"})
_DEFINING = ((TAL_NS, "define"), (TAL_NS, "repeat"), (METAL_NS, "define-param"))
_serial = itertools.count(1)
_compiled_by_filename: "weakref.WeakValueDictionary[str, CompiledTemplate]" = \
    weakref.WeakValueDictionary()


class MacroProgram(zpt_program.MacroProgram):
    """Chameleon's ZPT parser, refusing Python blocks and reserved variable names.

    Chameleon's compiler dispatches on the class name, hence the same name.
    """

    def visit_processing_instruction(self, node):
        """Refuse `<?python ... ?>`: it would run unrestricted."""
        if node["name"] == "python":
            raise LanguageError("<?python ?> blocks are not allowed in templates",
                                node["name"])
        return super().visit_processing_instruction(node)

    def visit_element(self, start, end, children):
        """Refuse defining variables that start with `_` or shadow the machinery."""
        for (namespace, name), value in start["ns_attrs"].items():
            if (namespace, name) in _DEFINING:
                for word in str(value).replace("(", " ").replace(")", " ").replace(
                        ",", " ").replace(";", " ").split():
                    if word.startswith("_") or word in RESERVED_VARIABLES:
                        raise LanguageError(f"a template cannot define {word!r}", value)
        return super().visit_element(start, end, children)

    def _create_attributes_nodes(self, prepared, i18n_attributes):
        attributes, filtering = super()._create_attributes_nodes(prepared, i18n_attributes)
        for node in attributes:
            expression = getattr(node, "expression", None)
            if type(node).__name__ == "DictAttributes":
                expression.value = "objweb-dict-attributes:" + expression.value
        return attributes, filtering


class CountingStream(list):
    """The output of a render, counted against the run's output limit a batch at a time.

    A render appends several pieces a row, so appending stays the list's own;
    `count` adds up the pieces appended since it last ran, every few items of
    a `tal:repeat` and before the pieces are joined. Between two counts a
    render runs the straight-line code of its source a few times, so what it
    can add unseen is bounded by the source and the values its expressions
    made, which exist already; the join, which would copy them, comes after
    the last count.
    """

    __slots__ = ("budget", "counted")

    def __init__(self, budget):
        super().__init__()
        self.budget = budget
        self.counted = 0

    def count(self) -> None:
        """Count the pieces appended since the last count; stop the run past the limit."""
        counted = self.counted
        if len(self) == counted:
            return
        budget = self.budget
        budget.output += sum(map(len, self[counted:]))
        self.counted = len(self)
        if budget.output > budget.limits.output_limit:
            budget.charge_output(0)


# The output is counted every this many items of a repeat: what a row adds is
# bounded by the source, and counting is a call.
ITEMS_PER_COUNT = 8


class TickingIterator:
    """The items of a `tal:repeat`: the time budget checked at every one, the output often."""

    __slots__ = ("_iterator", "_budget", "_stream", "_left")

    def __init__(self, items: list, budget, stream: CountingStream):
        self._iterator = iter(items)
        self._budget = budget
        self._stream = stream
        self._left = 1

    def __iter__(self):
        return self

    def __next__(self):
        self._budget.tick()
        self._left -= 1
        if not self._left:
            self._left = ITEMS_PER_COUNT
            self._stream.count()
        return next(self._iterator)

    def __length_hint__(self) -> int:
        return self._iterator.__length_hint__()


class RepeatVariables(CodeView):
    """`repeat` in a template: the state of each running `tal:repeat`, by name."""

    __slots__ = ("_items", "_budget", "_stream")

    def __init__(self, budget, stream: CountingStream):
        self._items: dict = {}
        self._budget = budget
        self._stream = stream

    @property
    def _code_names(self) -> frozenset:
        return frozenset(key for key in self._items if isinstance(key, str))

    def __call__(self, key, iterable):
        items = [] if iterable is None else collect(iterable, "the items of a repeat")
        iterator = TickingIterator(items, self._budget, self._stream)
        self._items[key] = RepeatItem(iterator, len(items))
        return iterator, len(items)

    def __getattr__(self, key):
        try:
            return self._items[key]
        except KeyError:
            raise AttributeError(key) from None

    def _code_item(self, key):
        return self._items[key]


class RestrictedTemplate(PageTemplate):
    """A Chameleon page template whose expressions are restricted code."""

    expression_types = EXPRESSION_TYPES
    default_expression = "path"
    # Never a disk cache (CHAMELEON_CACHE): compiled code stays in memory.
    loader = MemoryLoader()

    def parse(self, body):
        """Parse `body` with the restricted program."""
        return MacroProgram(
            body, self.mode, self.filename, escape=True if self.mode == "xml" else False,
            default_marker=self.default_marker,
            boolean_attributes=self.boolean_attributes or frozenset(),
            implicit_i18n_translate=self.implicit_i18n_translate,
            implicit_i18n_attributes=self.implicit_i18n_attributes,
            trim_attribute_space=self.trim_attribute_space,
            enable_data_attributes=self.enable_data_attributes,
            enable_comment_interpolation=self.enable_comment_interpolation,
            restricted_namespace=self.restricted_namespace, tokenizer=self.tokenizer)

    def _builtins(self) -> dict:
        # Chameleon's `template` and `macros` would hand code the compiled template.
        return {"nothing": None}


class OwnedMacro:
    """A macro as `metal:use-macro` gets it: rendered as code of its own Template."""

    __slots__ = ("_macro", "_owner")

    def __init__(self, macro, owner):
        self._macro = macro
        self._owner = owner

    def include(self, *args) -> None:
        """Render the macro into the using template's stream (Chameleon's call)."""
        if self._owner is None:
            # A template compiled alone, by trusted code, has no owner to add.
            return self._macro.include(*args)
        return call_as_part_of(self._owner, self._macro.include, *args)


class MacroCollection(CodeView):
    """`template/macros`: the macros a template defines, by name.

    `owner` is the Template object whose source defines them (None for a
    template compiled alone by trusted code).
    """

    __slots__ = ("_template", "_owner")

    def __init__(self, template: RestrictedTemplate, owner=None):
        self._template = template
        self._owner = owner

    @property
    def _code_names(self) -> frozenset:
        return frozenset(self._template.macros.names)

    def __getattr__(self, name: str):
        try:
            return self._code_item(name)
        except KeyError:
            raise AttributeError(name) from None

    def _code_item(self, key):
        return OwnedMacro(self._template.macros[key], self._owner)


class CompiledTemplate:
    """A Template's compiled program and what is needed to say where it failed."""

    def __init__(self, source: str, owner=None):
        self.source = source
        self.filename = f"<template {next(_serial)}>"
        self._owner = weakref.ref(owner) if owner is not None else None
        try:
            self.program = RestrictedTemplate(source, filename=self.filename)
        except TemplateError as error:
            line, column = error.location
            raise SourceError(str(error.args[0]).strip(), line=line or None,
                              column=column + 1 if line else None) from None
        except LookupError as error:
            raise SourceError(str(error)) from None
        _compiled_by_filename[self.filename] = self

    @property
    def macros(self) -> MacroCollection:
        """The macros of the template, each rendered as code of the Template it was compiled for."""
        owner = self._owner() if self._owner is not None else None
        return MacroCollection(self.program, owner)

    def owner_label(self) -> str:
        """Return the path of the Template this was compiled for, if it is still known."""
        owner = self._owner() if self._owner is not None else None
        return path_of(owner) if owner is not None else self.filename

    def render(self, run: Run, variables: dict) -> str:
        """Return the template rendered with `variables`, within `run`'s limits."""
        stream = CountingStream(run.budget)
        econtext = Scope(variables)
        econtext.update({"__translate": simple_translate, "__decode": bytes.decode,
                         "__on_error_handler": None, "target_language": None,
                         "default": DEFAULT_MARKER,
                         "repeat": RepeatVariables(run.budget, stream)})
        rcontext: dict = {}
        run.locate = lambda error: _locate(rcontext)
        self.program._render(stream, econtext, rcontext, target_language=None)
        stream.count()
        return "".join(stream)


def _locate(rcontext: dict) -> Location | None:
    errors = rcontext.get("__error__")
    if not errors:
        return None
    token, line, column, filename = errors[0][:4]
    compiled = _compiled_by_filename.get(filename)
    if compiled is None:
        return Location(filename, "Template", line, column + 1)
    return Location(compiled.owner_label(), "Template", line, column + 1, compiled.source)


def render_template(compiled: CompiledTemplate, *, template, context, options=None,
                    request=None, user_policy=None, limits=None) -> str:
    """Return `template` rendered in `context` as its own run.

    See `objweb.sandbox.run.execute` for who it acts for and what
    it raises.
    """
    def body(run: Run) -> str:
        variables = {
            "context": context, "here": context, "container": template.__parent__,
            "template": template, "request": run.context.request,
            "options": dict(options or {}),
            "user": UserView(run.context.user_policy, context),
            "modules": ModulesView(), "nothing": None,
        }
        return compiled.render(run, variables)

    return execute(template, body, request=request, user_policy=user_policy, limits=limits)
