"""Building the WSGI application: `make_app` and the PasteDeploy factory."""

from objweb.db import bootstrap, open_db
from objweb.publisher import Application, Settings
from objweb.publisher.accesslog import AccessLog


def make_app(db, settings: Settings | None = None, *, access_log: bool = True):
    """Return the WSGI application serving the site in `db`.

    Creates the site (root folder and `acl_users`) if the database holds none.
    """
    bootstrap(db)
    app = Application(db, settings)
    return AccessLog(app) if access_log else app
