"""Building the WSGI application: `make_app`, the site made if missing and the access log.

The PasteDeploy entry point, which reads `objweb.ini`, is
`objweb.instance.paste.app_factory`.
"""

from objweb.app import Application
from objweb.extensions import installed
from objweb.extensions.upgrades import has_site, start_versions
from objweb.storage.db import bootstrap
from objweb.web.accesslog import AccessLog
from objweb.web.config import Settings


def make_app(db, settings: Settings | None = None, *, access_log: bool = True):
    """Return the WSGI application serving the site in `db`.

    Creates the site (root folder and `acl_users`) if the database holds none,
    up to date with the installed extensions' schema versions and indexes;
    an existing site is not written to (`objweb upgrade` brings it up to date).
    """
    # The application loads the installed extensions, which a new site is then made for.
    app = Application(db, settings)
    made = not has_site(db)
    bootstrap(db)
    if made:
        start_versions(db, installed())
    return AccessLog(app) if access_log else app
