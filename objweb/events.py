"""Object events: what changed in the tree, announced to whoever subscribes.

The content room sends one event after each change it makes, whichever door
the change came through (the Python API, the JSON API, the management
screens, an import): the change is done when the event is sent, and a
subscriber that raises stops it (the transaction is aborted with it).
Dispatch is `zope.event`'s, by event class (`zope.event.classhandler`): a
subscriber to `ObjectEvent` hears every event below.

| event | sent when | besides `.object` |
| --- | --- | --- |
| `ObjectAdded` | an object is put in a folder: a new one, an imported subtree, a copy | |
| `ObjectModified` | fields or properties change (`edit`, `touch`, new file data) | |
| `ObjectMoved` | an object is renamed, or moved (cut and paste) to another folder | `old_parent`, `old_name` |
| `ObjectCopied` | a copy is made, before it is added | `original` |
| `ObjectRemoved` | an object is taken out of its folder (deleted, or cut to move elsewhere by hand) | `old_parent`, `old_name` |
| `SecurityChanged` | permissions, local roles, the local-role block or the owner change | |

An event names the top object of what changed: the items of a folder that
is moved, copied or removed come with it and get no event of their own.
Undo writes old states back below the object level and sends no events.
"""

from collections.abc import Callable

import zope.event
import zope.event.classhandler


class ObjectEvent:
    """Something happened to `object`."""

    def __init__(self, obj):
        self.object = obj

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.object!r}>"


class ObjectAdded(ObjectEvent):
    """`object` was put in a folder (its `__parent__`)."""


class ObjectModified(ObjectEvent):
    """`object`'s fields or properties changed."""


class ObjectMoved(ObjectEvent):
    """`object` left `old_parent`, where it was named `old_name`, for its new place."""

    def __init__(self, obj, old_parent, old_name: str):
        super().__init__(obj)
        self.old_parent = old_parent
        self.old_name = old_name


class ObjectCopied(ObjectEvent):
    """`object` was made as a copy of `original`; it is in no folder yet."""

    def __init__(self, obj, original):
        super().__init__(obj)
        self.original = original


class ObjectRemoved(ObjectEvent):
    """`object` was taken out of `old_parent`, where it was named `old_name`."""

    def __init__(self, obj, old_parent, old_name: str):
        super().__init__(obj)
        self.old_parent = old_parent
        self.old_name = old_name


class SecurityChanged(ObjectEvent):
    """Who may do what on `object` and below changed: permissions, local roles or owner."""


def notify(event: ObjectEvent) -> None:
    """Send `event` to every subscriber of its class (or of a base class)."""
    zope.event.notify(event)


def subscribe(event_class: type, handler: Callable[[ObjectEvent], None]) -> None:
    """Call `handler(event)` for every event of `event_class` (or a subclass) from now on."""
    zope.event.classhandler.handler(event_class, handler)


def unsubscribe(event_class: type, handler: Callable[[ObjectEvent], None]) -> None:
    """Stop calling `handler` for `event_class`; nothing happens if it was not subscribed."""
    handlers = zope.event.classhandler.registry.get(event_class, [])
    if handler in handlers:
        handlers.remove(handler)


def is_subscribed(event_class: type, handler: Callable[[ObjectEvent], None]) -> bool:
    """Return whether `handler` is subscribed to `event_class` itself."""
    return handler in zope.event.classhandler.registry.get(event_class, [])
