"""The default views of Templates and Scripts: render a Template, call a Script by URL.

A Template answers its rendered HTML. A Script is called with the request's
parameters (query string and form fields alike, or the members of a JSON
body) bound to its parameters by name. A field may name a Zope converter
(`n:int`, `tags:list`, `ok:boolean`, ...); otherwise a parameter whose
default is a number, a boolean or a list converts its value to that kind.
A bad or missing parameter answers 400 and runs nothing. A Script's text
answers as `text/plain` unless it sets a Content-Type, a list, dict or
number as JSON. Both run in the sandbox, within the settings' budget.
"""

import datetime
import json

import webob

from objweb.content.script import Script
from objweb.content.template import Template
from objweb.content.values import bind_parameters, convert_form_value
from objweb.sandbox import (
    CodeError, CodeLimitError, Limits, RequestView, ResponseView, UploadView)
from objweb.sandbox.costs import text_measure
from objweb.security import protections
from objweb.traversal.views import view_config

JSON_TYPE = "application/json"


def limits_of(settings) -> Limits:
    """Return the sandbox limits the application's settings ask for."""
    return Limits.from_settings(settings)


# -- form fields ---------------------------------------------------------------------


def _field_value(value):
    if hasattr(value, "filename") and hasattr(value, "file"):
        return UploadView(value.filename or "", getattr(value, "type", "") or "", value.file)
    return value


def form_of(request) -> dict:
    """Return the request's fields by name, Zope converters applied.

    A name given several times, or marked `:list`, has a list (`:tuple`, a
    tuple). Raises `ValidationError` for a value its converter refuses.
    """
    form: dict = {}
    tuples: set = set()
    for key, raw in request.params.items():
        name, *flags = key.split(":")
        value = convert_form_value(name, flags, _field_value(raw))
        if "tuple" in flags:
            tuples.add(name)
        if name in form or "list" in flags or "tuple" in flags:
            current = form.get(name, [])
            form[name] = (current if isinstance(current, list) else [current]) + [value]
        else:
            form[name] = value
    for name in tuples:
        form[name] = tuple(form[name])
    return form


def code_request(request) -> RequestView:
    """Return the view of `request` that restricted code gets."""
    if request.has_json_body and request.method == "POST":
        form = request.json_object(request.settings.max_json_body)
    else:
        form = form_of(request)
    return RequestView(request, form, ResponseView())


# -- answers ----------------------------------------------------------------------------


def _finish(view: ResponseView, body, content_type: str) -> webob.Response:
    response = webob.Response()
    response.content_type = content_type
    if isinstance(body, str):
        response.charset = "utf-8"
        response.text = body
    else:
        response.body = body
    for name, value in view.headers:
        response.headers[name] = value
    if view.location is not None:
        response.location = view.location
    if view.status is not None:
        response.status = view.status
    return response


def _json_default(value):
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    raise TypeError(f"a {type(value).__name__} cannot be sent as JSON")


def _measured_outside_the_run() -> None:
    """The answer is measured after the run: there is no budget left to check."""


def _answer(result, limits: Limits, where: str) -> tuple[object, str]:
    if result is None:
        return "", "text/plain"
    if isinstance(result, str):
        return result, "text/plain"
    if isinstance(result, bytes):
        return result, "application/octet-stream"
    if isinstance(result, (datetime.date, datetime.time)):
        return result.isoformat(), "text/plain"
    if not isinstance(result, (bool, int, float, list, tuple, dict)):
        raise CodeError(f"The {where} returned a {type(result).__name__}; a Script called by "
                        f"URL returns text, bytes, numbers, lists or dicts.")
    chars, work = text_measure(result, limits.output_limit, limits.max_operation_cost,
                               _measured_outside_the_run)
    if chars > limits.output_limit:
        raise CodeLimitError(f"The {where} returned more than {limits.output_limit} "
                             f"characters.", kind="output")
    if work > limits.max_operation_cost:
        # Written as JSON here, after the run, in one step of C: bounded like the code's own.
        raise CodeLimitError(f"The {where} returned a value that would take about {work:,} "
                             f"units of work to write (at most {limits.max_operation_cost:,}).",
                             kind="work")
    try:
        return json.dumps(result, default=_json_default, allow_nan=False), JSON_TYPE
    except (TypeError, ValueError) as error:
        raise CodeError(f"The {where} returned a value that is not JSON: {error}") from None


@view_config(Template, action=protections.VIEW, methods=("GET",), accept_json=False)
def render_template(template: Template, request) -> webob.Response:
    """Answer the Template rendered in the context it was reached through."""
    return _render(template, request)


@view_config(Template, action=protections.VIEW, methods=("POST",))
def render_template_posted(template: Template, request) -> webob.Response:
    """Answer the Template rendered for a form posted to it."""
    return _render(template, request)


def _render(template: Template, request) -> webob.Response:
    view = code_request(request)
    limits = limits_of(request.settings)
    # Rendering counts its output against the limit as it goes.
    body = template.render(request.traversal.context, request=view,
                           user_policy=request.policy, limits=limits)
    return _finish(view.response, body, template.compiled().program.content_type or "text/html")


@view_config(Script, action=protections.VIEW, methods=("GET",), accept_json=False,
             accepts_subpath=True)
def call_script(script: Script, request) -> webob.Response:
    """Answer what the Script returns, called with the request's parameters."""
    return _call(script, request)


@view_config(Script, action=protections.VIEW, methods=("POST",), accepts_subpath=True)
def call_script_posted(script: Script, request) -> webob.Response:
    """Answer what the Script returns, called with the posted form or JSON body."""
    return _call(script, request)


def _call(script: Script, request) -> webob.Response:
    view = code_request(request)
    args, kwargs = bind_parameters(script.parameters, view.form)
    limits = limits_of(request.settings)
    result = script.run(request.traversal.context, args=args, kwargs=kwargs, request=view,
                        subpath=request.traversal.subpath, user_policy=request.policy,
                        limits=limits)
    body, content_type = _answer(result, limits, f"Script at {request.path_info}")
    if len(body) > limits.output_limit:
        raise CodeLimitError(f"The Script returned more than {limits.output_limit} "
                             f"characters.", kind="output")
    return _finish(view.response, body, content_type)


@view_config(Script, "proxy-roles", action=protections.CHANGE_PERMISSIONS, methods=("POST",))
def set_proxy_roles(script: Script, request) -> webob.Response:
    """Give the Script the proxy roles of the JSON body's `roles` (or the form's `roles`).

    Only roles the user holds on the Script can be given; answers the roles as JSON.
    """
    if request.has_json_body:
        roles = request.json_object(request.settings.max_json_body).get("roles", [])
    else:
        roles = request.POST.getall("roles")
    script.set_proxy_roles(roles, granted_by=request.policy)
    request.note(f"proxy roles of {request.path_info}: {', '.join(script.proxy_roles) or 'none'}")
    response = webob.Response(json.dumps({"proxy_roles": list(script.proxy_roles)}),
                              content_type=JSON_TYPE, charset="utf-8")
    return response
