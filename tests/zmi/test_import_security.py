"""Import and paste through the management screens, by the Manager of one folder.

The folder Manager (`fm`, see `takeover_site`) may import into and paste in
their folder. Nothing they bring may run code of its own: no compiled form,
no volatile attribute, no class or value a site does not store.
"""

import io

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template, UserFolder
from objweb.content.transfer import export_subtree
from objweb.security.sandbox.scripts import CompiledScript
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
