"""Building the WSGI application: `make_app`, the site made if missing and the access log.

The PasteDeploy entry point, which reads `objweb.ini`, is
`objweb.instance.paste.app_factory`.
"""

from objweb.app import Application
from objweb.storage.db import bootstrap
from objweb.web.accesslog import AccessLog
from objweb.web.config import Settings


def make_app(db, settings: Settings | None = None, *, access_log: bool = True):
    """Return the WSGI application serving the site in `db`.

    Creates the site (root folder and `acl_users`) if the database holds none.
    """
    # The application loads the installed extensions, whose indexes the site then gets.
    app = Application(db, settings)
    bootstrap(db)
    return AccessLog(app) if access_log else app
