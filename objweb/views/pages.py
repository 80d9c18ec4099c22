"""The public default views: a folder without a front page, a page, a file's bytes."""

import os

import webob
from chameleon import PageTemplateLoader

from objweb.content import File, Folder, Page
from objweb.security import protections
from objweb.traversal.views import view_config
from objweb.web.files import file_response

templates = PageTemplateLoader(os.path.join(os.path.dirname(__file__), "templates"),
                               auto_reload=False)


def html_response(body: str) -> webob.Response:
    """Return a `200` HTML response with `body`."""
    return webob.Response(body, content_type="text/html", charset="utf-8")


@view_config(Folder, action=protections.VIEW, methods=("GET",), accept_json=False)
def folder_front(folder, request) -> webob.Response:
    """Show a folder that has no `index_html`: its title, never a list of its items.

    A folder's page for browsers is its `index_html` (its own, or a Template
    or Script of that name above it); as in Zope, one without says so and
    lists nothing (programs list items through the JSON API, managers in
    Contents). The site root without one shows what the site is and where it
    is managed (Zope's Quick Start). Like a listing, the page needs "Access
    contents information" on the folder.
    """
    request.policy.check(protections.ACCESS, folder)
    is_root = folder is request.url_root
    body = templates["folder.pt"](
        title=folder.title or folder.__name__ or "objweb", is_root=is_root,
        manage_url=request.url_of(folder).rstrip("/") + "/manage")
    return html_response(body)


@view_config(Page, action=protections.VIEW, methods=("GET",), accept_json=False)
def page_view(page, request) -> webob.Response:
    """Answer the page's HTML inside a minimal document."""
    return html_response(templates["page.pt"](title=page.title or page.__name__, body=page.body))


@view_config(File, action=protections.VIEW, methods=("GET",), accept_json=False)
def file_view(file_obj, request) -> webob.Response:
    """Answer the file's bytes, conditionally and by range."""
    return file_response(file_obj, request)
