"""The public default views: a folder's listing, a page, a file's bytes."""

import os
from dataclasses import dataclass
from urllib.parse import urlencode

import webob
from chameleon import PageTemplateLoader

from objweb.content import File, Folder, Page
from objweb.security import protections
from objweb.traversal.views import view_config
from objweb.web.files import file_response
from objweb.web.batching import batch_of, read_batch_parameters
from objweb.web.request import child_url

templates = PageTemplateLoader(os.path.join(os.path.dirname(__file__), "templates"),
                               auto_reload=False)


@dataclass(frozen=True)
class ListingEntry:
    """One line of a folder's public listing."""

    url: str
    title: str
    type_name: str


def html_response(body: str) -> webob.Response:
    """Return a `200` HTML response with `body`."""
    return webob.Response(body, content_type="text/html", charset="utf-8")


@view_config(Folder, action=protections.VIEW, methods=("GET",), accept_json=False)
def folder_listing(folder, request) -> webob.Response:
    """List, a batch at a time, the items of `folder` the user may view.

    A listing shows what the folder holds, so it needs "Access contents
    information" on the folder as well, as Zope's `objectIds` does.
    """
    request.policy.check(protections.ACCESS, folder)
    start, size = read_batch_parameters(request)
    batch = batch_of(folder, start, size)
    base = request.url_of(folder)
    entries = []
    for name in batch.names:
        obj = folder[name]
        if request.policy.can(protections.VIEW, obj):
            entries.append(ListingEntry(child_url(base, name), obj.title or name, obj.type_name))

    def batch_url(position):
        if position is None:
            return None
        return base + "?" + urlencode({"b_start": position, "b_size": size})

    body = templates["folder.pt"](
        title=folder.title or folder.__name__ or "Home", entries=entries,
        next_url=batch_url(batch.next_start), previous_url=batch_url(batch.previous_start))
    return html_response(body)


@view_config(Page, action=protections.VIEW, methods=("GET",), accept_json=False)
def page_view(page, request) -> webob.Response:
    """Answer the page's HTML inside a minimal document."""
    return html_response(templates["page.pt"](title=page.title or page.__name__, body=page.body))


@view_config(File, action=protections.VIEW, methods=("GET",), accept_json=False)
def file_view(file_obj, request) -> webob.Response:
    """Answer the file's bytes, conditionally and by range."""
    return file_response(file_obj, request)
