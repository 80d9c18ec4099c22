"""Where a URL or a path leads: lineage, paths, views and traversal."""

from objweb.traversal.location import (
    is_inside, lineage, path_of, path_segments, root_of, url_of)
from objweb.traversal.resolve import (
    TraversalResult, acquire, child, find, is_acquirable, is_container, traverse)
from objweb.traversal.views import DEFAULT_VIEW, ViewRegistration, ViewRegistry, view_config

__all__ = [
    "DEFAULT_VIEW", "TraversalResult", "ViewRegistration", "ViewRegistry", "acquire",
    "child", "find", "is_acquirable", "is_container", "is_inside", "lineage",
    "path_of", "path_segments", "root_of", "traverse", "url_of", "view_config",
]
