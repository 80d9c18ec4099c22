"""Page templates written through the web (placeholder: compiled and rendered in issue 4)."""

from objweb.content.base import Item
from objweb.content.schema import TITLE, Field
from objweb.security import protections
from objweb.security.permissions import CHANGE_CODE


class Template(Item):
    """A Zope page template, acquired by name and rendered in its context."""

    type_name = "Template"
    is_acquirable = True
    __fields__ = (TITLE, Field("source", "text", "Source", read_action=protections.MANAGE))
    __protections__ = {protections.CHANGE: CHANGE_CODE, protections.CREATE: CHANGE_CODE}

    def __init__(self, title: str = "", source: str = ""):
        super().__init__(title)
        self.source = source
