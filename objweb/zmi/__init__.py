"""The management interface: one small view class per screen, and the tabs they make.

`include(registry)` registers every screen and the screens' own files;
importing this package registers nothing.
"""

from objweb.traversal.views import ViewRegistry
from objweb.zmi import (
    access, adding, broken, catalog, contents, control, davlocks, edit, find, history_tab,
    importexport, navigation, propertysheet, static, test_tab, undo_tab, users)
from objweb.zmi.registration import register_screen, screens_in

MODULES = (contents, adding, edit, test_tab, history_tab, propertysheet, access, users, undo_tab,
           importexport, find, catalog, davlocks, control, navigation, broken)


def screen_classes() -> list[type]:
    """Return every screen class of the management interface, module by module."""
    return [cls for module in MODULES for cls in screens_in(module)]


def include(registry: ViewRegistry) -> ViewRegistry:
    """Register the management screens and their static files in `registry`; return it."""
    for cls in screen_classes():
        register_screen(registry, cls)
    registry.scan(static)
    return registry
