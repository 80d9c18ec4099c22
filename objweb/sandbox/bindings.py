"""The objects restricted code is handed besides the site's own: request, response, user.

Each is a small view with an explicit list of the names code may read
(`_code_names`); the real request, with its environment, credentials and
database connection, stays out of reach. `BoundCode` is a Template or Script
found by acquisition, remembering the object it was reached through, which
becomes its `context` when it is called.
"""

import re
from urllib.parse import quote

from objweb.sandbox.iteration import is_content
from objweb.sandbox.run import current_run
from objweb.security.permissions import is_known_permission
from objweb.traversal.location import path_of

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Headers code may not set: they frame the HTTP message itself.
FRAMING_HEADERS = frozenset({
    "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
    "te", "trailer", "proxy-connection"})
# Request headers code may not read: they carry credentials. They are named by
# the key of the WSGI environment WebOb reads them from, so that no spelling
# of the name (its case, `_` for `-`) reaches them.
SECRET_ENVIRON_KEYS = frozenset({"HTTP_AUTHORIZATION", "HTTP_PROXY_AUTHORIZATION", "HTTP_COOKIE"})
# The two headers CGI keeps without the HTTP_ prefix, as WebOb spells them upper-cased.
_UNPREFIXED = {"CONTENT-TYPE": "CONTENT_TYPE", "CONTENT-LENGTH": "CONTENT_LENGTH"}
# Printable ASCII but the space: what a Location keeps as it is; the rest is %-escaped.
_URL_SAFE = "".join(chr(code) for code in range(33, 127))
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class CodeView:
    """The base of objects handed to restricted code: it reads only `_code_names`.

    `_code_names` (the names code may read) and `_code_item` (what code gets
    for `view[key]`) are for the guards. Their leading underscore keeps them
    from code itself: RestrictedPython refuses such a name when it compiles,
    and a `from json import ...` reads a module with a plain getattr.
    """

    __slots__ = ()
    _code_names: frozenset = frozenset()

    def _code_item(self, key):
        raise TypeError(f"a {type(self).__name__} has no items")


class BoundCode(CodeView):
    """A Template or Script reached through `context`; calling it runs it there."""

    __slots__ = ("executable", "context")

    def __init__(self, executable, context):
        self.executable = executable
        self.context = context

    def __call__(self, *args, **kwargs):
        return self.executable.call_in(self.context, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.executable.type_name} {path_of(self.executable)} in {path_of(self.context)}>"


def header_name(name) -> str:
    """Return `name` if it is an HTTP header name: an ASCII token.

    Raises `ValueError` for anything else. Only ASCII names are taken:
    `'authorızation'` (a dotless ı) upper-cases to `AUTHORIZATION`.
    """
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise ValueError(f"not a header name: {name!r}")
    return name


def environ_key(name: str) -> str:
    """Return the key of the WSGI environment holding request header `name`, as WebOb reads it."""
    upper = name.upper()
    return _UNPREFIXED.get(upper) or "HTTP_" + upper.replace("-", "_")


def _refuse_controls(value) -> str:
    if not isinstance(value, str):
        raise TypeError("a header value is text")
    if any(ord(ch) < 32 and ch != "\t" or ord(ch) == 127 for ch in value):
        raise ValueError("a header value cannot contain CR, LF or other control characters")
    return value


def _check_header_value(value) -> str:
    _refuse_controls(value)
    if not value.isascii() and any(ord(ch) > 255 for ch in value):
        # HTTP carries header values as bytes, which WSGI hands over as Latin-1.
        raise ValueError("a header value holds only Latin-1 characters")
    return value


class ResponseView(CodeView):
    """What code may say about the answer: headers, a status, a redirect."""

    __slots__ = ("headers", "status", "location")
    _code_names = frozenset({"redirect", "set_header", "set_status"})

    def __init__(self):
        self.headers: list[tuple[str, str]] = []
        self.status: int | None = None
        self.location: str | None = None

    def set_header(self, name, value) -> None:
        """Set the response header `name` to `value`.

        Raises `ValueError` for a name that is not an HTTP token or frames
        the message, and for a value with CR, LF or another control character.
        """
        header_name(name)
        if name.lower() in FRAMING_HEADERS:
            raise ValueError(f"code cannot set the {name} header")
        value = _check_header_value(value)
        self.headers = [(key, old) for key, old in self.headers if key.lower() != name.lower()]
        self.headers.append((name, value))

    def set_status(self, status) -> None:
        """Answer with HTTP `status` (200 to 599)."""
        if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status!r}")
        self.status = status

    def redirect(self, url, status: int = 302) -> None:
        """Answer with a redirect to `url` (302 unless another 3xx status is given).

        Characters a URL cannot hold as they are (spaces, letters beyond
        ASCII) are %-escaped as UTF-8, as browsers do.
        """
        if status not in REDIRECT_STATUSES:
            raise ValueError(f"a redirect status is one of {sorted(REDIRECT_STATUSES)}")
        self.location = quote(_refuse_controls(url), safe=_URL_SAFE)
        self.status = status


class UploadView(CodeView):
    """A file sent with a form: its name, type, size and bytes."""

    __slots__ = ("filename", "content_type", "size", "_file")
    _code_names = frozenset({"filename", "content_type", "size", "read"})

    def __init__(self, filename: str, content_type: str, stream):
        self.filename = filename
        self.content_type = content_type
        self._file = stream
        stream.seek(0, 2)
        self.size = stream.tell()
        stream.seek(0)

    def read(self) -> bytes:
        """Return the file's bytes (within the run's size limit)."""
        budget = current_run().budget
        budget.check_text(self.size, "an upload")
        self._file.seek(0)
        data = self._file.read()
        budget.charge(len(data))
        return data


class RequestView(CodeView):
    """What code may read of the request: its form, method, URLs and plain headers.

    `csrf_token` is the token a form posted by the user's browser session
    must carry (`<input type="hidden" name="csrf_token" ...>`); empty without
    a session.
    """

    __slots__ = ("_request", "form", "response")
    _code_names = frozenset({"form", "get", "method", "url", "URL", "base_url",
                                "get_header", "response", "csrf_token"})

    def __init__(self, request, form: dict, response: ResponseView | None = None):
        self._request = request
        self.form = form
        self.response = response if response is not None else ResponseView()

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self._request.method

    @property
    def url(self) -> str:
        """The full URL asked for, query string included."""
        return self._request.url

    @property
    def URL(self) -> str:  # noqa: N802 (Zope's name for the URL without the query)
        """The URL asked for, without its query string."""
        return self._request.path_url

    @property
    def base_url(self) -> str:
        """The URL of the site's root, as the client sees it."""
        return self._request.base_url

    @property
    def csrf_token(self) -> str:
        """The token a form must send back when the visitor is logged in with a session.

        Empty otherwise. A page that shows it adds no power: any script the page
        runs could read it from the site's own pages anyway.
        """
        return getattr(self._request, "csrf_token", "") or ""

    def get(self, name, default=None):
        """Return the form value `name`, or `default`."""
        return self.form.get(name, default)

    def get_header(self, name, default=None):
        """Return the request header `name`, or `default`; credentials are never readable.

        The name is looked up where WebOb reads it, the WSGI environment, by
        the key it has there. Raises `ValueError` for a name that is not an
        ASCII HTTP token.
        """
        key = environ_key(header_name(name))
        if key in SECRET_ENVIRON_KEYS:
            return default
        return self._request.environ.get(key, default)

    def url_of(self, obj) -> str:
        """Return the public URL of `obj` (trusted callers only)."""
        return self._request.url_of(obj)

    def _code_item(self, key):
        return self.form[key]


class UserView(CodeView):
    """The user running the code: who, which roles, and what they may do where."""

    __slots__ = ("_policy", "_place")
    _code_names = frozenset({"id", "title", "roles", "is_authenticated",
                                "has_role", "has_permission"})

    def __init__(self, policy, place):
        self._policy = policy
        self._place = place

    @property
    def id(self) -> str | None:
        """The user's id (None for an anonymous visitor)."""
        return self._policy.principal.id

    @property
    def title(self) -> str:
        """The user's name as shown."""
        return self._policy.principal.title or "Anonymous User"

    @property
    def roles(self) -> tuple:
        """The roles the user folder gives the user, sorted."""
        return tuple(sorted(self._policy.principal.roles))

    @property
    def is_authenticated(self) -> bool:
        """Whether the user logged in."""
        return self._policy.principal.is_authenticated

    def has_role(self, role, obj=None) -> bool:
        """Return whether the user holds `role` on `obj` (default: the code's context)."""
        return role in self._policy.roles_in(self._located(obj))

    def has_permission(self, permission, obj=None) -> bool:
        """Return whether the user holds `permission` on `obj` (default: the code's context)."""
        if not is_known_permission(permission):
            raise ValueError(f"unknown permission: {permission!r}")
        return self._policy.has_permission(permission, self._located(obj))

    def _located(self, obj):
        if obj is None:
            return self._place
        if isinstance(obj, BoundCode):
            return obj.executable
        if not is_content(obj):
            raise TypeError("roles and permissions are held on objects of the site")
        return obj
