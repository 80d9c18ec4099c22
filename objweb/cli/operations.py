"""The operators' subcommands: zeo, pack, export, import, backup and restore."""

import argparse
import logging
import os
import socket
import sys
import time
from pathlib import Path

from objweb.cli.common import CommandError, open_database
from objweb.errors import ObjwebError
from objweb.security.ownership import ownership_by_id
from objweb.security.principals import TRUSTED_CODE, Principal, acting_as
from objweb.storage import backup as backups
from objweb.storage.db import DEFAULT_URI, site, transaction_note
from objweb.storage.pack import pack
from objweb.storage.storages import file_storage_paths, redact_uri
from objweb.storage.transfer import export_subtree, import_subtree
from objweb.storage.zeo import ZeoServerPlan, run_server, write_config
from objweb.traversal.location import path_of
from objweb.traversal.resolve import find


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
    folder = os.path.dirname(os.path.abspath(args.file))
    if not os.path.isdir(folder):
        raise CommandError(f"there is no directory {folder} to write {args.file} in; "
                           "create it first")
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
    """Import the export FILE into the folder at PATH, owned by --owner (or its own owners)."""
    if not os.path.isfile(args.file):
        raise CommandError(f"no such file: {args.file}")
    db = open_database(args.db)
    try:
        with site(db) as root, acting_as(_importer(args.owner)):
            container = _object_at(root, args.path)
            if not getattr(container, "is_container", False):
                raise CommandError(f"{args.path} is not a folder; import into a folder")
            if args.owner and ownership_by_id(container, args.owner)[0] is None:
                raise CommandError(f"there is no user {args.owner!r} in a user folder "
                                   f"above {args.path}")
            try:
                obj = import_subtree(container, args.file, name=args.name,
                                     keep_owners=args.keep_owners)
            except (ObjwebError, ValueError) as error:
                raise CommandError(f"{args.file} was not imported: {error}") from None
            imported_path = path_of(obj)
            connection = root._p_jar
            transaction_note(connection, f"objweb import {os.path.basename(args.file)}",
                             imported_path, args.owner)
    finally:
        db.close()
    print(f"Imported {args.file} as {imported_path}. {_owned_by(args)} Imported users have "
          "no password until a Manager sets one.")
    return 0


def _importer(owner: str | None) -> Principal:
    """Whom an import acts for: the user --owner names, or trusted code with no user."""
    return Principal(id=owner) if owner else TRUSTED_CODE


def _owned_by(args) -> str:
    if args.keep_owners:
        return "Its objects keep the owners the file names."
    if args.owner:
        return f"{args.owner} owns everything imported."
    return ("Nothing imported has an owner, and its Scripts and Templates belong to nobody "
            "until a Manager takes them over (or import with --owner NAME).")


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
    pack_command.add_argument("--days", type=_days, default=0.0,
                              help="keep the undo history of this many days (default 0)")

    export = command("export", cmd_export, "export a subtree in ZODB's export format")
    export.add_argument("path", help="the object to export, as /news")
    export.add_argument("file", help="the file to write, as news.zexp")

    import_command = command("import", cmd_import, "import an export file into a folder")
    import_command.add_argument("file", help="the export file")
    import_command.add_argument("path", help="the folder to import into, as /")
    import_command.add_argument("--name", default=None,
                                help="the name to give the object (default: its own)")
    owners = import_command.add_mutually_exclusive_group()
    owners.add_argument("--owner", default=None,
                        help="the user who owns everything imported (default: no one; "
                        "Scripts and Templates then belong to nobody)")
    owners.add_argument("--keep-owners", action="store_true",
                        help="keep the owners the file names: only for files you made")

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


# A century of history: more is a typo, and far more overflows a timestamp.
MAX_PACK_DAYS = 36500


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        days = None
    if days is None or not 0 <= days <= MAX_PACK_DAYS:  # NaN fails both comparisons
        raise argparse.ArgumentTypeError(f"--days is a number of days from 0 to "
                                         f"{MAX_PACK_DAYS}, not {text!r}")
    return days


def _backup_date(text: str) -> str:
    try:
        return backups.check_date(text)
    except backups.BackupError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
