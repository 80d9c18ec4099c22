"""Extensions' views, registered in an application's view registry beside objweb's own.

An extension's view is published like objweb's: under its type, with the
`@@` prefix (or as the type's default view), its permission checked by the
same policy before it runs. Its function's answer becomes a response here
(str: HTML; bytes; dict or list: JSON; or a WebOb response), and a page
template shipped in the extension's package is trusted filesystem code,
rendered by Chameleon as objweb's own templates are.
"""

import json
from collections.abc import Callable

import webob
from chameleon import PageTemplateFile

from objweb.extensions.config import ExtensionError, ViewDeclaration
from objweb.security.protections import action_for_permission
from objweb.traversal.views import DEFAULT_VIEW, ViewRegistry


def include(registry: ViewRegistry, extensions) -> ViewRegistry:
    """Register every view the extensions declare in `registry` (objweb's own already in it).

    Raises `ExtensionError` for a view whose name objweb already uses for
    its type, or one two extensions both declare.
    """
    for extension in extensions:
        for declared in extension.config.views:
            _check_clash(registry, extension, declared)
            try:
                registry.register(
                    declared.for_type, declared.name, _handler(declared),
                    action=action_for_permission(declared.permission),
                    methods=declared.methods,
                    # A default view is the page browsers get: JSON clients keep the JSON API.
                    accept_json=False if declared.name == DEFAULT_VIEW else None)
            except ValueError as error:
                raise ExtensionError(f"the extension {extension.label}: {error}") from None
    return registry


def _check_clash(registry: ViewRegistry, extension, declared: ViewDeclaration) -> None:
    for registration in registry.candidates_for_type(declared.for_type, declared.name):
        if not registration.methods & declared.methods:
            continue
        # A type may have a default page of its own; it never replaces a named view.
        if declared.name == DEFAULT_VIEW and registration.for_type is not declared.for_type:
            continue
        shown = declared.name or "(the default view)"
        owner = "objweb's own view" if _is_objwebs(registration.handler) else "another view"
        raise ExtensionError(f"the extension {extension.label} adds the view {shown!r} to "
                             f"{declared.for_type.__name__}, which clashes with {owner} "
                             f"{shown!r} of {registration.for_type.__name__}")


def _is_objwebs(handler: Callable) -> bool:
    return getattr(handler, "__module__", "").startswith("objweb.") and \
        not getattr(handler, "extension_view", False)


def _handler(declared: ViewDeclaration) -> Callable:
    template = (PageTemplateFile(str(declared.template), auto_reload=False)
                if declared.template is not None else None)

    def handler(obj, request) -> webob.Response:
        if declared.handler is None:
            return response_of(template(context=obj, request=request))
        result = declared.handler(obj, request)
        if template is not None and isinstance(result, dict):
            return response_of(template(**{"context": obj, "request": request, **result}))
        return response_of(result)

    handler.extension_view = True
    handler.__doc__ = getattr(declared.handler, "__doc__", None) or f"{declared.name} view"
    return handler


def response_of(result) -> webob.Response:
    """Return the response a view's answer stands for.

    Raises `TypeError` for an answer that is none of str, bytes, dict,
    list or a WebOb response (a bug in the view, answered as a 500).
    """
    if isinstance(result, webob.Response):
        return result
    if isinstance(result, str):
        return webob.Response(result, content_type="text/html", charset="utf-8")
    if isinstance(result, bytes):
        return webob.Response(body=result, content_type="application/octet-stream")
    if isinstance(result, (dict, list)):
        return webob.Response(json.dumps(result, default=str), content_type="application/json",
                              charset="utf-8")
    raise TypeError(f"a view answered {type(result).__name__}; answer str, bytes, "
                    "dict, list or a webob.Response")
