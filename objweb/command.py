"""What every `objweb` subcommand shares: its refusal, and opening the database.

Expected failures (a bad URI, a locked database, an unreachable server) are a
`CommandError` whose message is one plain sentence; `objweb.cli.main` prints it
and exits with status 1.
"""

import zc.lockfile
from ZEO.Exceptions import ClientDisconnected
from ZODB.POSException import StorageError as POSStorageError

from objweb.db import DatabaseURIError, bootstrap, open_db
from objweb.ops.storages import redact_uri


class CommandError(Exception):
    """An expected failure: its message is printed as is, and the command exits 1."""


def open_database(uri: str, **db_options):
    """Return the database at `uri`, its site created if missing.

    Raises `CommandError` with a sentence a user can act on.
    """
    try:
        db = open_db(uri, **db_options)
    except ClientDisconnected:
        raise CommandError(f"cannot reach the ZEO server of {uri} (is `objweb zeo` "
                           "running there?)") from None
    except DatabaseURIError as error:
        raise CommandError(str(error)) from None
    except zc.lockfile.LockError:
        raise CommandError(
            f"the database {uri} is in use by another process (is `objweb serve` running?). "
            "To use it from several processes at once, start `objweb zeo` and give each "
            "process --db zeo://127.0.0.1:8100") from None
    except OSError as error:
        raise CommandError(f"cannot open the database {uri}: {error.strerror or error}") from None
    except POSStorageError as error:
        raise CommandError(f"cannot open the database {uri}: it is damaged or not a database "
                           f"file ({type(error).__name__}: {error})") from None
    except Exception as error:  # a database server's driver error (PostgreSQL refused...)
        if not uri.startswith(("postgresql://", "postgres://")):
            raise
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise CommandError(f"cannot open the PostgreSQL database {redact_uri(uri)}: "
                           f"{first_line or type(error).__name__}") from None
    bootstrap(db)
    return db
