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
import sys

import transaction
import zc.lockfile

from objweb.db import DEFAULT_URI, DatabaseURIError, bootstrap, has_users, open_db
from objweb.content.site import ensure_site
from objweb.errors import ObjwebError
from objweb.security.permissions import MANAGER

log = logging.getLogger("objweb")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 4
FIRST_ADMIN = "admin"


class CommandError(Exception):
    """An expected failure: its message is printed as is, and the command exits 1."""


def open_database(uri: str):
    """Return the database at `uri`, its site created if missing.

    Raises `CommandError` with a sentence a user can act on.
    """
    try:
        db = open_db(uri)
    except DatabaseURIError as error:
        raise CommandError(str(error)) from None
    except zc.lockfile.LockError:
        raise CommandError(
            f"the database {uri} is in use by another process (is `objweb serve` running?). "
            "To use it from several processes at once, start `objweb zeo` and give each "
            "process --db zeo://127.0.0.1:8100") from None
    except OSError as error:
        raise CommandError(f"cannot open the database {uri}: {error.strerror or error}") from None
    bootstrap(db)
    return db


# -- serve --------------------------------------------------------------------

def cmd_serve(args) -> int:
    """Serve the site; on first start, make the admin and print the credentials."""
    from objweb.server import Server
    from objweb.wsgi import make_app
    db = open_database(args.db)
    try:
        if not has_users(db):
            password = secrets.token_urlsafe(12)
            bootstrap(db, admin=FIRST_ADMIN, password=password)
            print(f"Created the first user of this site. Log in as {FIRST_ADMIN!r} "
                  f"with the password {password!r}", flush=True)
        try:
            server = Server(make_app(db), host=args.host, port=args.port, threads=args.threads)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(f"port {args.port} on {args.host} is in use; "
                                   "choose another with --port") from None
            raise CommandError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") \
                from None
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
    """Add a user to the root user folder, or update its password and roles."""
    roles = args.role or [MANAGER]
    db = open_database(args.db)
    try:
        with db.transaction(f"objweb adduser {args.name}") as connection:
            users = ensure_site(connection)["acl_users"]
            try:
                if users.get_user(args.name) is None:
                    users.add_user(args.name, args.password, roles=roles)
                    verb = "Added"
                else:
                    users.set_password(args.name, args.password)
                    users.update_user(args.name, roles=roles)
                    verb = "Updated"
            except ObjwebError as error:
                raise CommandError(str(error)) from None
    finally:
        db.close()
    print(f"{verb} user {args.name!r} with roles {', '.join(roles)}")
    return 0


# -- debug and run ------------------------------------------------------------------

BANNER = """objweb debug shell on {uri}
  app          the root folder of the site
  transaction  the transaction package; transaction.abort() drops your changes
  commit()     commits your changes
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
    saved_argv = sys.argv
    sys.argv = [args.script] + list(args.args)
    try:
        runpy.run_path(args.script, init_globals=namespace, run_name="__main__")
    finally:
        sys.argv = saved_argv
        transaction.abort()
        connection.close()
        db.close()
    return 0


# -- the parser ---------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the `objweb` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="objweb", description="Run and manage an objweb site.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, function, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", default=os.environ.get("OBJWEB_DB", DEFAULT_URI),
                         help=f"database URI (default {DEFAULT_URI})")
        sub.set_defaults(function=function)
        return sub

    serve = command("serve", cmd_serve, "serve the site over HTTP")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--threads", type=int, default=DEFAULT_THREADS)

    adduser = command("adduser", cmd_adduser, "add or update a user of the root user folder")
    adduser.add_argument("name")
    adduser.add_argument("password")
    adduser.add_argument("--role", action="append", help="a role to give (repeatable; "
                         "default Manager)")

    command("debug", cmd_debug, "an interactive Python shell with the site bound")
    run = command("run", cmd_run, "run a Python file with the site bound as `app`")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def configure_logging() -> None:
    """Send the event and access logs to stderr."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")


def main(argv: list[str] | None = None) -> int:
    """Run the `objweb` command and return its exit status."""
    args = build_parser().parse_args(argv)
    configure_logging()
    try:
        return args.function(args)
    except CommandError as error:
        print(f"objweb {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
