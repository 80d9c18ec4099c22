"""Where the site lives in a database: the root folder and the site's secret."""

import secrets

from objweb.content.folder import Folder
from objweb.content.userfolder import UserFolder

ROOT_KEY = "objweb"
SECRET_KEY = "objweb.secret"


def site_root(connection) -> Folder | None:
    """Return the site's root folder in an open connection, or None before bootstrap."""
    return connection.root().get(ROOT_KEY)


def site_secret(connection) -> bytes:
    """Return the site's random secret, made with the site, for signing sessions."""
    return connection.root()[SECRET_KEY]


def ensure_site(connection) -> Folder:
    """Return the root folder, creating it, its `acl_users` and the secret if missing."""
    mapping = connection.root()
    if SECRET_KEY not in mapping:
        mapping[SECRET_KEY] = secrets.token_bytes(32)
    root = mapping.get(ROOT_KEY)
    if root is None:
        root = Folder(title="objweb")
        # Stored at once, so that what is added to it knows its database and its site.
        connection.add(root)
        mapping[ROOT_KEY] = root
        root.add("acl_users", UserFolder())
    return root
