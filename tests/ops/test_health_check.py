"""`/@@health` for load balancers, in process (the cluster suites stop real servers)."""

from webtest import TestApp

import objweb
from objweb.views.health import DatabaseUnavailableError, check_database


def test_health_answers_200_to_anyone_without_caching(app):
    response = app.get("/@@health", status=200)
    assert response.text == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"
    assert app.head("/@@health", status=200).body == b""


def test_health_answers_even_when_the_site_is_closed_to_anonymous(db):
    with objweb.site(db) as root:
        root.manage_permission("View", roles=["Manager"], acquire=False)
        root.manage_permission("Access contents information", roles=["Manager"],
                               acquire=False)
    app = TestApp(objweb.make_app(db))
    app.get("/", status=401)
    assert app.get("/@@health", status=200).text == "ok\n"


def test_health_is_only_at_the_root(app, db, admin_auth):
    with objweb.site(db) as root:
        root.add("news", objweb.Folder(title="News"))
    app.get("/news/@@health", headers=admin_auth, status=404)
    app.get("/acl_users/@@health", headers=admin_auth, status=404)


def test_a_storage_that_fails_makes_health_answer_503(db):
    storage = db.storage

    class Failing:
        """The real storage, except that it cannot be reached any more."""

        def __getattr__(self, name):
            return getattr(storage, name)

        def lastTransaction(self):  # noqa: N802 (ZODB's name)
            raise OSError("connection refused")

    app = TestApp(objweb.make_app(db))
    db.storage = Failing()
    try:
        response = app.get("/@@health", status=503)
    finally:
        db.storage = storage
    assert response.text == "database unavailable\n"
    assert app.get("/@@health", status=200).text == "ok\n"


def test_check_database_refuses_a_disconnected_client(db):
    storage = db.storage

    class Disconnected:
        def is_connected(self):
            return False

    db.storage = Disconnected()
    try:
        connection = db.open()
        try:
            check_database(connection)
        except DatabaseUnavailableError as error:
            assert "not connected" in str(error)
        else:
            raise AssertionError("a disconnected client passed the check")
        finally:
            connection.close()
    finally:
        db.storage = storage
