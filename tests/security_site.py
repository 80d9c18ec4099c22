"""A site built to hold every way of holding a role, for the permission matrices.

Users of the root user folder: `manager`, `editor` (global roles), `grouped`
(Editor through the group `editors`), `localeditor` (Editor as a local role
on /zone), `grouplocal` (member of `desk`, which is Editor locally on /zone),
`reviewer` (the role Reviewer, defined on /zone, as a local role there),
`member` (no role: only Authenticated) and `owner` (owns every object it
made). Users of the nested user folder /zone/acl_users: `nested` (Editor)
and `nestedmanager` (Manager), known only inside /zone.

/zone holds one object of each type (the user folder sits in
/zone/ufhost), all made by `owner`; /zone/blocked holds the same set, under
a folder that blocks local roles from above; /zone/inbox and
/zone/blocked/inbox receive new objects. On /zone, Reviewer is given
`Change objects`.
"""

import functools
import io

from PIL import Image as PILImage

import objweb
from objweb import File, Folder, Image, Page, Script, Template, UserFolder
from objweb.security.rolemap import define_role, set_block_local_roles
from support import bootstrapped_storage, layered_db

PASSWORD = "Matrix-pw-1"
USERS = ("manager", "editor", "grouped", "localeditor", "grouplocal", "reviewer", "member",
         "owner")
NESTED_USERS = ("nested", "nestedmanager")
TYPES = ("Folder", "Page", "File", "Image", "Template", "Script", "UserFolder")
LOCATIONS = ("/zone", "/zone/blocked")


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (2, 2)).save(buffer, format="PNG")
    return buffer.getvalue()


def target_path(location: str, type_name: str) -> str:
    """Return the path of the object of `type_name` at `location`."""
    if type_name == "UserFolder":
        return f"{location}/ufhost/acl_users"
    return f"{location}/{type_name.lower()}"


def _objects(folder, user_folder_host: bool = True) -> None:
    folder["folder"] = Folder(title="A folder")
    folder["page"] = Page(title="A page", body="<p>page</p>")
    folder["file"] = File(title="A file", data=b"data", content_type="text/plain")
    folder["image"] = Image(title="An image", data=png(), content_type="image/png")
    folder["template"] = Template(title="A template", source="<p>t</p>")
    folder["script"] = Script(title="A script", body="return 1")
    if user_folder_host:
        folder["ufhost"] = Folder(title="Host")
        folder["ufhost"]["acl_users"] = UserFolder()


def build(db) -> None:
    """Fill the bootstrapped site in `db` as the module docstring says."""
    with objweb.site(db) as root:
        users = root["acl_users"]
        users.add_group("editors", roles=["Editor"])
        users.add_group("desk")
        for name, roles, groups in [("manager", ["Manager"], []), ("editor", ["Editor"], []),
                                    ("grouped", [], ["editors"]), ("localeditor", [], []),
                                    ("grouplocal", [], ["desk"]), ("reviewer", [], []),
                                    ("member", [], []), ("owner", [], [])]:
            users.add_user(name, PASSWORD, roles=roles, groups=groups)
        root["zone"] = zone = Folder(title="Zone")
        zone["acl_users"] = UserFolder()
        zone["acl_users"].add_user("nested", PASSWORD, roles=["Editor"])
        zone["acl_users"].add_user("nestedmanager", PASSWORD, roles=["Manager"])
        define_role(zone, "Reviewer")
        zone.manage_permission("Change objects", roles=["Reviewer"], acquire=True)
        zone.manage_setLocalRoles("localeditor", ["Editor"])
        zone.manage_setLocalRoles("desk", ["Editor"])
        zone.manage_setLocalRoles("reviewer", ["Reviewer"])
        zone["inbox"] = Folder(title="Inbox")
        zone["blocked"] = Folder(title="Blocked")
        set_block_local_roles(zone["blocked"], True)
        zone["blocked"]["inbox"] = Folder(title="Inbox")
    with objweb.site(db, user="owner") as root:
        _objects(root["zone"])
        _objects(root["zone"]["blocked"])


@functools.cache
def site_template():
    """Return a storage holding the built site, made once per process; layer over it.

    Once per process, not once per module: mutation testing runs the tests of both
    matrices interleaved, fastest first, and a module fixture would then build the
    site again at each switch, hashing ten passwords each time.
    """
    db = layered_db(bootstrapped_storage())
    build(db)
    return db.storage


AUTHENTICATED = frozenset({"Anonymous", "Authenticated"})


def roles_held(holder: str, location: str, *, on_owned: bool) -> frozenset:
    """Return the roles `holder` should hold at `location`, written out from the rules.

    `on_owned` says whether the object is one `owner` made (not a folder
    made by trusted code, such as the inboxes and the locations).
    """
    if holder == "anonymous":
        return frozenset({"Anonymous"})
    blocked = location.endswith("/blocked")
    extra = {
        "manager": {"Manager"}, "nestedmanager": {"Manager"},
        "editor": {"Editor"}, "grouped": {"Editor"}, "nested": {"Editor"},
        # Local roles given on /zone stop at a folder that blocks them.
        "localeditor": set() if blocked else {"Editor"},
        "grouplocal": set() if blocked else {"Editor"},
        "reviewer": set() if blocked else {"Reviewer"},
        "owner": {"Owner"} if on_owned else set(),
        "member": set(),
    }[holder]
    return AUTHENTICATED | extra


HOLDERS = ("anonymous", "member", "owner", "editor", "grouped", "localeditor", "grouplocal",
           "reviewer", "nested", "manager", "nestedmanager")
