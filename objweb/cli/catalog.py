"""`objweb reindex [PATH]`: read a subtree anew into the catalog, with a progress bar.

The reindex works in batches, each in a transaction of its own, and
empties the connection's cache after each, so its memory stays within the
cache whatever the site's size; over ZEO it runs against a live site. The
bar goes to stderr: redrawn in place on a terminal, a line per step
otherwise (a log keeps them); the summary goes to stdout.
"""

import sys
import time

from objweb.catalog import reindex
from objweb.cli.common import CommandError, open_database
from objweb.errors import NotFoundError
from objweb.storage.storages import redact_uri

BAR_WIDTH = 30
# Without a terminal, a line each time another tenth is done.
STEPS = 10


class ProgressBar:
    """Draws `done` of `total` on a stream: in place on a terminal, in steps elsewhere."""

    def __init__(self, stream, path: str):
        self.stream = stream
        self.path = path
        self.in_place = stream.isatty()
        self.shown_step = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        if not self.in_place:
            step = int(fraction * STEPS)
            if step == self.shown_step:
                return
            self.shown_step = step
        filled = int(fraction * BAR_WIDTH)
        line = (f"Reindexing {self.path} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
                f"{int(fraction * 100):3d}% {done:,}/{total:,}")
        self.stream.write(("\r" + line) if self.in_place else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """End the line drawn in place."""
        if self.in_place:
            self.stream.write("\n")
            self.stream.flush()


def cmd_reindex(args) -> int:
    """Index the object at PATH (default: the whole site) and all below it anew."""
    path = args.path if args.path.startswith("/") else "/" + args.path
    db = open_database(args.db, **args.instance.database.db_options())
    bar = ProgressBar(sys.stderr, path)
    started = time.monotonic()
    try:
        done = reindex(db, path, progress=bar)
    except NotFoundError as error:
        raise CommandError(str(error)) from None
    finally:
        bar.finish()
        db.close()
    print(f"Reindexed {done:,} objects at and below {path} in {redact_uri(args.db)} "
          f"in {time.monotonic() - started:.1f} s.")
    return 0


def add_catalog_commands(command) -> None:
    """Add reindex to the parser, with `command`."""
    sub = command("reindex", cmd_reindex, "read a subtree anew into the catalog")
    sub.add_argument("path", nargs="?", default="/", help="the object to reindex, as /news "
                     "(default: the whole site)")
