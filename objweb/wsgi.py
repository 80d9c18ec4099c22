"""Building the WSGI application: `make_app` and the PasteDeploy factory."""

import atexit
import logging
import os

from objweb.dav import include as include_dav
from objweb.db import bootstrap, open_db
from objweb.ops.config import ConfigError, convert_value, read_config
from objweb.ops.logs import configure_logging
from objweb.publisher import Application, Settings
from objweb.publisher.accesslog import AccessLog
from objweb.traversal.views import views

# The rooms above the publisher register their views here.
include_dav(views)

log = logging.getLogger("objweb")


def make_app(db, settings: Settings | None = None, *, access_log: bool = True):
    """Return the WSGI application serving the site in `db`.

    Creates the site (root folder and `acl_users`) if the database holds none.
    """
    bootstrap(db)
    app = Application(db, settings)
    return AccessLog(app) if access_log else app


def app_factory(global_conf: dict, **local_conf):
    """Return the application a PasteDeploy `[app:main]` section (`use = egg:objweb`) names.

    The site is configured by the file the section is in, read as
    `objweb.ini`; its directory is the instance home, and the process works
    there so that relative paths mean the same as for the `objweb` command.
    Keys in the section override the file: `db` (a database URI),
    `cache_size`, `pool_size`, and any field of `Settings`. Raises
    `ConfigError` for a bad file or key.
    """
    config = read_config(global_conf.get("__file__"), home=global_conf.get("here"))
    os.chdir(config.home)
    config = _with_overrides(config, local_conf)
    configure_logging(config)
    db = open_db(os.environ.get("OBJWEB_DB") or config.database.uri,
                 **config.database.db_options())
    # Looked up at exit: DB.close replaces itself once it has run.
    atexit.register(lambda: db.close())
    log.info("serving the site in %s", config.database.uri)
    return make_app(db, config.settings)


def _with_overrides(config, local_conf: dict):
    """Return `config` changed by the keys of the `[app:main]` section."""
    database = dict(vars(config.database))
    settings = dict(vars(config.settings))
    for key, raw in local_conf.items():
        if key == "db":
            database["uri"] = raw
        elif key in ("cache_size", "pool_size"):
            database[key] = convert_value(raw, 0, where=f"[app:main] {key}")
        elif key in settings:
            settings[key] = convert_value(raw, settings[key], where=f"[app:main] {key}")
        else:
            raise ConfigError(f"[app:main]: unknown key {key!r} (known: db, cache_size, "
                              f"pool_size, {', '.join(sorted(settings))})")
    try:
        return config.replace(database=type(config.database)(**database),
                              settings=type(config.settings)(**settings))
    except ValueError as error:  # a value the settings' own check refuses
        raise ConfigError(f"[app:main] {error}") from None
