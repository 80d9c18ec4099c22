"""The JSON API: read, create, change, delete and PUT objects over HTTP.

Every verb answers with JSON or an empty `204`, checks the same permissions as
the rest of the site (declared by the types, enforced by the publisher and the
policy), and validates the whole body before it changes anything, so a `400`
leaves the database as it was.
"""

import json
import mimetypes
from datetime import datetime, timezone
from urllib.parse import urlencode

import webob

from objweb.content import File, Folder, Image, Item, Page, type_named
from objweb.content.broken import BrokenItem, is_broken
from objweb.content.markup import clean_html_fields
from objweb.content.mediatype import DEFAULT_CONTENT_TYPE, MediaType, parse_media_type
from objweb.content.schema import convert_values, fields_of
from objweb.content.userfolder import UserFolder
from objweb.content.values import plain_value
from objweb.errors import ValidationError
from objweb.names import check_name
from objweb.security import protections
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from objweb.security.protections import permission_for
from objweb.traversal.location import path_of
from objweb.traversal.resolve import is_container
from objweb.traversal.views import CREATE_BY_PUT, view_config
from objweb.web.batching import batch_of, read_batch_parameters
from objweb.web.request import child_url

JSON_TYPE = "application/json"
# The member of an answer that says what cleaning took out of which HTML field.
REMOVED_KEY = "@removed"
REMOVED_HEADER = "Objweb-Removed"


def iso_time(timestamp: float) -> str:
    """Return `timestamp` as an ISO 8601 string in UTC."""
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()


def json_response(data, status: int = 200) -> webob.Response:
    """Return `data` as a JSON response."""
    response = webob.Response(json.dumps(data, ensure_ascii=False), status=status,
                              content_type=JSON_TYPE, charset="utf-8")
    response.cache_control = "no-cache"
    return response


def json_record(obj, request, *, full: bool = True, url: str | None = None) -> dict:
    """Return the JSON form of `obj`: its identity and the fields the user may read.

    `url` is the object's URL when the caller knows it already.
    """
    data = {
        "@id": url or request.url_of(obj),
        "@type": obj.type_name,
        "id": obj.__name__ or "",
        "title": obj.title,
        "modified": iso_time(obj.modified),
    }
    if is_broken(obj):
        # Its package is gone: what it was, so that a client can tell and reinstall.
        data["broken"] = True
        data["missing_class"] = obj.missing_class
    if not full:
        return data
    data["created"] = iso_time(obj.created)
    data["owner"] = obj.owner
    for field in fields_of(obj):
        if field.name in data or field.kind == "base64":
            continue
        if request.policy.can(field.read_action, obj):
            data[field.name] = plain_value(getattr(obj, field.name))
    return data


@view_config(Item, action=protections.VIEW, methods=("GET",), accept_json=True)
@view_config(BrokenItem, action=protections.VIEW, methods=("GET",), accept_json=True)
def json_get(obj, request) -> webob.Response:
    """Answer `obj` as JSON; a container adds a batch of the items the user may view.

    The items are left out for a user without "Access contents information"
    on the container: they may see the container, not what it holds.
    """
    data = json_record(obj, request)
    if is_container(obj) and request.policy.can(protections.ACCESS, obj):
        start, size = read_batch_parameters(request)
        batch = batch_of(obj, start, size)
        base = data["@id"]
        items = ((name, obj[name]) for name in batch.names)
        data["items"] = [json_record(item, request, full=False, url=child_url(base, name))
                         for name, item in items if request.policy.can(protections.VIEW, item)]
        data["items_total"] = batch.total
        data["batching"] = _batch_links(base, batch)
    return json_response(data)


def _batch_links(url: str, batch) -> dict:
    def link(start):
        return None if start is None else url + "?" + urlencode(
            {"b_start": start, "b_size": batch.size})
    return {"b_start": batch.start, "b_size": batch.size,
            "next": link(batch.next_start), "prev": link(batch.previous_start)}


def _valid_new_name(folder, name: object) -> str:
    if name is None:
        raise ValidationError("id: a name is required", "id")
    try:
        return folder.check_new_name(name)
    except ValueError as error:
        raise ValidationError(f"id: {error}", "id") from None


@view_config(Folder, action=protections.ADD, methods=("POST",), json_api=True)
def json_create(folder, request) -> webob.Response:
    """Create the object the JSON body describes; answer `201` with its `Location`."""
    values = request.json_object(request.settings.max_json_body)
    cls = type_named(values.pop("@type", None))
    name = _valid_new_name(folder, values.pop("id", None))
    check = getattr(cls, "can_be_added_to", None)
    if check is not None and not check(folder):
        raise ValidationError(f"a {cls.type_name} cannot be added here", "@type")
    if cls is UserFolder and name != "acl_users":
        raise ValidationError("a user folder must be named acl_users", "id")
    request.policy.check_permission(permission_for(cls, protections.CREATE), folder)
    converted, removed = cleaned_html(request, cls, convert_values(cls, values), folder)
    obj = cls(**converted)
    folder.add(name, obj)
    request.note(f"added {cls.type_name} {path_of(obj)}")
    return _created(request, obj, removed)


def cleaned_html(request, obj_or_type, values: dict, place) -> tuple[dict, dict]:
    """Return `values` with their HTML cleaned, and what went, by field.

    HTML is kept as written for a user who holds `Write unfiltered HTML` on `place`.
    """
    unfiltered = request.policy.has_permission(WRITE_UNFILTERED_HTML, place)
    return clean_html_fields(obj_or_type, values, unfiltered=unfiltered)


def _created(request, obj, removed: dict) -> webob.Response:
    """Answer `201` with the new object, and what cleaning took out of its HTML."""
    data = json_record(obj, request)
    if removed:
        data[REMOVED_KEY] = removed
    response = json_response(data, status=201)
    response.location = request.url_of(obj)
    return response


def _changed(removed: dict) -> webob.Response:
    """Answer a change with the contract's `204`.

    A 204 has no body, so what cleaning took out of the HTML is told in the
    `Objweb-Removed` header, as JSON (ASCII-escaped, so it is a valid header value).
    """
    response = webob.Response(status=204)
    if removed:
        response.headers[REMOVED_HEADER] = json.dumps(removed, sort_keys=True)
    return response


@view_config(Item, action=protections.CHANGE, methods=("PATCH",), json_api=True)
def json_patch(obj, request) -> webob.Response:
    """Change the fields the JSON body names, all or none; answer `204`."""
    values = request.json_object(request.settings.max_json_body)
    if values.pop("@type", obj.type_name) != obj.type_name:
        raise ValidationError("@type cannot be changed", "@type")
    if values.pop("id", obj.__name__) != obj.__name__:
        raise ValidationError("id cannot be changed by PATCH", "id")
    converted = convert_values(obj, values)
    for name in converted:
        field = next(field for field in fields_of(obj) if field.name == name)
        request.policy.check(field.write_action, obj)
    converted, removed = cleaned_html(request, obj, converted, obj)
    obj.edit(**converted)
    request.note(f"changed {', '.join(sorted(converted)) or 'nothing'} of {path_of(obj)}")
    return _changed(removed)


@view_config(Item, action=protections.DELETE, methods=("DELETE",), on_parent=True,
             json_api=True)
@view_config(BrokenItem, action=protections.DELETE, methods=("DELETE",), on_parent=True,
             json_api=True)
def json_delete(obj, request) -> webob.Response:
    """Remove `obj` from its container; answer `204`."""
    parent = obj.__parent__
    if isinstance(obj, UserFolder) and parent.__parent__ is None:
        raise ValidationError("the site's own user folder cannot be deleted")
    path = path_of(obj)
    parent.remove(obj.__name__)
    request.note(f"deleted {path}")
    return webob.Response(status=204)


def _body_text(request) -> str:
    try:
        return request.body_file.read().decode(request.charset or "utf-8")
    except UnicodeDecodeError:
        raise ValidationError("the body is not text in its declared charset") from None


def _body_type(request, name: str | None = None) -> MediaType | None:
    """Return the parsed type of a PUT body; 400 if malformed.

    An untyped body takes the type its new `name` suggests (`report.pdf`),
    as a desktop client or `curl -T` expects; None if the name says nothing.
    """
    header = request.headers.get("Content-Type", "")
    if not header.strip():
        guessed = mimetypes.guess_type(name)[0] if name else None
        return parse_media_type(guessed) if guessed else None
    try:
        return parse_media_type(header)
    except ValueError as error:
        raise ValidationError(f"content_type: {error}", "content_type") from None


def _new_from_body(name: str, request, folder) -> tuple[Item, dict]:
    """Return the object a PUT body makes, and what cleaning took out of its HTML."""
    body_type = _body_type(request, name)
    essence = body_type.essence if body_type is not None else DEFAULT_CONTENT_TYPE
    if essence == "text/html":
        values, removed = cleaned_html(request, Page, {"body": _body_text(request)}, folder)
        return Page(title=name, body=values["body"]), removed
    cls = Image if essence.startswith("image/") else File
    return cls(title=name, data=request.body_file, content_type=str(body_type or essence)), {}


@view_config(Folder, CREATE_BY_PUT, action=protections.ADD, methods=("PUT",), json_api=True)
def put_new(folder, request) -> webob.Response:
    """Create a File (or a Page, for `text/html`) from the raw body; answer `201`."""
    name = request.traversal.missing
    try:
        check_name(name)
    except ValueError as error:
        raise ValidationError(str(error), "id") from None
    new, removed = _new_from_body(name, request, folder)
    obj = folder.add(name, new)
    request.note(f"uploaded {path_of(obj)}")
    return _created(request, obj, removed)


@view_config(Item, action=protections.CHANGE, methods=("PUT",), json_api=True)
def put_replace(obj, request) -> webob.Response:
    """Replace a File's content or a Page's body with the raw body; answer `204`."""
    body_type = _body_type(request)
    removed = {}
    if isinstance(obj, File):
        if body_type is not None:
            obj.edit(content_type=str(body_type))
        obj.write(request.body_file)
    elif isinstance(obj, Page) and body_type is not None and body_type.essence == "text/html":
        values, removed = cleaned_html(request, obj, {"body": _body_text(request)}, obj)
        obj.edit(**values)
    else:
        raise ValidationError(f"PUT cannot replace a {obj.type_name} with "
                              f"{body_type.essence if body_type else 'an untyped body'}")
    request.note(f"replaced {path_of(obj)}")
    return _changed(removed)
