"""Pages: a title and a body of HTML written by the site's editors."""

from objweb.content import revisions
from objweb.content.base import Item
from objweb.content.schema import TITLE, Field


class Page(Item):
    """A page of HTML; its body is served as written, inside a minimal document."""

    type_name = "Page"
    fields = (TITLE, Field("body", "html", "Body"))
    history_fields = ("body",)
    source_language = "html"

    def __init__(self, title: str = "", body: str = ""):
        super().__init__(title)
        self.body = self.fields[1].convert(body)
        revisions.record(self)
