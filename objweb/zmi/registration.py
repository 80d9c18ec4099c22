"""How a screen becomes a view and a tab: marks on the class, registered by `include`.

As Substance D's `mgmt_view` does, each screen is a class marked with its
name, the type it is for, its tab's title and order and the action (hence
the permission) it needs. Marking registers nothing: `objweb.zmi.include`
hands every marked class of the screens' modules to `register_screen`,
which registers it in the application's view registry, its POST needing
the CSRF token whatever the credentials (a refused form from this site
comes back as typed). The tab row is read back from that
same registry, so an application shows exactly the screens it serves.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from objweb.errors import NotFoundError
from objweb.security.protections import MANAGE, VIEW
from objweb.traversal.views import DEFAULT_VIEW, ViewRegistry


@dataclass(frozen=True)
class Tab:
    """A screen's place in the tab row: name, title, order, and the action it needs."""

    name: str
    title: str
    order: int
    action: str
    condition: Callable | None = None
    # A tab that leads out of the screens, to the object's public page (Zope's View tab).
    public: bool = False


@dataclass(frozen=True)
class ScreenSpec:
    """What `screen` says of a class: where it is registered and the tab it makes."""

    for_type: type
    name: str
    action: str
    post_action: str | None
    condition: Callable | None
    tab: Tab | None


@dataclass(frozen=True)
class CommandSpec:
    """A POST command of a screen: its name and the action it needs beyond the screen's."""

    name: str
    action: str | None = None


def command(name: str, *, action: str | None = None) -> Callable:
    """Mark a screen method as the handler of the POSTed `command=name`."""
    def mark(method: Callable) -> Callable:
        method.command_spec = CommandSpec(name, action)
        return method
    return mark


def screen(for_type: type, name: str, *, title: str | None = None, order: int = 100,
           action: str = MANAGE, post_action: str | None = None,
           condition: Callable | None = None) -> Callable:
    """Mark a `Screen` class as the view `name` of `for_type`, and as a tab if titled.

    GET needs `action`; POST (when the class has commands) needs `post_action`
    too, which `Screen.dispatch` checks. `register_screen` registers what is marked.
    """
    def mark(cls: type) -> type:
        cls.name = name
        tab = Tab(name, title, order, action, condition) if title else None
        cls.screen_spec = ScreenSpec(for_type, name, action, post_action, condition, tab)
        return cls
    return mark


def screens_in(module: ModuleType) -> list[type]:
    """Return the screen classes `module` defines, in the order it defines them."""
    return [value for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
            and "screen_spec" in vars(value)]


def register_screen(registry: ViewRegistry, cls: type) -> None:
    """Register the marked screen class `cls` in `registry`: GET, and POST if it has commands."""
    spec = cls.screen_spec

    def handler(obj, request):
        if spec.condition is not None and not spec.condition(obj):
            raise NotFoundError(f"{type(obj).type_name} has no screen {spec.name!r}")
        return cls(obj, request).respond()

    def token_refused(obj, request):
        return cls(obj, request).token_refused()

    handler.__doc__ = cls.__doc__
    handler.screen = cls
    registry.register(spec.for_type, spec.name, handler, action=spec.action,
                      methods=("GET",), plain=True)
    if cls.commands:
        # The screen checks `post_action` itself, before any command runs, so
        # that a refusal is told on the screen rather than on a bare page.
        registry.register(spec.for_type, spec.name, handler, action=spec.action,
                          methods=("POST",), plain=True, requires_token=True,
                          token_refused=token_refused)


def has_public_view(registry: ViewRegistry, obj) -> bool:
    """Whether `obj` has a page of its own to show (a user folder has none)."""
    return registry.lookup(obj, DEFAULT_VIEW, "GET") is not None


# Zope's View tab: the object's public page, for the objects that have one.
VIEW_TAB = Tab("view", "View", 80, VIEW, public=True)


def _registered_tabs(registry: ViewRegistry, obj) -> Iterator[Tab]:
    for registration in registry.registrations_for(obj):
        spec = getattr(getattr(registration.handler, "screen", None), "screen_spec", None)
        if spec is not None and spec.tab is not None:
            yield spec.tab


def tabs_for(registry: ViewRegistry, obj) -> list[Tab]:
    """Return the tabs of `obj` in `registry` whose condition holds, in order."""
    found = {}
    for tab in _registered_tabs(registry, obj):
        found.setdefault(tab.name, tab)
    usable = [tab for tab in found.values() if tab.condition is None or tab.condition(obj)]
    if has_public_view(registry, obj):
        usable.append(VIEW_TAB)
    return sorted(usable, key=lambda tab: (tab.order, tab.title))
