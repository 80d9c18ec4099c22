"""What an extension declares: the `config` its `include(config)` is handed.

A `Config` only records. Each `add_*` checks what it is given at once and
raises `ExtensionError` with a sentence, so that a mistake is reported
while the extension is being loaded; nothing is applied until every
installed extension has loaded (`objweb.extensions.loading`), so a failing
one never leaves a half-configured site.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from objweb.catalog import custom
from objweb.content.base import Item
from objweb.content.schema import Field
from objweb.errors import ObjwebError
from objweb.events import ObjectEvent
from objweb.security.permissions import BUILTIN_ROLES, MANAGER, VIEW
from objweb.traversal.views import DEFAULT_VIEW

VIEW_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


class ExtensionError(ObjwebError):
    """An extension that cannot be loaded or applied; the message is one sentence."""


@dataclass(frozen=True)
class ViewDeclaration:
    """A view an extension adds: for a type, a name, and the permission guarding it.

    `handler(obj, request)` answers a str (HTML), bytes, a dict or list
    (JSON) or a WebOb response; with a `template`, a dict it returns (or,
    with no handler, the object and the request) fills the template.
    """

    for_type: type
    name: str
    handler: Callable | None
    permission: str
    template: Path | None
    methods: frozenset


@dataclass(frozen=True)
class UpgradeStep:
    """A step that brings an extension's stored data to schema `version`."""

    version: int
    run: Callable
    title: str


@dataclass(frozen=True)
class Subscription:
    """A handler of the object events of one class (`objweb.events`), and of its subclasses."""

    event_type: type
    handler: Callable


@dataclass(frozen=True)
class IndexDeclaration:
    """A custom catalog index: it reads the field (or property) of its own name."""

    name: str
    kind: str


@dataclass
class Config:
    """The declarations of one extension, as its `include(config)` makes them.

    `name` is the entry point's name; `package_dir` is the folder of the
    module holding `include`, which template paths are relative to.
    """

    name: str
    package_dir: Path | None = None
    types: list = field(default_factory=list)
    views: list = field(default_factory=list)
    permissions: dict = field(default_factory=dict)
    upgrade_steps: list = field(default_factory=list)
    subscriptions: list = field(default_factory=list)
    indexes: list = field(default_factory=list)

    def add_type(self, cls: type) -> None:
        """Declare a content type. Raises `ExtensionError` for a class that cannot be one."""
        if not isinstance(cls, type) or not issubclass(cls, Item):
            raise ExtensionError(f"add_type takes a subclass of objweb.Item, not {cls!r}")
        type_name = cls.__dict__.get("type_name")
        if not isinstance(type_name, str) or not type_name.isidentifier():
            raise ExtensionError(f"{cls.__name__} needs a type_name of its own "
                                 "(a word such as 'Recipe')")
        for declared in cls.fields:
            if not isinstance(declared, Field):
                raise ExtensionError(f"{type_name}.fields holds {declared!r}, "
                                     "not an objweb.Field")
        self.types.append(cls)

    def add_view(self, for_type: type, name: str = DEFAULT_VIEW, view: Callable | None = None,
                 *, permission: str = VIEW, template: str | None = None,
                 methods=("GET",)) -> None:
        """Declare the view `name` of `for_type` (the default view for "").

        Raises `ExtensionError` for a missing handler and template, a
        template that is not in the package, or an unknown method.
        """
        if not isinstance(for_type, type) or not issubclass(for_type, Item):
            raise ExtensionError(f"view {name!r} is for {for_type!r}, not a content type")
        if not isinstance(name, str) or name.startswith("@") or "/" in name:
            raise ExtensionError(f"a view name is a word, not {name!r}")
        if view is None and template is None:
            raise ExtensionError(f"view {name!r} of {for_type.__name__} needs a "
                                 "function or a template")
        methods = frozenset(method.upper() for method in methods)
        if not methods or not methods <= VIEW_METHODS:
            raise ExtensionError(f"view {name!r} answers {sorted(methods)}; use some of "
                                 f"{', '.join(sorted(VIEW_METHODS))}")
        self.views.append(ViewDeclaration(for_type, name, view, permission,
                                          self._template_path(template), methods))

    def _template_path(self, template: str | None) -> Path | None:
        if template is None:
            return None
        path = (self.package_dir or Path.cwd()) / template
        if not path.is_file():
            raise ExtensionError(f"there is no template {template!r} in {self.package_dir}")
        return path

    def add_permission(self, name: str, default_roles=(MANAGER,)) -> None:
        """Declare a permission held by `default_roles` by default.

        Raises `ExtensionError` for a bad name or an unknown role.
        """
        roles = frozenset(default_roles)
        unknown = sorted(roles - set(BUILTIN_ROLES))
        if not isinstance(name, str) or not name.strip() or unknown:
            problem = f"unknown role {unknown[0]!r}" if unknown else "not a name"
            raise ExtensionError(f"permission {name!r}: {problem}")
        self.permissions[name] = roles

    def subscribe(self, event_type: type, handler: Callable) -> None:
        """Declare `handler(event)` for the object events of `event_type` and its subclasses.

        Raises `ExtensionError` for a class that is not an object event, or
        a handler that cannot be called.
        """
        if not isinstance(event_type, type) or not issubclass(event_type, ObjectEvent):
            raise ExtensionError(f"subscribe takes an event class of objweb.events, "
                                 f"not {event_type!r}")
        if not callable(handler):
            raise ExtensionError(f"the subscriber for {event_type.__name__} is not callable")
        self.subscriptions.append(Subscription(event_type, handler))

    def add_index(self, name: str, kind: str) -> None:
        """Declare a catalog index `name` of `kind` over the field (or property) `name`.

        Kinds are the catalog's: field, keyword, text and date. Raises
        `ExtensionError` for a bad name or kind, or a name declared twice
        with different kinds.
        """
        try:
            custom.check_index_name(name)
            custom.check_kind(kind)
        except ValueError as error:
            raise ExtensionError(f"index {name!r}: {error}") from None
        for declared in self.indexes:
            if declared.name == name and declared.kind != kind:
                raise ExtensionError(f"index {name!r} is declared as {declared.kind} and {kind}")
        self.indexes.append(IndexDeclaration(name, kind))

    def add_upgrade_step(self, version: int, step: Callable, title: str = "") -> None:
        """Declare the step that brings stored data to schema `version` (1, 2, ...).

        `step(root)` gets the site's root folder. Raises `ExtensionError`
        for a version that is not a positive whole number, or taken.
        """
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ExtensionError(f"an upgrade step's version is a whole number from 1, "
                                 f"not {version!r}")
        if any(existing.version == version for existing in self.upgrade_steps):
            raise ExtensionError(f"two upgrade steps to version {version}")
        if not callable(step):
            raise ExtensionError(f"the upgrade step to version {version} is not callable")
        self.upgrade_steps.append(UpgradeStep(version, step, title or step.__name__))
        self.upgrade_steps.sort(key=lambda declared: declared.version)

    @property
    def schema_version(self) -> int:
        """The version the extension's last upgrade step brings data to (0: none)."""
        return self.upgrade_steps[-1].version if self.upgrade_steps else 0
