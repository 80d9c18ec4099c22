"""The `objweb` command: its parser, the instance's configuration, and `main`.

Expected failures (a bad URI, a locked database, a port in use, an unknown
path) print one plain sentence to stderr and exit with status 1; a traceback
means a bug in objweb, or comes from the user's own script under `run`.
"""

import argparse
import os
import sys

from objweb.cli.catalog import add_catalog_commands
from objweb.cli.commands import cmd_adduser, cmd_debug, cmd_run, cmd_serve
from objweb.cli.common import CommandError, DatabaseInUseError
from objweb.cli.extending import add_extension_commands
from objweb.cli.operations import add_operations_commands
from objweb.cli.pullpush import add_code_commands
from objweb.instance.ini import ConfigError, InstanceConfig, read_config
from objweb.instance.logs import configure_logging as configure_instance_logging
from objweb.storage.db import DEFAULT_URI

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 4


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
    adduser.add_argument("--role", action="append", help="a role to give (repeatable); "
                         "a new user without --role is a Manager of the whole site")

    debug = command("debug", cmd_debug, "an interactive Python shell with the site bound")
    run = command("run", cmd_run, "run a Python file with the site bound as `app`")
    for session in (debug, run):
        session.add_argument("--user", default=None, help="a user of the root user folder: "
                             "commits are recorded as theirs and what is added is theirs "
                             "(default: commits name the system user, and have no owner)")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    add_operations_commands(command)
    add_catalog_commands(command)
    add_code_commands(command)
    add_extension_commands(command)
    return parser


def configure_logging(config: InstanceConfig | None = None, port: int | None = None,
                      process: str = "objweb") -> None:
    """Send the event and access logs where `objweb.ini` says (stderr by default)."""
    configure_instance_logging(config or read_config(), port=port, process=process)


def _listening_port(args, config: InstanceConfig) -> int | None:
    """Return the port the command will listen on, if it listens at all."""
    if args.command == "serve":
        return args.port
    if args.command == "zeo":
        return config.zeo.port if args.port is None else args.port
    return None


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
        configure_logging(config, _listening_port(args, config), process=args.command)
    except ConfigError as error:
        print(f"objweb {args.command}: {error}", file=sys.stderr)
        return 1
    try:
        return args.function(args)
    except DatabaseInUseError as error:
        print(f"objweb {args.command}: {error.advice(config.zeo.host, config.zeo.port)}",
              file=sys.stderr)
        return 1
    except CommandError as error:
        print(f"objweb {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
