"""The way into the screens: `manage`, the View tab, and the lazy branches of the tree."""

import webob

from objweb.content.base import Item
from objweb.content.folder import Folder
from objweb.errors import Forbidden
from objweb.zmi import tree
from objweb.zmi.framework import Screen, secure
from objweb.zmi.registration import screen, tabs_for


@screen(Item, "manage")
class ManageEntry(Screen):
    """`/<path>/manage`: leads to the first tab of the object that the user may open."""

    def get(self) -> webob.Response:
        """Redirect to the first tab the user may open.

        Raises `Forbidden` if there is none.
        """
        for tab in tabs_for(self.request.registry, self.context):
            if self.can(tab.action) and not tab.public:
                return secure(webob.Response(status=303,
                                             location=self.url(screen=tab.name)))
        # Every type has Properties, guarded as `manage` itself is, so this is a safeguard.
        raise Forbidden("you may open no management screen here")  # pragma: no cover


@screen(Folder, "manage_tree")
class TreeBranch(Screen):
    """The subfolders of a folder, as a branch of the navigation tree (for the script)."""

    template = "tree.pt"

    def get(self) -> webob.Response:
        """Render the folder's children as list items."""
        # A fragment is no page: a message waiting for the next page stays waiting.
        self.flash = None
        nodes, more = tree.children_of(self.context, self.screen_link)
        return self.render(nodes=nodes, more=more)
