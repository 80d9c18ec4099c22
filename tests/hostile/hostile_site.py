"""The site hostile requests are sent to, how they are sent, and what every answer must be.

A request is a `RawRequest`: method, path, query string, headers and body as
the bytes a client could put on the wire, turned into a WSGI environ by hand
so that nothing (WebTest's checks, a client library) cleans it first. Each
request meets a fresh copy of one sample site: a layered DemoStorage over a
bootstrapped base, so that what one request changed never steers the next.

`judge` states the properties: no 5xx, no traceback in the body, and a
refused request (4xx) leaves the database as it was.
"""

import base64
import io
import json
import re
import sys
from dataclasses import asdict, dataclass, field

import transaction
import ZODB

import objweb
from objweb import File, Folder, Image, Page, Script, Template
from objweb.web.config import Settings
from sample_site import REPORT, png_bytes
from support import ADMIN, ADMIN_PASSWORD, basic_auth, bootstrapped_storage, layered_db

EDITOR, EDITOR_PASSWORD = "editor", "editor-pw"
ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)["Authorization"]
EDITOR_AUTH = basic_auth(EDITOR, EDITOR_PASSWORD)["Authorization"]

# Every path of the sample site, and the names a hostile path mixes with them.
SITE_PATHS = ("/", "/news", "/news/hello", "/news/report", "/news/logo", "/news/view",
              "/news/greet", "/private", "/private/secret", "/acl_users", "/index_html")
BODY_PATHS = SITE_PATHS + (
    "/news/@@manage_add", "/news/@@manage_contents", "/news/hello/@@manage_edit",
    "/news/report/@@manage_edit", "/news/greet/@@manage_edit", "/news/@@manage_security",
    "/acl_users/@@manage_users", "/@@login", "/@@logout", "/news/@@manage_importexport",
    "/news/@@manage_properties", "/news/@@manage_undo", "/news/greet/@@proxy-roles",
    "/news/new-page", "/news/greet/extra/path")


def build_site():
    """Return the read-only base storage holding the sample site every request starts from."""
    storage = bootstrapped_storage()
    db = ZODB.DB(storage)
    with objweb.site(db) as root:
        root["acl_users"].add_user(EDITOR, EDITOR_PASSWORD, roles=["Editor"])
        root["news"] = news = Folder(title="News")
        news["hello"] = Page(title="Hello", body="<p>Hi</p>")
        news["report"] = File(title="Q3", data=REPORT, content_type="application/pdf")
        news["logo"] = Image(title="Logo", data=png_bytes(), content_type="image/png")
        news["view"] = Template(title="View", source='<h1 tal:content="context/title"/>')
        news["greet"] = Script(title="Greet", params="name='world', count=1",
                               body="return 'Hello %s %s' % (name, count)")
        root["index_html"] = Template(title="Home", source="<p>home</p>")
        root["private"] = Folder(title="Private")
        root["private"]["secret"] = Page(title="Secret", body="<p>s</p>")
        root["private"].manage_permission("View", roles=["Manager"], acquire=False)
        root["private"].manage_permission("Access contents information", roles=["Manager"],
                                          acquire=False)
    return storage


@dataclass(frozen=True)
class RawRequest:
    """One request as a client could send it. Strings hold bytes as latin-1, as WSGI does."""

    method: str = "GET"
    path: str = "/"
    query: str = ""
    headers: tuple = ()
    body: bytes = b""
    # Set to send a Content-Length that is not the body's length (or is no number).
    content_length: str | None = None

    def environ(self) -> dict:
        """Return the WSGI environ a server would build for this request."""
        environ = {
            "REQUEST_METHOD": self.method, "SCRIPT_NAME": "", "PATH_INFO": self.path,
            "QUERY_STRING": self.query, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "localhost", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(self.body), "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(self.body)) if self.body else "",
        }
        if self.content_length is not None:
            environ["CONTENT_LENGTH"] = self.content_length
        for name, value in self.headers:
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
            else:
                environ["HTTP_" + key] = value
        return environ

    def to_json(self) -> str:
        """Return the request as one line of JSON, the body in base64."""
        record = asdict(self)
        record["headers"] = [list(pair) for pair in self.headers]
        record["body"] = base64.b64encode(self.body).decode()
        return json.dumps(record, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "RawRequest":
        record = json.loads(line)
        record["headers"] = tuple(tuple(pair) for pair in record["headers"])
        record["body"] = base64.b64decode(record["body"])
        return cls(**record)


@dataclass
class Answer:
    """What the application answered, or the exception that escaped it (status 500)."""

    status: int
    headers: list = field(default_factory=list)
    body: bytes = b""
    escaped: str | None = None


class HostileSite:
    """The sample site, copied afresh for each request."""

    def __init__(self):
        self.base = build_site()
        # The same login throttle serves every request, as in a server; a run of
        # failed logins meets 429, which is an answer like any other.
        self.settings = Settings()

    def send(self, request: RawRequest) -> tuple[Answer, bool]:
        """Send `request` to a fresh copy of the site.

        Returns the answer, and whether the request changed the database.
        """
        db = layered_db(self.base)
        try:
            before = db.lastTransaction()
            answer = call(objweb.make_app(db, self.settings), request.environ())
            transaction.abort()
            return answer, db.lastTransaction() != before
        finally:
            db.close()


def call(app, environ: dict) -> Answer:
    """Call the WSGI `app` and read its whole answer; an exception that escapes is a 500."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    try:
        iterable = app(environ, start_response)
        try:
            body = b"".join(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
    except Exception as error:  # the property under test: nothing escapes the boundary
        return Answer(500, escaped=f"{type(error).__name__}: {error}")
    return Answer(int(captured["status"].split(" ", 1)[0]), captured["headers"], body)


def problems(request: RawRequest, answer: Answer, changed: bool) -> list[str]:
    """Return what is wrong with `answer` to `request` (empty when all holds)."""
    found = []
    if answer.escaped:
        found.append(f"an exception escaped the application: {answer.escaped}")
    elif answer.status >= 500:
        found.append(f"answered {answer.status}: {answer.body[:300]!r}")
    text = answer.body.decode("latin-1")
    if "Traceback" in text or 'File "' in text:
        found.append(f"a traceback in the body: {text[:300]!r}")
    if 400 <= answer.status < 500 and changed:
        found.append(f"refused with {answer.status} yet the database changed")
    return found


def judge(site: HostileSite, request: RawRequest) -> Answer:
    """Send `request` and fail with a clear message unless every property holds."""
    answer, changed = site.send(request)
    found = problems(request, answer, changed)
    assert not found, f"{request!r}:\n" + "\n".join(found)
    return answer


def admin_csrf_token(site: HostileSite) -> str:
    """Return the CSRF token the admin's forms carry under Basic credentials."""
    answer = judge(site, RawRequest(path="/manage_contents",
                                    headers=(("Authorization", ADMIN_AUTH),)))
    return re.search(r'name="csrf_token" value="([^"]+)"', answer.body.decode()).group(1)
