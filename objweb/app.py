"""The wiring: a registry filled by each room's `include`, and the application over it.

`configure(registry)` calls the `include(registry)` of every room that
registers something, as Pyramid's `includeme` does: nothing registers
itself by being imported, so an application serves what its registry holds
and nothing else. The catalog's include keeps catalogs current in this
process and offers `search` to Scripts and Templates. `Application` is the publisher over a configured registry,
with the login form as the error boundary's challenge.
"""

from objweb import catalog, dav, extensions, views, zmi
from objweb.traversal.views import ViewRegistry
from objweb.views import login
from objweb.web.config import Settings
from objweb.web.publisher import Publisher

# The rooms an application is made of, in the order they register.
ROOMS = (catalog, views, zmi, dav)


def configure(registry: ViewRegistry, installed=None) -> ViewRegistry:
    """Fill `registry` with the views of every room, then of the extensions, and return it.

    `installed` are the extensions whose views to add (default: those
    installed in this environment). Raises `ValueError` if a room registers
    a view another already did, and `ExtensionError` for an extension that
    cannot be loaded or whose view clashes with objweb's.
    """
    for room in ROOMS:
        room.include(registry)
    return extensions.include(registry, installed)


class Application(Publisher):
    """The objweb WSGI application over one `ZODB.DB`.

    Serves the views of `registry`, by default a registry configured with
    every room's; a browser refused for want of credentials gets the login
    form.
    """

    def __init__(self, db, settings: Settings | None = None,
                 registry: ViewRegistry | None = None, *, installed=None):
        if registry is None:
            # configure(registry) alone is the wiring's contract; wrappers of it keep working.
            registry = (configure(ViewRegistry()) if installed is None
                        else configure(ViewRegistry(), installed))
        super().__init__(db, settings, registry, challenge=login.challenge)
