"""The subcommands about extensions: `objweb extensions` and `objweb upgrade`."""

import logging
import sys

from ZODB.POSException import ConflictError

from objweb.catalog import catalog_lacks, index_clashes, keep_declared
from objweb.cli.common import CommandError, load_extensions, open_database
from objweb.extensions.upgrades import OBJWEB, pending_steps, run_pending, stored_versions

log = logging.getLogger("objweb.upgrade")
BAR_WIDTH = 30


def cmd_extensions(args) -> int:
    """List the installed extensions, their versions and the upgrade steps they wait for."""
    extensions = load_extensions()
    db = open_database(args.db)
    try:
        with db.transaction() as connection:
            versions = stored_versions(connection)
        pending = pending_steps(db, extensions)
        clashes = index_clashes(db)
        lacking = catalog_lacks(db)
    finally:
        db.close()
    if not extensions:
        print("No extensions are installed.")
    for extension in extensions:
        print(_summary(extension, versions.get(extension.name, 0)))
    for clash in clashes:
        print(f"  index kept: {clash}")
    for step in pending:
        print(f"  pending: {step}")
    for sentence in lacking:
        print(f"  pending: {sentence}")
    if pending or lacking:
        print("Run `objweb upgrade` to run the pending steps.")
    return 0


def _summary(extension, stored: int) -> str:
    config = extension.config
    line = (f"{extension.name}: {extension.distribution} {extension.version}, schema "
            f"{stored} of {config.schema_version}; types: "
            f"{', '.join(cls.type_name for cls in config.types) or 'none'}")
    if config.indexes:
        line += "; indexes: " + ", ".join(f"{index.name} ({index.kind})"
                                          for index in config.indexes)
    return line


def cmd_upgrade(args) -> int:
    """Run the pending upgrade steps in order, each in its own transaction."""
    extensions = load_extensions()
    db = open_database(args.db)
    try:
        for change in keep_declared(db):
            print(f"The catalog {change}.", flush=True)
        done = run_pending(db, extensions, report=_announce, progress=_progress_bar)
    except ConflictError:
        raise CommandError("another process kept changing the schema versions; "
                           "run `objweb upgrade` again") from None
    finally:
        db.close()
    print(f"Ran {len(done)} upgrade step{'' if len(done) == 1 else 's'}; "
          "the database is up to date.")
    return 0


def _announce(step) -> None:
    print(f"Running {step}", flush=True)


def _progress_bar(done: int, total: int) -> None:
    filled = BAR_WIDTH * done // max(total, 1)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} objects")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def log_pending(db, extensions) -> None:
    """Log, for `objweb serve`, the upgrade steps and catalog work the database waits for."""
    for clash in index_clashes(db):
        log.warning("%s", clash)
    pending = [str(step) for step in pending_steps(db, extensions)] + catalog_lacks(db)
    for step in pending:
        log.warning("upgrade step pending: %s", step)
    if pending:
        log.warning("%d upgrade step%s pending: run `objweb upgrade`", len(pending),
                    "" if len(pending) == 1 else "s")


def add_extension_commands(command) -> None:
    """Add extensions and upgrade to the parser, with `command`."""
    command("extensions", cmd_extensions,
            "list the installed extensions, their versions and pending upgrade steps")
    command("upgrade", cmd_upgrade, f"run the pending upgrade steps of {OBJWEB} and "
            "the extensions, in order")
