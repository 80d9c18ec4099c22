"""What every `objweb` subcommand shares: its refusal, and opening the database.

Expected failures (a bad URI, a locked database, an unreachable server) are a
`CommandError` whose message is one plain sentence; `objweb.cli.main` prints it
and exits with status 1.
"""

import zc.lockfile
from ZEO.Exceptions import ClientDisconnected
from ZODB.POSException import StorageError as POSStorageError

from objweb.storage.db import DatabaseURIError, bootstrap, open_db
from objweb.storage.storages import redact_uri


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
        raise CommandError(f"cannot open the database {uri}: {_file_problem(error)}") from None
    except POSStorageError as error:
        raise CommandError(f"cannot open the database {uri}: it is damaged or not a database "
                           f"file ({type(error).__name__}: {error}). {_repair_advice(uri)}"
                           ) from None
    except Exception as error:  # a database server's driver error (PostgreSQL refused...)
        if not uri.startswith(("postgresql://", "postgres://")):
            raise
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise CommandError(f"cannot open the PostgreSQL database {redact_uri(uri)}: "
                           f"{first_line or type(error).__name__}") from None
    bootstrap(db)
    return db


def _file_problem(error: OSError) -> str:
    """Say what is wrong with the file behind `error`, and what to do about it."""
    name = error.filename or "the data file"
    if isinstance(error, IsADirectoryError):
        return (f"{name} is a directory; give --db the path of a data file, "
                "as in file://var/Data.fs?blobstorage_dir=var/blobs")
    if isinstance(error, PermissionError):
        return (f"permission denied on {name}; give the user running objweb read and "
                "write access to it and to its folder")
    return error.strerror or str(error)


def _repair_advice(uri: str) -> str:
    if not uri.startswith("file://"):
        return "Restore the last backup of the database."
    path = uri[len("file://"):].split("?", 1)[0]
    return ("Restore the last backup with `objweb restore --yes`, or save what can be read "
            f"with `python -m ZODB.fsrecover {path} {path}.recovered` and move the "
            "recovered file in its place")
