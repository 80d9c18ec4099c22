"""The PasteDeploy entry point: `objweb.ini`'s `[app:main]` section (`use = egg:objweb`).

The same file that configures the `objweb` command serves the site under any
WSGI server (`gunicorn --paste objweb.ini`).
"""

import atexit
import logging
import os

import zc.lockfile

from objweb.instance.ini import ConfigError, convert_value, read_config
from objweb.instance.logs import configure_logging
from objweb.storage.db import first_admin_line, make_first_admin, open_db
from objweb.wsgi import make_app

log = logging.getLogger("objweb")


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
    # Workers of one server share its port: each logs under its own name.
    configure_logging(config, process="worker")
    uri = os.environ.get("OBJWEB_DB") or config.database.uri
    try:
        db = open_db(uri, **config.database.db_options())
    except zc.lockfile.LockError:
        raise ConfigError(f"the database {uri} is in use by another process: a file "
                          "database serves one process only, so a server with several "
                          "workers needs `objweb zeo` and db = zeo://127.0.0.1:8100 "
                          "(or one worker)") from None
    # Looked up at exit: DB.close replaces itself once it has run.
    atexit.register(lambda: db.close())
    password = make_first_admin(db)
    if password is not None:
        print(first_admin_line(password), flush=True)
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
