"""The control panel on the site root: the database's figures, versions, diagnostics, Pack.

Its diagnostics are this process's (`objweb.web.diagnostics`): the recent
incidents with their tracebacks, the slowest recent requests and the
objects that met conflicts. Like Pack they are for those who hold `Change
permissions` here, the Managers; an Editor sees the figures only.
"""

import platform
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata

import webob
from ZODB.POSException import POSError

from objweb.content.folder import Folder
from objweb.errors import ValidationError
from objweb.security.protections import CHANGE_PERMISSIONS, MANAGE
from objweb.storage.pack import pack as pack_database
from objweb.web.diagnostics import Report, located_path, oid_text
from objweb.zmi.display import format_size, format_time
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

MAX_PACK_DAYS = 36500


def is_root(obj) -> bool:
    """Whether `obj` is the site's root folder."""
    return obj.__parent__ is None


@dataclass(frozen=True)
class Fact:
    """One line of the control panel."""

    label: str
    value: str


@dataclass(frozen=True)
class HotObject:
    """An object that met conflicts, as the panel shows it: where it is and what happened."""

    class_name: str
    path: str | None
    oid: str
    conflicts: int
    retries: int
    unavailable: int
    last_time: float
    last_request: str


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


@screen(Folder, "manage_control", title="Control panel", order=90, action=MANAGE,
        post_action=CHANGE_PERMISSIONS, condition=is_root)
class ControlPanel(Screen):
    """Database size, object count, cache figures and versions; packing the database."""

    template = "control.pt"
    format_time = staticmethod(format_time)
    # The days of history to keep, while the page asks to confirm a pack.
    confirming_days: int | None = None

    @property
    def db(self):
        """The database the site lives in."""
        return self.request.connection.db()

    @property
    def database_facts(self) -> list[Fact]:
        """What the database and its storage report."""
        db = self.db
        size = db.getSize()
        return [
            Fact("Storage", f"{type(db.storage).__name__}: {db.getName()}"),
            Fact("Size", f"{format_size(size)} ({size:,} bytes)"),
            Fact("Objects", f"{db.objectCount():,}"),
            Fact("Undo", "kept" if db.supportsUndo() else "not kept by this storage"),
        ]

    @property
    def cache_facts(self) -> list[Fact]:
        """The object caches: their target size and what they hold now."""
        db = self.db
        connections = db.cacheDetailSize()
        return [
            Fact("Target per connection", f"{db.getCacheSize():,} objects"),
            Fact("Objects in all caches", f"{db.cacheSize():,}"),
            Fact("Connections", f"{len(connections)} (pool size {db.getPoolSize()})"),
        ] + [Fact(f"Connection {index + 1}",
                  f"{detail['ngsize']:,} loaded of {detail['size']:,} cached")
             for index, detail in enumerate(connections)]

    @property
    def versions(self) -> list[Fact]:
        """The versions of objweb and of what it runs on."""
        return [Fact("objweb", _version("objweb")), Fact("ZODB", _version("ZODB")),
                Fact("Python", platform.python_version())]

    @property
    def can_diagnose(self) -> bool:
        """Whether the user may read this process's diagnostics."""
        return self.can(CHANGE_PERMISSIONS)

    @cached_property
    def report(self) -> Report:
        """A copy of this process's incidents, slowest requests and conflicts."""
        return self.request.diagnostics.report()

    @property
    def hot_objects(self) -> list[HotObject]:
        """The objects that met conflicts, most conflicts first, each with its path."""
        return [HotObject(count.class_name,
                          located_path(self.request.connection, self.context, count.oid),
                          oid_text(count.oid), count.conflicts, count.retries,
                          count.unavailable, count.last_time, count.last_request)
                for count in self.report.conflicts]

    @property
    def wanted_incident(self) -> str:
        """The incident id the Find field asks for (empty if none)."""
        return self.request.GET.get("incident", "").strip()

    @property
    def missing_incident(self) -> bool:
        """Whether the incident asked for is not among those this process keeps."""
        wanted = self.wanted_incident
        return bool(wanted) and self.request.diagnostics.incident(wanted) is None

    @staticmethod
    def format_seconds(seconds: float) -> str:
        """Return a duration for people, in milliseconds."""
        return f"{seconds * 1000:,.1f} ms"

    @property
    def can_pack(self) -> bool:
        """Whether the user may pack the database."""
        return self.can(CHANGE_PERMISSIONS)

    @command("pack")
    def pack(self) -> webob.Response:
        """Remove old revisions from the database, keeping the last `days` days of history.

        Without `confirm=1` nothing is packed: the page asks first.
        """
        raw = (self.request.POST.get("days") or "0").strip()
        if not raw.isdigit() or int(raw) > MAX_PACK_DAYS:
            raise ValidationError(f"days is a whole number from 0 to {MAX_PACK_DAYS}", "days")
        days = int(raw)
        if self.request.POST.get("confirm") != "1":
            # Packing cannot be undone: the first press only asks.
            self.confirming_days = days
            return self.render()
        try:
            pack_database(self.db, days)
        except POSError as error:
            raise ValidationError(f"the storage could not pack: {error}", "days") from None
        kept = f"the last {days} day{'s' if days != 1 else ''}" if days else "no"
        return self.redirect(self.url(screen=self.name),
                             f"Packed the database, keeping {kept} history.")
