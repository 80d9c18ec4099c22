"""What every `objweb` subcommand shares: its refusal, and opening the database.

Expected failures (a bad URI, a locked database, an unreachable server) are a
`CommandError` whose message is one plain sentence; `objweb.cli.main` prints it
and exits with status 1.
"""

import os

import zc.lockfile
from ZEO.Exceptions import ClientDisconnected
from ZODB.POSException import StorageError as POSStorageError

from objweb.extensions import ExtensionError, installed
from objweb.extensions.upgrades import has_site, start_versions
from objweb.storage.db import DatabaseURIError, bootstrap, open_db
from objweb.storage.storages import redact_uri


class CommandError(Exception):
    """An expected failure: its message is printed as is, and the command exits 1."""


class DatabaseInUseError(CommandError):
    """Another process holds the data file's lock: `pid` and `command` say which, when known."""

    def __init__(self, uri: str, pid: int | None, command: list[str]):
        super().__init__(uri, pid)
        self.uri = uri
        self.pid = pid
        self.command = command

    def advice(self, zeo_host: str, zeo_port: int) -> str:
        """Return the sentence to print; the instance's ZEO address unless the holder names one."""
        words = self.command
        subcommand = next((words[i + 1] for i, word in enumerate(words[:-1])
                           if word == "objweb" or word.endswith(("/objweb", "objweb/__main__.py"))),
                          None)
        who = (f"process {self.pid}" if self.pid else "another process") + \
            (f" (objweb {subcommand})" if subcommand else "")
        if subcommand == "zeo":
            host, port = _option(words, "--host") or zeo_host, _option(words, "--port") or zeo_port
            return (f"the database {self.uri} is in use by {who}, which serves it to other "
                    f"processes: give this command --db zeo://{host}:{port}")
        return (f"the database {self.uri} is in use by {who}. To use it from several "
                f"processes at once, start `objweb zeo` and give each process "
                f"--db zeo://{zeo_host}:{zeo_port}")

    def __str__(self) -> str:
        return self.advice("127.0.0.1", 8100)


def _option(words: list[str], name: str) -> str | None:
    """Return the value of `--name VALUE` or `--name=VALUE` in a command line."""
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word[len(name) + 1:]
    return None


def load_extensions():
    """Return the installed extensions, loaded and their types and permissions known.

    Raises `CommandError` naming an extension that cannot be loaded.
    """
    try:
        return installed()
    except ExtensionError as error:
        raise CommandError(str(error)) from None


def open_database(uri: str, **db_options):
    """Return the database at `uri`, its site created if missing, the extensions loaded.

    Raises `CommandError` with a sentence a user can act on.
    """
    # Before the database opens: a site is never served half configured.
    load_extensions()
    try:
        db = open_db(uri, **db_options)
    except ClientDisconnected:
        raise CommandError(f"cannot reach the ZEO server of {uri} (is `objweb zeo` "
                           "running there?)") from None
    except DatabaseURIError as error:
        raise CommandError(str(error)) from None
    except zc.lockfile.LockError:
        raise DatabaseInUseError(uri, *_lock_holder(uri)) from None
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
    made = not has_site(db)
    bootstrap(db)
    extensions = load_extensions()
    if made:
        start_versions(db, extensions)
    return db


def _lock_holder(uri: str) -> tuple[int | None, list[str]]:
    """Return the process id holding a FileStorage's lock, and its command line.

    zc.lockfile writes the holder's process id into `Data.fs.lock`; its
    command line comes from /proc where there is one. (None, []) when unknown.
    """
    data_file = uri[len("file://"):].split("?", 1)[0] if uri.startswith("file://") else None
    try:
        with open(f"{data_file}.lock", encoding="ascii", errors="replace") as lock:
            pid = int(lock.read().split()[0])
    except (TypeError, OSError, ValueError, IndexError):
        return None, []
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return pid, cmdline.read().decode(errors="replace").split("\0")
    except OSError:
        return pid, []


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
