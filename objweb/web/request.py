"""The request objweb's views receive: WebOb's, plus what the publisher learned.

Besides WebOb's API, a request knows the site root, the traversal result,
the principal and its security policy, and how to write URLs that honour
virtual hosting.
"""

import json
from collections.abc import Callable
from functools import cached_property
from urllib.parse import quote, urlsplit

import webob
from webob.acceptparse import Accept
from webob.multidict import MultiDict
from ZODB.Connection import Connection

from objweb.content.folder import Folder
from objweb.errors import ValidationError
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import Principal
from objweb.security.sessions import Session
from objweb.security.throttle import UNTHROTTLED, LoginThrottle, Unthrottled
from objweb.traversal.location import path_of, url_of
from objweb.traversal.resolve import TraversalResult
from objweb.traversal.views import ViewRegistry
from objweb.web.config import Settings
from objweb.web.diagnostics import Diagnostics
from objweb.web.limits import (
    RequestTooLargeError, check_form, check_json_depth, is_form, parse_form)
from objweb.web.vhost import VirtualHost

JSON_TYPE = "application/json"
# Parsed once: WebOb would parse the offers again for every request.
_OFFERS = [Accept.parse_offer("text/html"), Accept.parse_offer(JSON_TYPE)]
# The answer for each `Accept` header seen: browsers and clients send a few
# distinct ones, over and over. Bounded, as the headers come from anyone.
_PREFERS_JSON: dict[str, bool] = {}
_PREFERENCES_KEPT = 256


def child_url(container_url: str, name: str) -> str:
    """Return the URL of the item `name` of the container at `container_url`."""
    # A batch of a thousand items would otherwise quote every ancestor's name a thousand times.
    return container_url.rstrip("/") + "/" + quote(name, safe="")


class UnsupportedMediaTypeError(ValidationError):
    """A JSON verb sent with a body that does not say it is JSON."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def is_json_type(content_type: str) -> bool:
    """Return whether a media type (without parameters) is JSON: `application/json` or `+json`."""
    return content_type == JSON_TYPE or (
        content_type.startswith("application/") and content_type.endswith("+json"))


class Request(webob.Request):
    """A WebOb request with objweb's per-request state."""

    # Set by the publisher before any view runs: the site's root folder, the
    # object the public URL's root maps to (virtual hosting), that URL, where
    # traversal led, who asks and what they may do, the application's
    # settings and view registry, and the request's database connection.
    root: Folder | None = None
    url_root: Folder | None = None
    base_url: str = ""
    traversal: TraversalResult | None = None
    principal: Principal | None = None
    policy: SecurityPolicy | None = None
    settings: Settings | None = None
    registry: ViewRegistry | None = None
    # This process's record of incidents, slow requests and conflicts.
    diagnostics: Diagnostics | None = None
    connection: Connection | None = None
    # The token pages give the user's forms to send back with every state
    # change (the `csrf_token` form field or the `X-CSRF-Token` header), and
    # every token still accepted (a Basic user's previous one too).
    csrf_token = ""
    csrf_tokens: tuple[str, ...] = ()
    # How the principal proved who it is: "basic", "session" or None (anonymous).
    authenticated_by: str | None = None
    # The browser session of the request, if it came with a valid session cookie.
    session: Session | None = None
    # Set when the request carried a session cookie that no longer holds.
    session_ended: bool = False
    # The application's count of failed logins.
    throttle: LoginThrottle | Unthrottled = UNTHROTTLED
    # The virtual host the path described.
    virtual_host: VirtualHost | None = None
    # Set when the view called belongs to the JSON API: errors are then told in JSON.
    answers_json: bool = False
    # The challenge hook of the view the path reached, if it has one: it tells
    # the request's refusals in place of the application's.
    view_challenge: Callable | None = None

    @property
    def GET(self):  # noqa: N802 (WebOb's name)
        """The query string's parameters; `ValidationError` if they are not UTF-8."""
        try:
            return webob.Request.GET.fget(self)
        except UnicodeDecodeError:
            raise ValidationError("the query string is not valid UTF-8") from None

    @property
    def POST(self):  # noqa: N802 (WebOb's name)
        """The form body's fields; `ValidationError` if the form cannot be read.

        A form over its size or field limit is refused with
        `RequestTooLargeError` (413): a urlencoded one unparsed, a multipart
        one at its first part over the limit.
        """
        parsed = self.environ.get("webob._parsed_post_vars")
        if parsed is not None and parsed[1] is self.body_file_raw:
            return parsed[0]
        if not is_form(self):
            return webob.Request.POST.fget(self)
        check_form(self, self.limits)
        try:
            form = parse_form(self, self.limits.max_form_fields)
        except ValidationError:
            raise
        except ValueError as error:  # a multipart body without a usable boundary
            raise ValidationError(f"the form cannot be read: {error}") from None
        if None in form:  # a multipart part without a name is no field
            form = MultiDict((key, value) for key, value in form.items() if key is not None)
        self.environ["webob._parsed_post_vars"] = (form, self.body_file_raw)
        return form

    @cached_property
    def wants_json(self) -> bool:
        """Whether the client prefers JSON to HTML."""
        # Cached: the publisher and the error boundary ask more than once.
        header = self.environ.get("HTTP_ACCEPT")
        if header is None:
            return False
        answer = _PREFERS_JSON.get(header)
        if answer is None:
            offers = self.accept.acceptable_offers(_OFFERS)
            answer = bool(offers) and offers[0][0] is _OFFERS[1]
            if len(_PREFERS_JSON) < _PREFERENCES_KEPT:
                _PREFERS_JSON[header] = answer
        return answer

    @property
    def comes_from_this_site(self) -> bool:
        """Whether the browser says a page of this site sent the request.

        Browsers send `Sec-Fetch-Site` (or at least `Origin` with a POST), and a
        page cannot forge either: without them, the request's origin is unknown.
        """
        fetch_site = self.headers.get("Sec-Fetch-Site")
        if fetch_site is not None:
            return fetch_site == "same-origin"
        origin = self.headers.get("Origin")
        if origin is None:
            return False
        parts = urlsplit(self.base_url or self.host_url)
        # Behind a virtual host the browser's origin is the public one.
        own = {self.host_url.lower(), f"{parts.scheme}://{parts.netloc}".lower()}
        return origin.rstrip("/").lower() in own

    @property
    def limits(self) -> Settings:
        """The settings whose limits this request is held to."""
        return self.settings or Settings()

    @property
    def has_json_body(self) -> bool:
        """Whether the body says it is JSON (`application/json` or a `+json` type)."""
        return is_json_type(self.content_type)

    def json_object(self, max_size: int) -> dict:
        """Return the body parsed as a JSON object.

        Raises `UnsupportedMediaTypeError` unless the body is declared JSON,
        `RequestTooLargeError` for a body over `max_size` bytes, and
        `ValidationError` for a body that is not JSON or not an object, or
        nested deeper than the `max_json_depth` setting.
        """
        if not self.has_json_body:
            raise UnsupportedMediaTypeError(f"send the body as {JSON_TYPE}")
        if self.content_length is not None and self.content_length > max_size:
            raise RequestTooLargeError(f"the JSON body is over {max_size} bytes")
        raw = self.body_file.read(max_size + 1)
        if len(raw) > max_size:
            raise RequestTooLargeError(f"the JSON body is over {max_size} bytes")
        try:
            text = raw.decode(self.charset or "utf-8")
            # The parser recurses: a few kilobytes of "[[[[..." would exhaust its stack.
            check_json_depth(text, self.limits.max_json_depth)
            value = json.loads(text, parse_constant=_refuse_constant)
        except ValidationError:
            raise
        except (UnicodeDecodeError, LookupError, ValueError) as error:
            raise ValidationError(f"the body is not valid JSON: {error}") from None
        except RecursionError:
            # Only with `max_json_depth` set beyond what the parser's stack holds.
            raise ValidationError("the JSON body is nested too deeply") from None
        if not isinstance(value, dict):
            raise ValidationError("the body must be a JSON object")
        return value

    def url_of(self, obj) -> str:
        """Return the public URL of `obj`, virtual hosting included."""
        try:
            return url_of(obj, self.base_url, self.url_root)
        except ValueError:
            # Outside the virtual host's root: the plain path on the host.
            return url_of(obj, self.host_url)

    def url_of_path(self, path: str) -> str:
        """Return the public URL of the object at site path `path`, without loading it.

        As `url_of`: inside the virtual host's root, the URL below it; outside,
        the plain path on the host.
        """
        root_path = path_of(self.url_root) if self.url_root is not None else "/"
        segments = [segment for segment in path.split("/") if segment]
        root_segments = [segment for segment in root_path.split("/") if segment]
        if segments[:len(root_segments)] == root_segments:
            base, segments = self.base_url, segments[len(root_segments):]
        else:
            base = self.host_url
        return base.rstrip("/") + "/" + "/".join(quote(name, safe="") for name in segments)

    def note(self, text: str) -> None:
        """Add `text` to the note of this request's transaction, for the Undo screen."""
        if self.connection is not None:
            self.connection.transaction_manager.get().note(text)
