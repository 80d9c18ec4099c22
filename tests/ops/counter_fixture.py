"""A test-only content type whose view increments a number: read, then write.

Loaded into `objweb serve` processes by the cluster tests (never part of
objweb), whose `include` joins the application's as an extension's would. The read and the write happen in one request's transaction with a
short pause between them, so requests running at once in two processes
overlap and conflict: ZODB refuses the second commit, and the publisher must
replay that request from a fresh state for no increment to be lost.
"""

import sys
import threading

import webob

from objweb.content.base import Item
from objweb.content.registry import register_type
from objweb.security import protections
from objweb.traversal.views import view_config

# Widens the window between the read and the write so overlaps are certain.
READ_MODIFY_WRITE_PAUSE = 0.005


@register_type
class Counter(Item):
    """A number that only grows."""

    type_name = "TestCounter"
    value = 0


# Public, so that the test measures conflicts rather than password hashing.
@view_config(Counter, "increment", action=protections.PUBLIC, methods=("POST",))
def increment(counter, request) -> webob.Response:
    """Add one to the counter and answer its new value."""
    seen = counter.value
    threading.Event().wait(READ_MODIFY_WRITE_PAUSE)
    counter.value = seen + 1
    return webob.Response(json_body={"value": counter.value})


@view_config(Counter, "value", action=protections.PUBLIC, methods=("GET",))
def value(counter, request) -> webob.Response:
    """Answer the counter's value."""
    return webob.Response(json_body={"value": counter.value})


def include(registry):
    """Register the counter's views in `registry` and return it."""
    registry.scan(sys.modules[__name__])
    return registry
