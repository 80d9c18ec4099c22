"""The navigation tree beside every screen: the way to the object, opened out.

Each folder from the site root down to the object shows its subfolders;
the others stay closed until opened, when the browser asks for their
children (`manage_tree`), or, without JavaScript, the link leads to that
folder, where the tree opens up to it. Telling a folder from other items
needs only its class, which ZODB knows without loading the object, and at
most `SCAN_LIMIT` names are looked at per folder, so a folder of 100,000
items costs what a small one does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from objweb.traversal.location import lineage

SCAN_LIMIT = 1000
SHOW_LIMIT = 100


@dataclass
class Node:
    """One folder in the tree.

    `children` is None while not loaded. `more` says that the folder has
    subfolders the tree does not show (look in its Contents). `url` is ""
    for a folder whose screens the user may not open.
    """

    name: str
    label: str
    url: str
    children_url: str
    children: list | None = None
    current: bool = False
    more: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        """Whether the node shows its children."""
        return self.children is not None


def is_folder(obj) -> bool:
    """Whether `obj` is a container, judged by its class (no load from the database)."""
    return bool(getattr(type(obj), "is_container", False))


def subfolders(folder) -> tuple[list[tuple[str, object]], bool]:
    """Return the (name, folder) pairs the tree shows for `folder`, and whether it has more."""
    found = []
    for name, obj in islice(folder.items(), SCAN_LIMIT):
        if is_folder(obj):
            if len(found) == SHOW_LIMIT:
                return found, True
            found.append((name, obj))
    return found, len(folder) > SCAN_LIMIT


def children_of(folder, url_for: Callable, current=None) -> tuple[list[Node], bool]:
    """Return the closed nodes of `folder`'s subfolders, and whether there are more."""
    pairs, more = subfolders(folder)
    nodes = [Node(name, name, url_for(obj, "manage"), url_for(obj, "manage_tree"),
                  current=obj is current)
             for name, obj in pairs]
    return nodes, more


def build_tree(context, root, url_for: Callable) -> Node:
    """Return the tree from `root`, opened along the way to `context`.

    `url_for(obj, screen)` writes the URL of a screen of an object, or ""
    where the user may open none: such a node is shown without a link and
    cannot be opened.
    """
    path = []
    for node in lineage(context):
        path.append(node)
        if node is root:
            break
    path.reverse()
    folders = [node for node in path if is_folder(node)]
    if not folders or folders[0] is not root:
        folders = [root]
    top = Node("", "Home", url_for(root, "manage"), url_for(root, "manage_tree"),
               current=root is context)
    parent_node = top
    for index, folder in enumerate(folders):
        children, more = children_of(folder, url_for, context)
        parent_node.children, parent_node.more = children, more
        following = folders[index + 1] if index + 1 < len(folders) else None
        if following is None:
            break
        match = [child for child in children if child.name == following.__name__]
        if not match:
            # Beyond what the tree shows of a big folder: add the way down anyway.
            match = [Node(following.__name__, following.__name__,
                          url_for(following, "manage"), url_for(following, "manage_tree"),
                          current=following is context)]
            children.append(match[0])
        parent_node = match[0]
    return top
