"""Extensions: installed Python packages adding types, views, permissions and upgrade steps.

Each names `include(config)` in the entry point group `objweb.extensions`
(see `objweb.extensions.loading`); `config` (`objweb.extensions.config`)
records what it declares. When the extensions are activated, the type
registry and the permission table take their types and permissions, the
object events (`objweb.events`) their subscribers, and the catalog their
indexes, which every site the process opens then gets; `include(registry)`
registers their views in an application's registry, after objweb's own.
"""

from objweb.extensions import views
from objweb.extensions.config import Config, ExtensionError
from objweb.extensions.loading import Extension, activate, deactivate, installed, load
from objweb.traversal.views import ViewRegistry


def include(registry: ViewRegistry, extensions=None) -> ViewRegistry:
    """Register the views of `extensions` (default: those installed) in `registry`; return it.

    Raises `ExtensionError` for an extension that cannot be loaded or a view that clashes.
    """
    return views.include(registry, installed() if extensions is None else extensions)


__all__ = ["Config", "Extension", "ExtensionError", "activate", "deactivate", "include",
           "installed", "load"]
