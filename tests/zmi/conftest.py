"""Fixtures of the management screen tests: logged-in WebTest clients.

Browsers log in once and then send the session cookie, as the screens are
used in practice; `basic` clients send HTTP Basic credentials instead, for
the tests that prove a screen's form needs the CSRF token whatever the
credentials.
"""

import re

import pytest
import transaction
from webtest import TestApp

import objweb
from support import ADMIN, ADMIN_PASSWORD, basic_auth

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
EDITOR, EDITOR_PASSWORD = "editor", "editor-pw"


class Client:
    """A WebTest client logged in as one user, with the CSRF token of its pages."""

    def __init__(self, app: TestApp, headers: dict | None = None):
        self.app = app
        self.headers = headers or {}
        self._token = None

    @property
    def token(self) -> str:
        """The token this user's forms carry."""
        if self._token is None:
            page = self.get("/manage_contents")
            self._token = TOKEN.search(page.text).group(1)
        return self._token

    def get(self, url: str, status=200, **options):
        """GET `url` and check the status."""
        return self.app.get(url, status=status, headers=self.headers, **options)

    def post(self, url: str, params=(), status=303, *, token: bool = True, **options):
        """POST form `params` (pairs or a dict) to `url`, with the CSRF token unless told not to."""
        pairs = list(params.items()) if isinstance(params, dict) else list(params)
        if token:
            pairs.append(("csrf_token", self.token))
        return self.app.post(url, pairs, status=status, headers=self.headers, **options)

    def follow(self, response, status=200):
        """Follow a redirect and return the page it leads to."""
        return response.follow(status=status, headers=self.headers)


def log_in(app: TestApp, login: str, password: str) -> None:
    """Log `app`'s browser in through the login form."""
    form_page = app.get("/@@login", status=200)
    token = TOKEN.search(form_page.text).group(1)
    app.post("/@@login", {"login": login, "password": password, "csrf_token": token,
                          "came_from": "/"}, status=303)


@pytest.fixture
def manager(app) -> Client:
    """The site's Manager, logged in with a session."""
    log_in(app, ADMIN, ADMIN_PASSWORD)
    return Client(app)


@pytest.fixture
def basic(db) -> Client:
    """The site's Manager sending Basic credentials with every request."""
    return Client(TestApp(objweb.make_app(db)), basic_auth(ADMIN, ADMIN_PASSWORD))


@pytest.fixture
def editor(db) -> Client:
    """A user with the role Editor, logged in with a session."""
    with objweb.site(db) as root:
        root["acl_users"].add_user(EDITOR, EDITOR_PASSWORD, roles=["Editor"])
    app = TestApp(objweb.make_app(db))
    log_in(app, EDITOR, EDITOR_PASSWORD)
    return Client(app)


@pytest.fixture
def site(db):
    """Return a function that runs a block on the site in a transaction of its own."""
    def change(function):
        with objweb.site(db, user=ADMIN) as root:
            return function(root)
    return change


@pytest.fixture
def look(db):
    """Return a function that reads the site through a fresh connection."""
    def read(function):
        connection = db.open(transaction_manager=transaction.TransactionManager())
        try:
            return function(connection.root()["objweb"])
        finally:
            connection.close()
    return read


@pytest.fixture
def file_db(tmp_path):
    """A fresh site in a FileStorage, which keeps the history the Undo tab shows."""
    database = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(database, admin=ADMIN, password=ADMIN_PASSWORD)
    yield database
    database.close()


@pytest.fixture
def file_manager(file_db) -> Client:
    """The Manager, logged in to the site in `file_db`."""
    app = TestApp(objweb.make_app(file_db))
    log_in(app, ADMIN, ADMIN_PASSWORD)
    return Client(app)


@pytest.fixture
def client_for():
    """Return a function that logs a user in to a database and returns the client."""
    def make(database, login: str, password: str, settings=None) -> Client:
        app = TestApp(objweb.make_app(database, settings))
        log_in(app, login, password)
        return Client(app)
    return make
