"""The public views: pages, files, the JSON API, search, login, code views, code history, health.

`include(registry)` registers them; importing this package registers nothing.
"""

from objweb.traversal.views import ViewRegistry
from objweb.views import code, codehistory, health, jsonapi, login, pages, search

MODULES = (pages, jsonapi, search, code, codehistory, login, health)


def include(registry: ViewRegistry) -> ViewRegistry:
    """Register the public views in `registry` and return it."""
    for module in MODULES:
        registry.scan(module)
    return registry
