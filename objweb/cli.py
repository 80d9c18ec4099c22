"""The `objweb` command: one small function per subcommand.

Expected failures (a bad URI, a locked database, a port in use, an unknown
path) print one plain sentence to stderr and exit with status 1; a traceback
means a bug in objweb, or comes from the user's own script under `run`.
"""

import argparse
import code
import errno
import logging
import os
import runpy
import secrets
import socket
import sys
import time
from pathlib import Path

import transaction
import zc.lockfile
from ZEO.Exceptions import ClientDisconnected
from ZODB.POSException import StorageError as POSStorageError

from objweb.db import (
    DEFAULT_URI, DatabaseURIError, bootstrap, has_users, open_db, site, transaction_note)
from objweb.content.site import ensure_site
from objweb.errors import ObjwebError
from objweb.content.transfer import export_subtree, import_subtree
from objweb.ops import backup as backups
from objweb.ops.pack import pack
from objweb.ops.zeo import ZeoServerPlan, run_server, write_config
from objweb.ops.config import ConfigError, InstanceConfig, read_config
from objweb.ops.logs import configure_logging as configure_instance_logging
from objweb.ops.storages import file_storage_paths, redact_uri
from objweb.security.permissions import MANAGER
from objweb.security.settings import valid_roles
from objweb.traversal.location import path_of
from objweb.traversal.resolve import find

log = logging.getLogger("objweb")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 4
FIRST_ADMIN = "admin"


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


# -- serve --------------------------------------------------------------------

def cmd_serve(args) -> int:
    """Serve the site; on first start, make the admin and print the credentials."""
    from objweb.server import Server
    from objweb.wsgi import make_app
    config = args.instance
    db = open_database(args.db, **config.database.db_options())
    try:
        # Listen first: a port in use must leave the database as it was.
        try:
            server = Server(make_app(db, config.settings), host=args.host, port=args.port,
                            threads=args.threads)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(f"port {args.port} on {args.host} is in use; "
                                   "choose another with --port") from None
            raise CommandError(f"cannot listen on {args.host}:{args.port}: "
                               f"{error.strerror or error}") from None
        except ValueError:  # waitress's word for a host name that does not resolve
            raise CommandError(f"cannot listen on {args.host}:{args.port}: "
                               "no such host name or address here") from None
        if not has_users(db):
            password = secrets.token_urlsafe(12)
            bootstrap(db, admin=FIRST_ADMIN, password=password)
            print(f"Created the first user of this site. Log in as {FIRST_ADMIN!r} "
                  f"with the password {password!r}", flush=True)
        server.install_signal_handlers()
        for address in server.addresses:
            print(f"Serving {address}", flush=True)
        server.run()
        print("Stopped.", flush=True)
    finally:
        db.close()
    return 0


# -- adduser --------------------------------------------------------------------

def cmd_adduser(args) -> int:
    """Add a user to the root user folder, or update its password (and roles, if given)."""
    db = open_database(args.db)
    try:
        with db.transaction(f"objweb adduser {args.name}") as connection:
            root = ensure_site(connection)
            roles = _known_roles(root, args.role)
            users = root["acl_users"]
            try:
                if users.get_user(args.name) is None:
                    users.add_user(args.name, args.password, roles=roles or [MANAGER])
                    verb = "Added"
                else:
                    users.set_password(args.name, args.password)
                    users.update_user(args.name, roles=roles)
                    verb = "Updated"
            except ObjwebError as error:
                raise CommandError(str(error)) from None
            held = users.get_user(args.name).roles
    finally:
        db.close()
    print(f"{verb} user {args.name!r} with roles {', '.join(held) or '(none)'}")
    return 0


def _known_roles(root, roles: list[str] | None) -> list[str] | None:
    """Return `roles` if the site knows each of them (None: none given).

    Raises `CommandError` for a role the site does not define.
    """
    if roles is None:
        return None
    known = valid_roles(root)
    unknown = [role for role in roles if role not in known]
    if unknown:
        raise CommandError(f"unknown role {unknown[0]!r}; the site's roles are "
                           f"{', '.join(known)}")
    return roles


# -- debug and run ------------------------------------------------------------------

BANNER = """objweb debug shell on {uri}
  app          the root folder of the site (also bound as root)
  transaction  the transaction package; transaction.abort() drops your changes
  commit()     commits your changes
  db           the open ZODB database
Changes are not saved until you commit."""


def _shell_namespace(db):
    connection = db.open()
    root = ensure_site(connection)

    def commit(note: str = "objweb debug"):
        """Commit the changes made so far."""
        transaction.get().note(note)
        transaction.commit()
    return connection, {"app": root, "root": root, "transaction": transaction,
                        "commit": commit, "db": db}


def cmd_debug(args) -> int:
    """An interactive shell with the site bound, in IPython if it is installed."""
    db = open_database(args.db)
    connection, namespace = _shell_namespace(db)
    banner = BANNER.format(uri=args.db)
    try:
        try:
            import IPython
        except ImportError:
            code.interact(banner=banner, local=namespace, exitmsg="")
        else:  # pragma: no cover (IPython is not a dependency)
            IPython.start_ipython(argv=[], user_ns=namespace, display_banner=False)
    finally:
        transaction.abort()
        connection.close()
        db.close()
    return 0


def cmd_run(args) -> int:
    """Run a Python file with the site bound as `app`; only its own commits count."""
    if not os.path.isfile(args.script):
        raise CommandError(f"no such script: {args.script}")
    db = open_database(args.db)
    connection, namespace = _shell_namespace(db)
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [args.script] + list(args.args)
    # As `python SCRIPT` does: modules beside the script can be imported.
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
    try:
        runpy.run_path(args.script, init_globals=namespace, run_name="__main__")
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        transaction.abort()
        connection.close()
        db.close()
    return 0


# -- zeo -----------------------------------------------------------------------------

def cmd_zeo(args) -> int:
    """Run ZEO's server over the instance's FileStorage until SIGTERM."""
    config = args.instance
    uri = args.db if args.db.startswith("file://") else DEFAULT_URI
    paths = file_storage_paths(uri, home=config.home)
    plan = ZeoServerPlan(host=args.host or config.zeo.host,
                         port=config.zeo.port if args.port is None else args.port,
                         data_file=paths.data_file.resolve(),
                         blob_dir=(paths.blob_dir or config.home / "var/blobs").resolve(),
                         event_log=config.zeo.event_log)
    open_database(f"file://{plan.data_file}?blobstorage_dir={plan.blob_dir}").close()
    _check_port_free(plan.host, plan.port)
    # runzeo sets up its own event log from the configuration written here.
    logging.getLogger().handlers.clear()
    print(f"ZEO server for {plan.data_file} on {plan.host}:{plan.port}; "
          f"connect with --db zeo://{plan.host}:{plan.port}", flush=True)
    run_server(write_config(plan, config.home / "var" / "zeo.conf"))
    return 0


def _check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(f"cannot listen on {host}:{port}: "
                               f"{error.strerror}; choose another with --port") from None


# -- pack ----------------------------------------------------------------------------

def cmd_pack(args) -> int:
    """Pack the database, keeping the history of the last --days days."""
    if args.days < 0:
        raise CommandError("--days cannot be negative")
    db = open_database(args.db)
    try:
        cutoff = pack(db, args.days)
    finally:
        db.close()
    moment = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(cutoff))
    print(f"Packed {redact_uri(args.db)}: kept every current object and the history "
          f"since {moment}.")
    return 0


# -- export and import ---------------------------------------------------------------

def cmd_export(args) -> int:
    """Write the subtree at PATH to FILE in ZODB's export format."""
    if os.path.exists(args.file):
        raise CommandError(f"{args.file} exists; remove it or choose another file name")
    db = open_database(args.db)
    try:
        with site(db) as root:
            obj = _object_at(root, args.path)
            exported_path = path_of(obj) or "/"
            size = export_subtree(obj, args.file)
    finally:
        db.close()
    print(f"Exported {exported_path} to {args.file} ({size} bytes). "
          "Users in it are exported without their passwords.")
    return 0


def cmd_import(args) -> int:
    """Import the export FILE into the folder at PATH."""
    if not os.path.isfile(args.file):
        raise CommandError(f"no such file: {args.file}")
    db = open_database(args.db)
    try:
        with site(db) as root:
            container = _object_at(root, args.path)
            if not getattr(container, "is_container", False):
                raise CommandError(f"{args.path} is not a folder; import into a folder")
            try:
                obj = import_subtree(container, args.file, name=args.name)
            except (ObjwebError, ValueError) as error:
                raise CommandError(f"{args.file} was not imported: {error}") from None
            imported_path = path_of(obj)
            connection = root._p_jar
            transaction_note(connection, f"objweb import {os.path.basename(args.file)}",
                             imported_path)
    finally:
        db.close()
    print(f"Imported {args.file} as {imported_path}. Imported users have no password "
          "until a Manager sets one.")
    return 0


def _object_at(root, path: str):
    try:
        return find(root, path)
    except (KeyError, ValueError):
        raise CommandError(f"there is no object at {path}") from None


# -- backup and restore --------------------------------------------------------------

def _backup_paths(args):
    try:
        paths = file_storage_paths(args.db, home=args.instance.home)
    except ValueError as error:
        raise CommandError(str(error)) from None
    backup_dir = Path(args.backup_dir or args.instance.home / args.instance.backup.directory)
    return paths, backup_dir


def cmd_backup(args) -> int:
    """Back up Data.fs with repozo and the blobs beside it."""
    paths, backup_dir = _backup_paths(args)
    try:
        result = backups.backup(paths, backup_dir, full=args.full)
    except backups.BackupError as error:
        raise CommandError(str(error)) from None
    if result.stamp is None:
        print(f"Nothing changed since the last backup in {backup_dir}.")
        return 0
    kind = "Full" if result.full else "Incremental"
    print(f"{kind} backup {result.stamp} in {backup_dir}: {result.blobs_copied} blob "
          f"file(s) copied, {result.blobs_linked} unchanged.")
    return 0


def cmd_restore(args) -> int:
    """Replace Data.fs and the blobs with a backup, the latest or as of --date."""
    paths, backup_dir = _backup_paths(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError(f"restoring replaces {paths.data_file} and its blobs; "
                               "add --yes to confirm")
        answer = input(f"Replace {paths.data_file} and its blobs with the backup? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing restored.")
            return 1
    try:
        stamp = backups.restore(paths, backup_dir, date=args.date)
    except backups.BackupError as error:
        raise CommandError(str(error)) from None
    print(f"Restored {paths.data_file} and its blobs from the backup of {stamp} (UTC).")
    return 0


def add_operations_commands(command) -> None:
    """Add zeo, pack, export, import, backup and restore to the parser, with `command`."""
    zeo = command("zeo", cmd_zeo, "run a ZEO server over var/Data.fs for several processes")
    zeo.add_argument("--host", default=None, help="default 127.0.0.1")
    zeo.add_argument("--port", type=int, default=None, help="default 8100")

    pack_command = command("pack", cmd_pack, "pack the database")
    pack_command.add_argument("--days", type=float, default=0.0,
                              help="keep the undo history of this many days (default 0)")

    export = command("export", cmd_export, "export a subtree in ZODB's export format")
    export.add_argument("path", help="the object to export, as /news")
    export.add_argument("file", help="the file to write, as news.zexp")

    import_command = command("import", cmd_import, "import an export file into a folder")
    import_command.add_argument("file", help="the export file")
    import_command.add_argument("path", help="the folder to import into, as /")
    import_command.add_argument("--name", default=None,
                                help="the name to give the object (default: its own)")

    for name, function, help_text in (
            ("backup", cmd_backup, "back up var/Data.fs and var/blobs with repozo"),
            ("restore", cmd_restore, "restore var/Data.fs and var/blobs from a backup")):
        sub = command(name, function, help_text)
        sub.add_argument("--backup-dir", default=None,
                         help="where backups are kept (default var/backups)")
        if name == "backup":
            sub.add_argument("--full", action="store_true", help="a full backup, "
                             "not an incremental one")
        else:
            sub.add_argument("--date", default=None, type=_backup_date,
                             help="restore the state as of this UTC date, "
                             "yyyy-mm-dd[-hh[-mm[-ss]]] (default: the latest)")
            sub.add_argument("--yes", action="store_true", help="do not ask to confirm")


def _backup_date(text: str) -> str:
    try:
        return backups.check_date(text)
    except backups.BackupError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# -- the parser ---------------------------------------------------------------

def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text!r}")
    return int(text)


def _thread_count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"a thread count is a number from 1 to 1000, "
                                         f"not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the `objweb` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="objweb", description="Run and manage an objweb site.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, function, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", default=None, help="database URI (default: $OBJWEB_DB, "
                         f"objweb.ini's [database] uri, or {DEFAULT_URI})")
        sub.add_argument("--config", default=None, help="the configuration file "
                         "(default: $OBJWEB_CONFIG, or objweb.ini here if there is one)")
        sub.set_defaults(function=function)
        return sub

    serve = command("serve", cmd_serve, "serve the site over HTTP")
    serve.add_argument("--host", default=None, help=f"default {DEFAULT_HOST}")
    serve.add_argument("--port", type=_port, default=None, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--threads", type=_thread_count, default=None,
                       help=f"default {DEFAULT_THREADS}")

    adduser = command("adduser", cmd_adduser, "add or update a user of the root user folder")
    adduser.add_argument("name")
    adduser.add_argument("password")
    adduser.add_argument("--role", action="append", help="a role to give (repeatable; "
                         "default Manager)")

    command("debug", cmd_debug, "an interactive Python shell with the site bound")
    run = command("run", cmd_run, "run a Python file with the site bound as `app`")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    add_operations_commands(command)
    return parser


def configure_logging(config: InstanceConfig | None = None, port: int | None = None) -> None:
    """Send the event and access logs where `objweb.ini` says (stderr by default)."""
    configure_instance_logging(config or read_config(), port=port)


def apply_config(args) -> InstanceConfig:
    """Read `objweb.ini` and fill in the options the command line left out.

    Precedence, weakest first: defaults, the file, `$OBJWEB_DB`, options.
    Raises `ConfigError` for a bad file.
    """
    config = read_config(args.config)
    args.instance = config
    args.db = args.db or os.environ.get("OBJWEB_DB") or config.database.uri
    if args.command == "serve":
        args.host = args.host or config.server.host
        args.port = config.server.port if args.port is None else args.port
        args.threads = args.threads or config.server.threads
    return config


def main(argv: list[str] | None = None) -> int:
    """Run the `objweb` command and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        config = apply_config(args)
        configure_logging(config, getattr(args, "port", None))
    except ConfigError as error:
        print(f"objweb {args.command}: {error}", file=sys.stderr)
        return 1
    try:
        return args.function(args)
    except CommandError as error:
        print(f"objweb {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
