"""The subcommands that run a site: serve, adduser, debug and run.

Each is one small function taking the parsed arguments and returning the
exit status; an expected failure is a `CommandError` (see
`objweb.cli.common`).
"""

import code
import errno
import os
import runpy
import sys
from contextlib import ExitStack

from objweb.catalog import Drainer
from objweb.cli.common import CommandError, load_extensions, open_database
from objweb.cli.extending import log_pending
from objweb.cli.shell import open_session, system_user
from objweb.content.site import ensure_site
from objweb.errors import ObjwebError
from objweb.extensions import ExtensionError
from objweb.security.passwords import PasswordPolicy, WeakPasswordError
from objweb.security.permissions import MANAGER
from objweb.security.rolemap import valid_roles
from objweb.storage.db import first_admin_line, make_first_admin


# -- serve --------------------------------------------------------------------

def cmd_serve(args) -> int:
    """Serve the site; on first start, make the admin and print the credentials.

    A thread drains the catalog's queue while the server runs; it stops
    after its batch under way when the server stops, before the database closes.
    """
    # Only `serve` needs the web application and the server: the other
    # commands start without importing them.
    from objweb.instance.server import Server
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
        except ExtensionError as error:
            raise CommandError(str(error)) from None
        except ValueError:  # waitress's word for a host name that does not resolve
            raise CommandError(f"cannot listen on {args.host}:{args.port}: "
                               "no such host name or address here") from None
        log_pending(db, load_extensions())
        password = make_first_admin(db)
        if password is not None:
            print(first_admin_line(password), flush=True)
        server.install_signal_handlers()
        for address in server.addresses:
            print(f"Serving {address}", flush=True)
        # Index queued changes as they come, rather than when a backlog piles up.
        drainer = Drainer(db).start()
        try:
            server.run()
        finally:
            drainer.stop()
        print("Stopped.", flush=True)
    finally:
        db.close()
    return 0


# -- adduser --------------------------------------------------------------------

def cmd_adduser(args) -> int:
    """Add a user to the root user folder, or update its password (and roles, if given).

    The password must pass the site's password policy (`[settings]` of
    objweb.ini), as in the user screens; a refused one changes nothing.
    """
    settings = args.instance.settings
    policy = PasswordPolicy(settings.password_min_length, settings.password_common_refused)
    try:
        policy.check(args.password, user_id=args.name)
    except WeakPasswordError as error:
        raise CommandError(f"{error}; nothing was changed") from None
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

BANNER = """objweb debug shell on {uri}, changes recorded as made by {user}
  app          the root folder of the site (also bound as root)
  transaction  the transaction package; transaction.abort() drops your changes
  commit()     commits your changes
  db           the open ZODB database
Changes are not saved until you commit."""


def _ipython():
    """Return IPython's module if it is installed, else None."""
    try:
        import IPython
    except ImportError:
        return None
    return IPython  # pragma: no cover (IPython is not a dependency)


def cmd_debug(args) -> int:
    """An interactive shell with the site bound, in IPython if it is installed."""
    db = open_database(args.db)
    with ExitStack() as stack:
        stack.callback(db.close)
        namespace = open_session(stack, db, "debug", args.user)
        banner = BANNER.format(uri=args.db, user=args.user or f"{system_user()} "
                               "(the system user; --user names a user of the site)")
        # Looked up before the shell starts: a shell running inside an
        # `except ImportError` block would chain every traceback to it.
        ipython = _ipython()
        if ipython is None:
            code.interact(banner=banner, local=namespace, exitmsg="")
        else:  # pragma: no cover (IPython is not a dependency)
            ipython.start_ipython(argv=[], user_ns=namespace, display_banner=False)
    return 0


def cmd_run(args) -> int:
    """Run a Python file with the site bound as `app`; only its own commits count."""
    if not os.path.isfile(args.script):
        raise CommandError(f"no such script: {args.script}")
    db = open_database(args.db)
    with ExitStack() as stack:
        stack.callback(db.close)
        namespace = open_session(stack, db, "run", args.user)
        saved_argv, saved_path = sys.argv, list(sys.path)
        sys.argv = [args.script] + list(args.args)
        # As `python SCRIPT` does: modules beside the script can be imported.
        sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
        try:
            runpy.run_path(args.script, init_globals=namespace, run_name="__main__")
        finally:
            sys.argv, sys.path[:] = saved_argv, saved_path
    return 0
