"""Python scripts written through the web (placeholder: sandboxed and run in issue 4)."""

from objweb.content.base import Item
from objweb.content.schema import TITLE, Field
from objweb.security import protections
from objweb.security.permissions import CHANGE_CODE


class Script(Item):
    """A restricted Python function, acquired by name and called in its context."""

    type_name = "Script"
    is_acquirable = True
    __fields__ = (TITLE, Field("params", "line", "Parameters", read_action=protections.MANAGE),
                  Field("body", "text", "Body", read_action=protections.MANAGE))
    __protections__ = {protections.CHANGE: CHANGE_CODE, protections.CREATE: CHANGE_CODE}

    def __init__(self, title: str = "", params: str = "", body: str = ""):
        super().__init__(title)
        self.params = params
        self.body = body
