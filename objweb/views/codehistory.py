"""The history of a source over HTTP: the revisions of a Template, Script or Page, and revert.

`GET /<path>/@@history` lists the kept revisions, newest first;
`GET /<path>/@@history/<id>` adds one revision's source (a Script's with its
`## parameters=` header line, as WebDAV and `objweb pull` write it);
`POST /<path>/@@revert` with `{"revision": id}` makes that source current
again through the object's `edit`, so it is a new revision, a Page's HTML is
cleaned as any edit by that user is, and whoever reverts code owns it.
Reading the history needs the right to manage the object, reverting it the
right to change it.
"""

import webob

from objweb.content.base import Item
from objweb.content import revisions
from objweb.content.revisions import (
    Revision, clean_note, keeps_history, revision_of, revisions_of)
from objweb.content.sources import source_text
from objweb.errors import NotFoundError, ValidationError
from objweb.views.jsonapi import cleaned_html, iso_time, json_response
from objweb.security import protections
from objweb.traversal.location import path_of
from objweb.traversal.views import view_config


def describe_revision(revision: Revision, obj, *, with_source: bool = False) -> dict:
    """Return the JSON form of one revision of `obj`."""
    data = {"id": revision.id, "author": revision.author, "time": iso_time(revision.time),
            "note": revision.note}
    if with_source:
        data["source"] = source_text(type(obj), revision.values)
    return data


def _with_history(obj):
    if not keeps_history(obj):
        raise NotFoundError(f"a {obj.type_name} keeps no history")
    return obj


@view_config(Item, "history", action=protections.MANAGE, methods=("GET",),
             accepts_subpath=True, json_api=True)
def history(obj, request) -> webob.Response:
    """Answer the kept revisions, newest first, or one of them with its source."""
    _with_history(obj)
    subpath = request.traversal.subpath
    if not subpath:
        return json_response({"items": [describe_revision(revision, obj)
                                        for revision in revisions_of(obj)]})
    if len(subpath) != 1 or not (subpath[0].isascii() and subpath[0].isdigit()):
        raise NotFoundError("no such revision")
    revision = revision_of(obj, int(subpath[0]))
    return json_response(describe_revision(revision, obj, with_source=True))


def requested_revision(values: dict) -> int:
    """Return the revision id a revert's JSON body names.

    Raises `ValidationError` for a body without a whole-number `revision`, or with other members.
    """
    unknown = sorted(set(values) - {"revision", "note"})
    if unknown:
        raise ValidationError(f"{unknown[0]}: a revert takes only revision and note", unknown[0])
    revision_id = values.get("revision")
    if type(revision_id) is not int:
        raise ValidationError("revision: give the id of a revision, a whole number",
                              "revision")
    return revision_id


@view_config(Item, "revert", action=protections.CHANGE, methods=("POST",), json_api=True)
def revert(obj, request) -> webob.Response:
    """Make the source of the body's `revision` current again; answer the new revision."""
    _with_history(obj)
    values = request.json_object(request.settings.max_json_body)
    revision_id = requested_revision(values)
    newest = revisions.revert(
        obj, revision_id, note=clean_note(values.get("note")),
        clean=lambda old: cleaned_html(request, obj, old, obj)[0])
    request.note(f"reverted {path_of(obj)} to revision {revision_id}")
    return json_response(describe_revision(newest, obj))
