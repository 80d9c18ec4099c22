"""A site for the WebDAV door: users of each role, a Manager-only folder, one of each type."""

import pytest
import transaction
import ZODB
from webtest import TestApp

import objweb
from objweb import File, Folder, Image, Page, Script, Template
from objweb.security.permissions import (
    ACCESS_CONTENTS, ADD_OBJECTS, CHANGE_OBJECTS, DELETE_OBJECTS, MANAGER, VIEW,
    VIEW_MANAGEMENT, WEBDAV_LOCK, WEBDAV_UNLOCK)

from sample_site import png_bytes
from support import ADMIN_AUTH, bootstrapped_storage, layered_db

from dav_site import DAV


@pytest.fixture(scope="session")
def site_template():
    """The site every test starts from: editors, /docs with one object of each type, and a
    Manager-only /private (made once: hashing passwords takes time)."""
    storage = bootstrapped_storage()
    database = ZODB.DB(storage)
    with objweb.site(database) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
        root["acl_users"].add_user("other", "other-pw", roles=["Editor"])
        docs = root.add("docs", Folder(title="Docs"))
        docs.add("page.html", Page(title="A page", body="<p>Hi</p>"))
        docs.add("view.pt", Template(source='<h1 tal:content="context/title">t</h1>'))
        docs.add("greet.py", Script(params="name='world'", body="return 'Hello ' + name\n"))
        docs.add("logo.png", Image(data=png_bytes(), content_type="image/png"))
        docs.add("data.bin", File(data=bytes(range(256)) * 4, content_type="application/x-foo"))
        private = root.add("private", Folder(title="Private"))
        private.add("secret.html", Page(body="<p>secret</p>"))
        for permission in (VIEW, ACCESS_CONTENTS, VIEW_MANAGEMENT, ADD_OBJECTS, DELETE_OBJECTS,
                           CHANGE_OBJECTS, WEBDAV_LOCK, WEBDAV_UNLOCK):
            private.manage_permission(permission, roles=[MANAGER], acquire=False)
    return storage


@pytest.fixture
def db(site_template):
    """A fresh copy of the site, in memory."""
    database = layered_db(site_template)
    yield database
    transaction.abort()
    database.close()


@pytest.fixture
def app(db):
    """A WebTest client for the site."""
    return TestApp(objweb.make_app(db, access_log=False))


@pytest.fixture
def dav(app):
    """Return a function sending one WebDAV request (the admin's, unless `auth` says)."""
    def send(method, path, *, status, auth=ADMIN_AUTH, body=b"", headers=None):
        all_headers = dict(auth or {})
        all_headers.update(headers or {})
        return app.request(DAV + path, method=method, body=body, headers=all_headers,
                           status=status)
    return send


@pytest.fixture
def stored(db):
    """Return a function that reads an object (or None) through a new connection.

    `look(obj)`, when given, is what is returned, read while the connection is open.
    """
    def read(path, look=None):
        with objweb.site(db) as root:
            try:
                obj = objweb.find(root, path)
            except KeyError:
                return None
            obj._p_activate()
            return obj if look is None else look(obj)
    return read
