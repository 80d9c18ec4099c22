"""`/<path>/@@search`: the catalog's query over HTTP, in JSON or as a page for a browser.

The query keys are the catalog's vocabulary (`objweb.catalog.query`),
each read from the query string as a list (`type` may repeat), with
`path` defaulting to the context's; `b_start` and `b_size` page through
the results as they page through a folder (`objweb.web.batching`). The
answer holds only what the requester may View. It is JSON in the folder
batching shape (`items`, `items_total`, `batching`) unless the client
prefers HTML, as a browser does: then a page with a search form and the
results. A key that is unknown, repeated where it may not be, or whose
value does not fit is a `400` naming it, and changes nothing.
"""

import os
from dataclasses import dataclass
from urllib.parse import urlencode

import webob
from chameleon import PageTemplateLoader

from objweb.catalog import find_results
from objweb.catalog.results import Result
from objweb.content.base import Item
from objweb.errors import ValidationError
from objweb.security import protections
from objweb.traversal.views import view_config
from objweb.views.jsonapi import json_response
from objweb.web.batching import next_start, previous_start, read_batch_parameters

templates = PageTemplateLoader(os.path.join(os.path.dirname(__file__), "templates"),
                               auto_reload=False)

BATCH_KEYS = ("b_start", "b_size")
_OFFERS = ("application/json", "text/html")


@dataclass(frozen=True)
class Answer:
    """One batch of search results, with what the links to the other batches need."""

    results: list
    total: int
    start: int
    size: int
    query: list

    def link(self, base: str, start: int | None) -> str | None:
        """The URL of the batch from `start` (None for no such batch)."""
        if start is None:
            return None
        pairs = self.query + [("b_start", start), ("b_size", self.size)]
        return base + "?" + urlencode(pairs)

    def batching(self, base: str) -> dict:
        """The `batching` member of the JSON answer, as a folder's."""
        return {"b_start": self.start, "b_size": self.size,
                "next": self.link(base, next_start(self.start, self.size, self.total)),
                "prev": self.link(base, previous_start(self.start, self.size))}


def run_query(obj, request) -> Answer:
    """Return the batch of results the request asks for below `obj`.

    Raises `ValidationError` naming the first key that is unknown or has a
    bad value, and for a bad `b_start` or `b_size`.
    """
    start, size = read_batch_parameters(request)
    pairs = [(key, value) for key, value in request.GET.items() if key not in BATCH_KEYS]
    raw: dict[str, list] = {}
    for key, value in pairs:
        raw.setdefault(key, []).append(value)
    try:
        results = find_results(obj, raw, policy=request.policy)
    except ValueError as error:
        raise ValidationError(str(error), str(error).split(":", 1)[0]) from None
    return Answer(results[start:start + size], len(results), start, size, pairs)


def result_record(result: Result, request) -> dict:
    """Return the JSON form of one result, from the catalog alone."""
    return {"@id": request.url_of_path(result.path), "@type": result.type_name,
            "id": result.id, "title": result.title,
            "created": result.created.isoformat(), "modified": result.modified.isoformat()}


def prefers_html(request) -> bool:
    """Whether the client ranks HTML above JSON, as browsers do; a bare client gets JSON."""
    if request.environ.get("HTTP_ACCEPT") is None:
        return False
    offers = request.accept.acceptable_offers(_OFFERS)
    return bool(offers) and offers[0][0] == "text/html"


@view_config(Item, "search", action=protections.VIEW, methods=("GET",), accept_json=True,
             json_api=True)
def search_json(obj, request) -> webob.Response:
    """Answer the results below `obj` as JSON, a batch at a time."""
    request.answers_json = True
    answer = run_query(obj, request)
    base = request.url_of(obj).rstrip("/") + "/@@search"
    return json_response({
        "@id": answer.link(base, answer.start),
        "items": [result_record(result, request) for result in answer.results],
        "items_total": answer.total,
        "batching": answer.batching(base),
    })


@view_config(Item, "search", action=protections.VIEW, methods=("GET",), accept_json=False)
def search_page(obj, request) -> webob.Response:
    """Answer the results below `obj` as a page with a search form, for a browser."""
    if not prefers_html(request):
        return search_json(obj, request)
    base = request.url_of(obj).rstrip("/") + "/@@search"
    answer = run_query(obj, request)
    body = templates["search.pt"](
        title=f"Search {obj.title or obj.__name__ or 'Home'}", action=base,
        text=request.GET.get("text", ""), answer=answer,
        results=[(request.url_of_path(result.path), result) for result in answer.results],
        next_url=answer.link(base, next_start(answer.start, answer.size, answer.total)),
        previous_url=answer.link(base, previous_start(answer.start, answer.size)))
    return webob.Response(body, content_type="text/html", charset="utf-8")
