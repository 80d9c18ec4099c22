"""The screen of a broken object: what it was, and what may still be done with it.

An object whose class can no longer be imported (`objweb.content.broken`)
gets this one screen in place of the tabs of its type: it names the
missing class and says how to bring the object back. It is deleted, cut
and pasted, or exported from its folder's Contents tab, as any item is.
"""

import webob

from objweb.content.broken import BrokenItem
from objweb.zmi.framework import Screen, secure
from objweb.zmi.registration import screen


@screen(BrokenItem, "manage")
class BrokenEntry(Screen):
    """`/<path>/manage` of a broken object: leads to its one screen."""

    def get(self) -> webob.Response:
        """Redirect to the Broken screen."""
        return secure(webob.Response(status=303, location=self.url(screen="manage_broken")))


@screen(BrokenItem, "manage_broken", title="Broken", order=10)
class BrokenScreen(Screen):
    """What the object was, and that its package must be installed again to change it."""

    template = "broken.pt"

    def get(self) -> webob.Response:
        """Render the screen."""
        return self.render()

    @property
    def folder_url(self) -> str:
        """The Contents tab of the object's folder, where it is deleted, moved and exported."""
        return self.url(self.context.__parent__, screen="manage_contents")
