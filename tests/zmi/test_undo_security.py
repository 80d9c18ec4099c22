"""Finding 2 of issue 12, undo as a way up: every attack goes through the Undo tab's forms.

Each test reads the outcome back through a fresh connection to a
FileStorage, which keeps the history.
"""

import objweb
from objweb import Folder, Page
from support import ADMIN


def change_site(file_db, function, user=ADMIN):
    """Run `function(root)` in a transaction of its own, made by `user`."""
    with objweb.site(file_db, user=user) as root:
        return function(root)


def add_user(file_db, name: str, roles, folder: str = "/") -> None:
    """Add the user `name` (password `pw-name`) to the user folder of `folder`."""
    change_site(file_db, lambda root: objweb.find(root, folder)["acl_users"].add_user(
        name, f"pw-{name}", roles=roles))


def test_finding_02_editors_hold_no_undo_by_default(file_db, file_manager, client_for):
    add_user(file_db, "ed", ["Editor"])
    change_site(file_db, lambda root: root.add("news", Folder()).add("page", Page()))
    ed = client_for(file_db, "ed", "pw-ed")
    ed.get("/manage_undo", status=403)
    ed.get("/news/manage_undo", status=403)
    response = ed.post("/news/manage_contents", {"command": "delete", "names": "page"})
    flash = ed.follow(response).html.find(class_="flash")
    assert "Deleted 'page'." in flash.get_text() and flash.find("a") is None
