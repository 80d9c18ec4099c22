"""The contract's Python example, run as written, then read back through every door."""

import io

import transaction
import ZODB
from PIL import Image as PILImage
from webtest import TestApp

import objweb
from objweb import File, Folder, Image, Page, Script, Template
from objweb.security.rolemap import local_roles_of, permission_setting
from support import basic_auth


def make_png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (16, 9)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_python_api_example(tmp_path):
    png_bytes = make_png()
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db, admin="admin", password="s3cret")
    wsgi_app = objweb.make_app(db)

    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["logo"] = Image(title="Logo", data=png_bytes, content_type="image/png")
        root["news"]["report"] = File(title="Q3", data=b"...", content_type="application/pdf")
        root["news"]["view"] = Template(title="View", source='<h1 tal:content="context/title"/>')
        root["news"]["greet"] = Script(title="Greet", params="name='world'",
                                       body="return 'Hello %s from %s' % (name, context.title)")
        root["acl_users"].add_user("editor", "pw", roles=["Editor"])
        root["news"].manage_permission("View", roles=["Manager", "Editor"], acquire=False)
        root["news"].manage_setLocalRoles("editor", ["Owner"])

    with objweb.site(db) as root:
        news = root["news"]
        assert objweb.path_of(news["hello"]) == "/news/hello"
        assert objweb.find(root, "/news/hello") is news["hello"]
        assert (news["logo"].width, news["logo"].height) == (16, 9)
        assert len(news) == 5 and "view" in news and news.keys()[0] == "greet"
        assert permission_setting(news, "View").acquire is False
        assert local_roles_of(news)["editor"] == frozenset({"Owner"})
        assert all(obj.__parent__ is news and obj.owner is None for obj in news.values())

    app = TestApp(wsgi_app)
    app.get("/news/hello", status=401)
    page = app.get("/news/hello", headers=basic_auth("editor", "pw"), status=200)
    assert "<p>Hi</p>" in page.text
    db.close()


def test_any_zodb_db_works():
    db = ZODB.DB(None)
    try:
        objweb.bootstrap(db, admin="admin", password="s3cret")
        with objweb.site(db) as root:
            root["news"] = Folder(title="News")
        app = TestApp(objweb.make_app(db))
        listing = app.get("/", headers={"Accept": "application/json"}, status=200).json
        assert "News" in [item["title"] for item in listing["items"]]
        assert app.get("/news", status=200).html.h1.get_text(strip=True) == "News"
    finally:
        transaction.abort()
        db.close()


def test_the_public_names():
    for name in ("open_db", "bootstrap", "make_app", "site", "path_of", "find", "Folder",
                 "Page", "File", "Image", "Template", "Script"):
        assert name in objweb.__all__ and hasattr(objweb, name)
