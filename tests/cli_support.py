"""Helpers of the command-line tests: a look at an instance's database, and its error sentence."""

from contextlib import contextmanager

import objweb


@contextmanager
def stored_site(home):
    """Open the instance's `var/Data.fs` in this process and yield its root folder.

    Only once no `objweb` process holds the file: a FileStorage has one user.
    """
    db = objweb.open_db(f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs")
    try:
        with objweb.site(db) as root:
            yield root
    finally:
        db.close()


def one_sentence(stderr: str, command: str) -> str:
    """Return the single error sentence `objweb COMMAND` printed, checking there is no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith(f"objweb {command}: ")]
    assert len(lines) == 1, stderr
    return lines[0][len(f"objweb {command}: "):]
