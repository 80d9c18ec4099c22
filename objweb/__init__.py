"""objweb: a web application server over a tree of persistent objects in ZODB."""

from objweb import events
from objweb.app import Application
from objweb.catalog import search
from objweb.content import (
    File, Folder, Image, Item, OrderedFolder, Page, Script, Template, UserFolder)
from objweb.content.schema import Field
from objweb.errors import (
    Forbidden, NameInUseError, NotFoundError, ObjwebError, Unauthorized, ValidationError)
from objweb.content.folder import use_copier
from objweb.storage.db import bootstrap, open_db, site
from objweb.storage.transfer import copy_to
from objweb.traversal import find, lineage, path_of, url_of
from objweb.web.config import Settings
from objweb.wsgi import make_app

use_copier(copy_to)

__all__ = [
    "Application", "Field", "File", "Folder", "Forbidden", "Image", "Item", "NameInUseError",
    "NotFoundError", "ObjwebError", "OrderedFolder", "Page", "Script", "Settings", "Template",
    "Unauthorized", "UserFolder", "ValidationError", "bootstrap", "events", "find", "lineage",
    "make_app", "open_db", "path_of", "search", "site", "url_of",
]
