"""Schema versions kept in the database, and running the upgrade steps that are pending.

Each extension, and objweb itself, has a schema version stored in the
database (0 until a step ran). A step brings the stored data to its
version; `run_pending` runs the pending ones in order, each in its own
transaction that also records the new version. Several processes may share
the database over ZEO: the versions live in one record with no conflict
resolution, so two processes running the same step conflict on it, and the
one that loses aborts, reads the versions again and moves on from what
the other did.
"""

import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import transaction
from persistent.mapping import PersistentMapping
from ZODB.POSException import ConflictError

from objweb.content.site import ensure_site, site_root
from objweb.extensions.config import UpgradeStep
from objweb.security.principals import TRUSTED_CODE, acting_as

# The key of the versions record in the ZODB root, beside the site's own.
VERSIONS_KEY = "objweb.schema_versions"
OBJWEB = "objweb"
# objweb's own steps, by version; none yet: the contract's layout is version 0.
OBJWEB_STEPS: tuple[UpgradeStep, ...] = ()
MAX_ATTEMPTS = 5

log = logging.getLogger("objweb.upgrade")


@dataclass(frozen=True)
class Pending:
    """An upgrade step not yet run: whose it is (an extension's name or objweb) and the step."""

    owner: str
    step: UpgradeStep

    def __str__(self) -> str:
        return f"{self.owner} {self.step.version}: {self.step.title}"


def steps_by_owner(extensions) -> dict[str, tuple[UpgradeStep, ...]]:
    """Return the upgrade steps of objweb and of each extension, in version order."""
    found = {OBJWEB: OBJWEB_STEPS}
    for extension in extensions:
        found[extension.name] = tuple(extension.config.upgrade_steps)
    return found


def stored_versions(connection) -> dict[str, int]:
    """Return the schema versions the database records, by owner."""
    return dict(connection.root().get(VERSIONS_KEY, {}))


def pending_in(versions: dict, extensions) -> list[Pending]:
    """Return the steps newer than `versions` records, objweb's first, each owner's in order."""
    return [Pending(owner, step) for owner, steps in steps_by_owner(extensions).items()
            for step in steps if step.version > versions.get(owner, 0)]


def pending_steps(db, extensions) -> list[Pending]:
    """Return the steps the database in `db` still needs."""
    with db.transaction() as connection:
        return pending_in(stored_versions(connection), extensions)


def has_site(db) -> bool:
    """Return whether the database in `db` holds a site yet."""
    with db.transaction() as connection:
        return site_root(connection) is not None


def start_versions(db, extensions) -> None:
    """Record the current schema version of objweb and of each extension, for a site just made."""
    with db.transaction() as connection:
        record = connection.root().get(VERSIONS_KEY)
        if record is None:
            record = connection.root()[VERSIONS_KEY] = PersistentMapping()
        for owner, steps in steps_by_owner(extensions).items():
            if steps and owner not in record:
                record[owner] = steps[-1].version
        connection.transaction_manager.get().note("objweb: a new site starts up to date")


def run_pending(db, extensions, *, report: Callable[[Pending], None] = lambda pending: None,
                progress: Callable[[int, int], None] | None = None) -> list[Pending]:
    """Run every pending step in order, each in its own transaction; return those this run did.

    `report` is told of each step before it runs; `progress(done, total)`
    of the objects a step walks with `objects`. A step another process ran
    meanwhile is skipped. A step's own exception passes through, its
    transaction aborted and its version not recorded.
    """
    done = []
    while True:
        ran = _run_next(db, extensions, report, progress)
        if ran is None:
            return done
        done.append(ran)


def _run_next(db, extensions, report, progress) -> Pending | None:
    """Run the first pending step and return it (None: nothing is pending).

    Raises `ConflictError` when the versions record conflicted every time.
    """
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    try:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            manager.begin()
            pending = pending_in(stored_versions(connection), extensions)
            if not pending:
                manager.abort()
                return None
            step = pending[0]
            report(step)
            try:
                _run_step(connection, step, progress)
                manager.get().note(f"objweb upgrade: {step}")
                manager.commit()
            except ConflictError:
                # Another process changed the versions: read them again.
                manager.abort()
                log.info("upgrade step %s met another process's; reading again", step)
                if attempt == MAX_ATTEMPTS:
                    raise
                continue
            except BaseException:
                manager.abort()
                raise
            log.info("upgraded: %s", step)
            return step
        return None  # pragma: no cover (the last attempt returns or raises)
    finally:
        connection.close()


def _run_step(connection, pending: Pending, progress) -> None:
    root = ensure_site(connection)
    token = _progress.set(progress)
    try:
        with acting_as(TRUSTED_CODE):
            pending.step.run(root)
    finally:
        _progress.reset(token)
    record = connection.root().get(VERSIONS_KEY)
    if record is None:
        record = connection.root()[VERSIONS_KEY] = PersistentMapping()
    record[pending.owner] = pending.step.version


_progress: ContextVar = ContextVar("objweb_upgrade_progress", default=None)


def objects(root) -> Iterator:
    """Yield every object under `root` (itself first), telling the running upgrade's progress.

    For upgrade steps over many objects: `objweb upgrade` shows a bar.
    """
    report = _progress.get()
    total = _count(root) if report is not None else 0
    for done, obj in enumerate(_walk(root), start=1):
        yield obj
        if report is not None:
            report(done, total)


def _walk(obj) -> Iterator:
    yield obj
    if getattr(obj, "is_container", False):
        for child in obj.values():
            yield from _walk(child)


def _count(obj) -> int:
    if not getattr(obj, "is_container", False):
        return 1
    return 1 + sum(_count(child) for child in obj.values())
