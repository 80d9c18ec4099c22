"""The WSGI application and the public views it publishes."""

import objweb.zmi  # noqa: F401 (registering the management screens)
from objweb.publisher import health, jsonapi, views  # noqa: F401 (registering the views)
from objweb.publisher import code  # noqa: F401 (registering the Template and Script views)
from objweb.publisher import history  # noqa: F401 (registering the history of sources)
from objweb.publisher.app import Application
from objweb.publisher.config import Settings

__all__ = ["Application", "Settings"]
