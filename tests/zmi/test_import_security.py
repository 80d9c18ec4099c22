"""Import and paste through the management screens, by the Manager of one folder.

The folder Manager (`fm`, see `takeover_site`) may import into and paste in
their folder. Nothing they bring may run as anyone but them: no code from a
file, no foreign owner, no proxy role they do not hold, no password of a
planted user; and they need the right to create every type they bring.
"""

import io

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template, UserFolder
from objweb.sandbox.scripts import CompiledScript
from objweb.security.rolemap import define_role, set_block_local_roles
from objweb.storage.transfer import export_subtree
from forged_exports import forge, forge_stored, zipped
from support import ADMIN, ADMIN_AUTH, basic_auth
from takeover_site import BANNER, FM, FM_AUTH, TAKEOVER, banner_source, build
from zmi.conftest import TOKEN, Client

# What the forged compiled form runs: plain Python, outside the sandbox.
ESCAPE = ("def _objweb_script(*args, **kwargs):\n"
          "    return 'escaped ' + ().__class__.__base__.__name__\n")


@pytest.fixture
def takeover(db):
    build(db)
    return db


def client(db, headers: dict, folder: str = "/sub") -> Client:
    """A Basic-auth client whose forms carry the token its pages in `folder` show."""
    user = Client(TestApp(objweb.make_app(db)), headers)
    page = user.get(f"{folder}/manage_contents")
    user._token = TOKEN.search(page.text).group(1)
    return user


@pytest.fixture
def fm(takeover) -> Client:
    return client(takeover, FM_AUTH)


def exported(db, path: str) -> bytes:
    buffer = io.BytesIO()
    with objweb.site(db) as root:
        export_subtree(objweb.find(root, path), buffer)
    return buffer.getvalue()


def import_into(user: Client, folder: str, data: bytes, *, name: str = "", status=303,
                filename: str = "x.zexp"):
    return user.post(f"{folder}/manage_importexport",
                     {"command": "import", "import_name": name}, status=status,
                     upload_files=[("file", filename, data)])


def names_in(db, path: str) -> list[str]:
    with objweb.site(db) as root:
        return sorted(objweb.find(root, path).keys())


def error_of(page) -> str:
    return page.html.find(class_="field-error").get_text()


# -- finding 1: an import that runs code ---------------------------------------------

def with_compiled_escape(state):
    state["_v_compiled"] = CompiledScript(ESCAPE, "<forged>", state["params"], state["body"],
                                          ())


@pytest.mark.parametrize("packed", [False, True], ids=["zexp", "zip"])
def test_finding_01_crafted_zexp_cannot_run_code(takeover, fm, packed):
    data = forge(exported(takeover, "/sub/tool"), "Script", with_compiled_escape)
    upload = zipped("evil.zexp", data) if packed else data
    page = import_into(fm, "/sub", upload, name="" if packed else "evil", status=400,
                       filename="evil.zip" if packed else "evil.zexp")
    assert "CompiledScript, which is not part of an objweb site" in error_of(page)
    assert names_in(takeover, "/sub") == ["tool"]
    TestApp(objweb.make_app(takeover)).get("/sub/evil", status=404)


@pytest.mark.parametrize("key", ["_v_compiled", "_p_jar", "_v_anything", "__class__"])
def test_finding_01_an_import_brings_no_volatile_or_persistence_attribute(takeover, fm, key):
    data = forge(exported(takeover, "/sub/tool"), "Script",
                 lambda state: state.update({key: "planted"}))
    page = import_into(fm, "/sub", data, name="evil", status=400)
    assert f"the attribute {key!r}" in error_of(page)
    assert names_in(takeover, "/sub") == ["tool"]


class Bomb:
    """Pickles as `bytearray(64 MiB)`: a few bytes in the file, 64 MiB once read."""

    def __reduce__(self):
        return (bytearray, (1 << 26,))


def test_finding_01_an_import_builds_no_value_a_site_never_stores(takeover, fm):
    data = forge(exported(takeover, "/banner"), "Template",
                 lambda state: state.update(title=Bomb()))
    assert len(data) < 4096
    page = import_into(fm, "/sub", data, name="big", status=400)
    assert "builtins.bytearray, which is not part of an objweb site" in error_of(page)
    assert names_in(takeover, "/sub") == ["tool"]


@pytest.mark.parametrize("value, named", [
    ("persistent.mapping PersistentMapping", "persistent.mapping.PersistentMapping"),
    ("objweb.security.sessions EndedSessions", "objweb.security.sessions.EndedSessions"),
    ("objweb.security.principals Principal", "objweb.security.principals.Principal"),
    ("objweb.content.schema Field", "objweb.content.schema.Field"),
])
def test_finding_01_an_import_names_only_the_classes_a_site_stores(takeover, fm, value, named):
    data = exported(takeover, "/sub/tool")
    forged = data.replace(b"cobjweb.content.script\nScript\n",
                          b"c" + value.replace(" ", "\n").encode() + b"\n", 1)
    page = import_into(fm, "/sub", forged, name="evil", status=400)
    assert f"names {named}, which is not part of an objweb site" in error_of(page)


def test_finding_01_a_paste_does_not_copy_a_forged_record_on(takeover, fm, site):
    site(lambda root: root["sub"].add("box", Folder()).add("code", Script(body="return 1")))
    with objweb.site(takeover) as root:
        oid = root["sub"]["box"]["code"]._p_oid
    # As a forged import stored before objweb refused them would have left it.
    forge_stored(takeover.storage, oid, lambda state: state.update(_v_compiled="planted"))
    takeover.cacheMinimize()
    fm.post("/sub/manage_contents", {"command": "copy", "names": "box"})
    page = fm.post("/sub/manage_contents", {"command": "paste"}, status=400)
    assert "gives a Script the attribute '_v_compiled'" in page.text
    assert names_in(takeover, "/sub") == ["box", "tool"]


def test_finding_01_an_object_whose_parent_lies_is_refused(takeover, fm, site):
    site(lambda root: root["sub"].add("box", Folder()).add("page", Page(body="<p>x</p>")))
    data = exported(takeover, "/sub/box")

    def lying_parent(state):
        state["__parent__"] = None  # the page claims to be a site root of its own

    page = import_into(fm, "/sub", forge(data, "Page", lying_parent), name="copy", status=400)
    assert "does not say it is there" in error_of(page)
    assert names_in(takeover, "/sub") == ["box", "tool"]


# -- finding 5: foreign owners, proxy roles, add permissions and passwords -----------

def test_finding_05_an_import_belongs_to_the_importer_with_only_their_proxy_roles(
        takeover, fm, site):
    site(lambda root: root.add("attack", Script(body=TAKEOVER)).set_proxy_roles(["Manager"]))
    data = exported(takeover, "/attack")
    import_into(fm, "/sub", data, name="evil")
    anonymous = TestApp(objweb.make_app(takeover))
    anonymous.get("/sub/evil", status=401)
    assert banner_source(takeover) == BANNER
    with objweb.site(takeover) as root:
        evil = root["sub"]["evil"]
        assert evil.owner == FM and evil._owner == ("/acl_users", FM)
        # fm is Manager here, so the role stays; it gives the code no more than fm has.
        assert evil.proxy_roles == ("Manager",)


def test_finding_05_proxy_roles_the_importer_does_not_hold_are_dropped(takeover, site):
    site(lambda root: root["acl_users"].add_user("coder", "coder-Pw-1"))
    site(lambda root: root["sub"].manage_setLocalRoles("coder", ["Editor"]))
    site(lambda root: root["sub"].manage_permission(
        "Import/Export objects", roles=["Editor", "Manager"]))
    site(lambda root: root["sub"].manage_permission(
        "Change scripts and templates", roles=["Editor", "Manager"]))
    coder = client(takeover, basic_auth("coder", "coder-Pw-1"))
    import_into(coder, "/sub", exported(takeover, "/sub/tool"), name="mine")
    with objweb.site(takeover) as root:
        assert root["sub"]["mine"].owner == "coder"
        assert root["sub"]["mine"].proxy_roles == ()


def test_finding_05_every_imported_object_needs_the_right_to_create_it(takeover, site):
    site(lambda root: root["acl_users"].add_user("ed", "ed-Pw-1", roles=["Editor"]))
    site(lambda root: root["sub"].manage_permission(
        "Import/Export objects", roles=["Editor", "Manager"]))
    site(lambda root: root["sub"].add("box", Folder()).add("code", Script(body="return 1")))
    data = exported(takeover, "/sub/box")
    site(lambda root: root["sub"].remove("box"))
    ed = client(takeover, basic_auth("ed", "ed-Pw-1"))
    import_into(ed, "/sub", data, status=403)
    assert names_in(takeover, "/sub") == ["tool"]
    # Without the code inside, the same Editor may import the folder.
    site(lambda root: root["sub"].add("box", Folder()).add("page", Page()))
    plain = exported(takeover, "/sub/box")
    site(lambda root: root["sub"].remove("box"))
    import_into(ed, "/sub", plain)
    assert names_in(takeover, "/sub/box") == ["page"]


@pytest.mark.parametrize("setting", [
    lambda folder: folder.manage_setLocalRoles("ed", ["Manager"]),
    lambda folder: folder.manage_permission("Change scripts and templates", roles=["Editor"]),
    lambda folder: set_block_local_roles(folder, True),
    lambda folder: define_role(folder, "Chef"),
], ids=["local roles", "permissions", "a block of local roles", "a role defined"])
def test_finding_05_imported_security_settings_need_the_rights_to_make_them(
        takeover, site, setting):
    site(lambda root: root["acl_users"].add_user("ed", "ed-Pw-1", roles=["Editor"]))
    site(lambda root: root["sub"].manage_permission(
        "Import/Export objects", roles=["Editor", "Manager"]))
    site(lambda root: setting(root["sub"].add("open", Folder())))
    data = exported(takeover, "/sub/open")
    site(lambda root: root["sub"].remove("open"))
    ed = client(takeover, basic_auth("ed", "ed-Pw-1"))
    import_into(ed, "/sub", data, status=403)
    assert names_in(takeover, "/sub") == ["tool"]


def test_finding_05_a_planted_user_cannot_log_in(takeover, fm, site):
    site(lambda root: root["sub"].add("team", Folder()).add("acl_users", UserFolder()))
    site(lambda root: root["sub"]["team"]["acl_users"].add_user("plant", "plant-Pw-1",
                                                                roles=["Manager"]))
    with objweb.site(takeover) as root:
        planted_hash = root["sub"]["team"]["acl_users"].get_user("plant").password_hash
    data = exported(takeover, "/sub/team")
    site(lambda root: root["sub"].remove("team"))
    assert b"argon2" not in data  # an export never carries one: the attacker writes it in

    def plant(state):
        state["password_hash"] = planted_hash

    import_into(fm, "/sub", forge(data, "User", plant))
    app = TestApp(objweb.make_app(takeover))
    app.get("/sub/team/manage_contents", headers=basic_auth("plant", "plant-Pw-1"), status=401)
    with objweb.site(takeover) as root:
        assert root["sub"]["team"]["acl_users"].get_user("plant").password_hash is None


def test_finding_05_a_paste_belongs_to_the_paster(takeover, fm, site):
    site(lambda root: root["acl_users"].update_user(FM, roles=["Editor"]))
    site(lambda root: root.add("lib", Folder()).add("attack", Script(body=TAKEOVER)))
    site(lambda root: root["lib"]["attack"].set_proxy_roles(["Manager"]))
    fm.post("/lib/manage_contents", {"command": "copy", "names": "attack"})
    fm.post("/sub/manage_contents", {"command": "paste"})
    TestApp(objweb.make_app(takeover)).get("/sub/attack", status=401)
    assert banner_source(takeover) == BANNER
    with objweb.site(takeover) as root:
        assert root["sub"]["attack"].owner == FM
        assert root["lib"]["attack"].owner == ADMIN


def test_finding_05_everything_a_paste_copies_belongs_to_the_paster(takeover, fm, site):
    site(lambda root: root["acl_users"].update_user(FM, roles=["Editor"]))
    site(lambda root: root.add("lib", Folder()).add("inner", Folder()).add(
        "attack", Script(body=TAKEOVER)).set_proxy_roles(["Manager"]))
    fm.post("/manage_contents", {"command": "copy", "names": "lib"})
    fm.post("/sub/manage_contents", {"command": "paste"})
    TestApp(objweb.make_app(takeover)).get("/sub/lib/inner/attack", status=401)
    assert banner_source(takeover) == BANNER
    with objweb.site(takeover) as root:
        copied = root["sub"]["lib"]
        assert {obj._owner for obj in (copied, copied["inner"], copied["inner"]["attack"])} \
            == {("/acl_users", FM)}


def test_finding_05_a_copied_user_folder_keeps_passwords_only_for_user_managers(
        takeover, fm, site):
    site(lambda root: root["acl_users"].update_user(FM, roles=["Editor"]))
    site(lambda root: root.add("team", Folder()).add("acl_users", UserFolder()))
    site(lambda root: root["team"]["acl_users"].add_user("member", "member-Pw-1"))
    fm.post("/team/manage_contents", {"command": "copy", "names": "acl_users"})
    fm.post("/sub/manage_contents", {"command": "paste"})
    admin = client(takeover, ADMIN_AUTH, folder="")
    admin.post("/team/manage_contents", {"command": "copy", "names": "acl_users"})
    site(lambda root: root.add("other", Folder()))
    admin.post("/other/manage_contents", {"command": "paste"})
    with objweb.site(takeover) as root:
        assert root["sub"]["acl_users"].check_password("member", "member-Pw-1") is False
        assert root["other"]["acl_users"].check_password("member", "member-Pw-1") is True
        assert root["team"]["acl_users"].check_password("member", "member-Pw-1") is True


def test_a_paste_needs_the_right_to_create_everything_inside(takeover, site):
    site(lambda root: root["acl_users"].add_user("ed", "ed-Pw-1", roles=["Editor"]))
    site(lambda root: root.add("box", Folder()).add("code", Template(source="<p/>")))
    ed = client(takeover, basic_auth("ed", "ed-Pw-1"), folder="")
    site(lambda root: root.add("target", Folder()))
    for operation in ("copy", "cut"):
        ed.post("/manage_contents", {"command": operation, "names": "box"})
        ed.post("/target/manage_contents", {"command": "paste"}, status=403)
        assert names_in(takeover, "/target") == []
    assert names_in(takeover, "/box") == ["code"]


def test_a_moved_object_keeps_its_owner(takeover, site):
    admin = client(takeover, ADMIN_AUTH, folder="")
    site(lambda root: root.add("target", Folder()))
    admin.post("/sub/manage_contents", {"command": "cut", "names": "tool"})
    admin.post("/target/manage_contents", {"command": "paste"})
    with objweb.site(takeover) as root:
        assert root["target"]["tool"].owner == ADMIN
        assert root["target"]["tool"].proxy_roles == ("Manager",)
