"""The Test tab of a Template or Script: run it with chosen values and see what it gives.

A Script's parameters are filled in one field each (an empty field leaves a
parameter its default); a Template's options are given one `name=value` a
line. The run is real: it is the current user's, in the object's container,
under the same sandbox, rights and budget as a call by URL, and what it
changes is kept if it succeeds. A run that fails keeps nothing (the answer
is a 400, which the publisher aborts) and shows the error with the line it
happened at, marked in the source.
"""

import json
import re
from dataclasses import dataclass

import webob

from objweb.content.base import Item
from objweb.content.script import Script
from objweb.content.template import Template
from objweb.content.values import bind_parameters
from objweb.errors import AccessDenied, ValidationError
from objweb.security.protections import MANAGE, VIEW
from objweb.sandbox import (
    COMPUTED_DEFAULT, REQUIRED, CodeError, CodeLimitError, Limits, RequestView, ResponseView)
from objweb.traversal.location import path_of
from objweb.zmi.forms import Widget
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

PARAMETER_PREFIX = "parameter."
_OPTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# The line of a failure's detail that says where: "Script /path, line 3, column 5".
_FAILED_AT = re.compile(r"^(?:Script|Template) (?P<path>\S+), line (?P<line>\d+)", re.M)


@dataclass(frozen=True)
class Outcome:
    """What a test run gave: its output, or its error and the line of this source it hit."""

    output: str = ""
    content_type: str = ""
    error: str = ""
    detail: str = ""
    line: int | None = None

    @property
    def failed(self) -> bool:
        """Whether the run ended with an error."""
        return bool(self.error)


def is_testable(obj) -> bool:
    """Whether `obj` is code the Test tab runs."""
    return isinstance(obj, (Script, Template))


def parse_options(text: str) -> dict[str, str]:
    """Return the options of `name=value` lines (blank lines skipped).

    Raises `ValidationError` for a line without `=` or with a bad name.
    """
    options = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or not _OPTION_NAME.match(name):
            raise ValidationError(f"options, line {number}: write name=value, the name "
                                  "a letter then letters, digits or _", "options")
        options[name] = value.strip()
    return options


def shown(result) -> tuple[str, str]:
    """Return (text, kind) showing a Script's result: text as it is, other values as JSON."""
    if isinstance(result, str):
        return result, "text"
    if isinstance(result, bytes):
        return result.decode("utf-8", "replace"), "bytes"
    try:
        return json.dumps(result, indent=2, sort_keys=True, default=str), "JSON"
    except (TypeError, ValueError):
        return repr(result), type(result).__name__


@screen(Item, "manage_test", title="Test", order=22, post_action=MANAGE, condition=is_testable)
class TestScreen(Screen):
    """A form of the values to run the code with, and what the last run gave."""

    template = "test.pt"
    outcome: Outcome | None = None

    @property
    def is_script(self) -> bool:
        """Whether the code is a Script (parameters) rather than a Template (options)."""
        return isinstance(self.context, Script)

    @property
    def parameter_widgets(self) -> list[Widget]:
        """One field for each of the Script's parameters, with what was typed."""
        widgets = []
        for parameter in self.context.parameters:
            name = PARAMETER_PREFIX + parameter.name
            if parameter.default is REQUIRED:
                help_text = "Required."
            elif parameter.default is COMPUTED_DEFAULT:
                help_text = "Leave empty for its computed default."
            else:
                help_text = f"Leave empty for its default, {parameter.default!r}."
            widgets.append(Widget(name, parameter.name, value=self.value(name),
                                  required=parameter.default is REQUIRED, help=help_text,
                                  error=self.errors.get(parameter.name, "")))
        return widgets

    @property
    def source_lines(self) -> list[tuple[int, str]]:
        """(number, text) of each line of the code's source, for showing an error's line."""
        text = self.context.body if self.is_script else self.context.source
        return list(enumerate(text.split("\n"), start=1))

    @command("run")
    def run(self) -> webob.Response:
        """Run the code with the form's values; show its output, or its error (a 400)."""
        obj = self.context
        self.request.policy.check(VIEW, obj)
        self.submitted = self.request.POST
        savepoint = self.request.connection.transaction_manager.get().savepoint(optimistic=True)
        try:
            self.outcome = self._run(obj)
        except (CodeError, CodeLimitError) as error:
            self.outcome = self._failure(str(error), error.detail or "")
        except AccessDenied:
            self.outcome = self._failure(
                "The code was refused something that you, or its owner, may not do here.", "")
        response = self.render()
        if self.outcome.failed:
            savepoint.rollback()
            response.status = 400
        else:
            self.note(f"Tested {path_of(obj)}")
        return response

    def _run(self, obj) -> Outcome:
        limits = Limits.from_settings(self.request.settings)
        if self.is_script:
            values = {key[len(PARAMETER_PREFIX):]: value
                      for key, value in self.request.POST.items()
                      if key.startswith(PARAMETER_PREFIX) and value != ""}
            args, kwargs = bind_parameters(obj.parameters, values)
            view = RequestView(self.request, values, ResponseView())
            result = obj.run(obj.__parent__, args=args, kwargs=kwargs, request=view,
                             user_policy=self.request.policy, limits=limits)
            output, kind = shown(result)
            return Outcome(output, kind)
        options = parse_options(self.request.POST.get("options", ""))
        view = RequestView(self.request, options, ResponseView())
        output = obj.render(obj.__parent__, options=options, request=view,
                            user_policy=self.request.policy, limits=limits)
        return Outcome(output, obj.compiled().program.content_type or "text/html")

    def _failure(self, message: str, detail: str) -> Outcome:
        found = _FAILED_AT.search(detail)
        line = None
        if found and found.group("path") == path_of(self.context):
            line = int(found.group("line"))
        return Outcome(error=message, detail=detail, line=line)
