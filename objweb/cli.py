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

from objweb.command import CommandError, open_database
from objweb.content.site import ensure_site
from objweb.db import DEFAULT_URI, bootstrap, has_users
from objweb.errors import ObjwebError
from objweb.ops.codecommands import add_code_commands
from objweb.ops.commands import add_operations_commands
from objweb.ops.config import ConfigError, InstanceConfig, read_config
from objweb.ops.logs import configure_logging as configure_instance_logging
from objweb.security.permissions import MANAGER
from objweb.security.settings import valid_roles

log = logging.getLogger("objweb")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 4
FIRST_ADMIN = "admin"


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
                            threads=args.threads, **config.server.waitress_options(),
                            # The server refuses a body over the limit before reading it.
                            max_request_body_size=config.settings.max_request_body,
                            clear_untrusted_proxy_headers=not config.settings.trusted_proxies)
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
    add_code_commands(command)
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
