"""Finding installed extensions, calling their `include(config)`, and applying what they declare.

An extension is an entry point in the group `objweb.extensions` naming a
callable `include(config)`. `load` calls every one with a `Config` of its
own and checks the whole set (types clashing with objweb's or each
other's, indexes declared with two kinds) before anything is applied;
`activate` then makes their types, permissions, subscribers and indexes
known to the process. `installed` does both once per
process, for the commands and the application.
"""

import importlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from objweb.catalog import declare_index, declared_indexes, forget_index
from objweb.content import registry
from objweb.errors import ObjwebError
from objweb.events import subscribe, unsubscribe
from objweb.extensions.config import Config, ExtensionError
from objweb.security import permissions

GROUP = "objweb.extensions"


@dataclass(frozen=True)
class Extension:
    """One loaded extension: its entry point's name, its distribution, and its declarations."""

    name: str
    distribution: str
    version: str
    config: Config

    @property
    def label(self) -> str:
        """How messages name the extension: 'news' (objweb-news 1.0)."""
        return f"{self.name!r} ({self.distribution} {self.version})"


def discover() -> list[importlib.metadata.EntryPoint]:
    """Return the installed `objweb.extensions` entry points, by name."""
    return sorted(importlib.metadata.entry_points(group=GROUP), key=lambda point: point.name)


def load(entry_points) -> tuple[Extension, ...]:
    """Call each entry point's `include(config)` and return the extensions, checked as a set.

    Raises `ExtensionError` naming the extension whose import or include
    failed, or whose declarations clash; then nothing has been applied.
    """
    extensions = tuple(_load_one(point) for point in entry_points)
    _check_types(extensions)
    _check_permissions(extensions)
    _check_indexes(extensions)
    return extensions


def _load_one(point) -> Extension:
    distribution = getattr(point, "dist", None)
    name, version = ((distribution.metadata["Name"], distribution.version)
                     if distribution is not None else (point.value, "unknown"))
    label = f"{point.name!r} ({name} {version})"
    try:
        module = importlib.import_module(point.module)
        include = point.load()
    except ObjwebError as error:
        raise ExtensionError(f"the extension {label} cannot be loaded: {error}") from None
    except Exception as error:
        raise ExtensionError(f"the extension {label} cannot be loaded: "
                             f"{type(error).__name__}: {error}") from None
    config = Config(point.name, _folder_of(module))
    try:
        include(config)
    except ObjwebError as error:
        raise ExtensionError(f"the extension {label}: {error}") from None
    except Exception as error:
        raise ExtensionError(f"the extension {label} failed in include: "
                             f"{type(error).__name__}: {error}") from None
    return Extension(point.name, name, version, config)


def _folder_of(module) -> Path | None:
    location = getattr(module, "__file__", None)
    return Path(location).parent if location else None


def _check_types(extensions) -> None:
    adding: dict[str, Extension] = {}
    for extension in extensions:
        for cls in extension.config.types:
            known = _known_type(cls.type_name)
            if known is not None and known is not cls and _is_objwebs(known):
                raise ExtensionError(f"the extension {extension.label} adds a type named "
                                     f"{cls.type_name!r}, which objweb already has")
            other = adding.get(cls.type_name)
            if other is not None and other is not extension:
                raise ExtensionError(f"the extension {extension.label} adds a type named "
                                     f"{cls.type_name!r}, which {other.label} adds too")
            adding[cls.type_name] = extension


def _known_type(type_name: str) -> type | None:
    try:
        return registry.type_named(type_name)
    except ObjwebError:
        return None


def _is_objwebs(cls: type) -> bool:
    return cls.__module__ == "objweb" or cls.__module__.startswith("objweb.")


def _check_permissions(extensions) -> None:
    declared: dict[str, tuple] = {}
    for extension in extensions:
        for name, roles in extension.config.permissions.items():
            if name in permissions.ALL_PERMISSIONS:
                raise ExtensionError(f"the extension {extension.label} adds the permission "
                                     f"{name!r}, which is one of objweb's own")
            other = declared.get(name)
            if other is not None and other[1] != roles:
                raise ExtensionError(f"the extension {extension.label} adds the permission "
                                     f"{name!r} with other default roles than {other[0].label}")
            declared[name] = (extension, roles)


def _check_indexes(extensions) -> None:
    declared = declared_indexes()
    for extension in extensions:
        for index in extension.config.indexes:
            kind, other = declared.get(index.name, (index.kind, None))
            if kind != index.kind:
                raise ExtensionError(f"the extension {extension.label} adds a {index.kind} "
                                     f"index {index.name!r}, which {other} adds as a {kind} index")
            declared[index.name] = (index.kind, f"the extension {extension.label}")


def activate(extensions) -> None:
    """Make the extensions' types, permissions, subscribers and indexes known to this process.

    Their subscribers hear the object events from now on; the sites this
    process opens from now on get their indexes (`objweb.catalog.ensure_catalog`).
    """
    for extension in extensions:
        config = extension.config
        for name, roles in config.permissions.items():
            permissions.add_permission(name, roles)
        for cls in config.types:
            registry.register_type(cls)
        for subscription in config.subscriptions:
            subscribe(subscription.event_type, subscription.handler)
        for index in config.indexes:
            declare_index(index.name, index.kind, f"the extension {extension.label}")


def deactivate(extensions) -> None:
    """Forget what the extensions declared (their packages are gone); what sites hold stays."""
    for extension in extensions:
        config = extension.config
        for name in config.permissions:
            permissions.remove_permission(name)
        for cls in config.types:
            registry.unregister_type(cls)
        for subscription in config.subscriptions:
            unsubscribe(subscription.event_type, subscription.handler)
        for index in config.indexes:
            forget_index(index.name, f"the extension {extension.label}")


_installed: tuple[Extension, ...] | None = None


def installed() -> tuple[Extension, ...]:
    """Return the installed extensions, loaded and activated the first time this is asked.

    Raises `ExtensionError` (each time it is asked) while one cannot be loaded.
    """
    global _installed
    if _installed is None:
        extensions = load(discover())
        activate(extensions)
        _installed = extensions
    return _installed
