"""A package removed from under a site: its objects break, the site keeps working, they come back.

The `recipes` package is written on the fly with its distribution
metadata and entry point on `sys.path`, its objects stored in a file
database, and then it is removed: its files deleted, its modules
forgotten, its declarations withdrawn, the database opened again, as a
new process after `pip uninstall` would. Reinstalling writes it back.
"""

import json
import shutil
import urllib.error
import urllib.request
import zipfile
from io import BytesIO

import pytest
from webtest import TestApp

import objweb
from objweb.catalog import catalog_lacks, drain_all, keep_declared, search
from objweb.content.broken import is_broken
from objweb.extensions import activate, deactivate
from objweb.security.rolemap import local_roles_of
from extension_support import forget_modules, load_named, write_package
from recipes_package import MODULES
from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, ServeProcess, basic_csrf_token, run_objweb

JSON = {"Accept": "application/json", **ADMIN_AUTH}


class Site:
    """A file database with recipes in it, and the package that can come and go."""

    def __init__(self, tmp_path, site_dir):
        self.uri = f"file://{tmp_path}/Data.fs"
        self.site_dir = site_dir
        self.extensions = ()
        self.db = None

    def install(self):
        write_package(self.site_dir, "recipes", MODULES, version="1.2",
                      distribution="objweb-recipes")
        self.extensions = load_named("recipes")
        activate(self.extensions)

    def uninstall(self):
        deactivate(self.extensions)
        self.extensions = ()
        for path in self.site_dir.iterdir():
            shutil.rmtree(path)
        forget_modules("recipes")

    def open(self):
        """Open the database as `objweb serve` does; keep the application it would serve."""
        self.close()
        self.db = objweb.open_db(self.uri)
        self.application = objweb.make_app(self.db, access_log=False)
        return self.db

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None

    def app(self):
        self.open()
        return TestApp(self.application)


@pytest.fixture
def stored(tmp_path, site_dir):
    """A site whose /soup, /book (with /book/pie) are recipes, and whose package is then removed."""
    site = Site(tmp_path, site_dir)
    site.install()
    db = site.open()
    objweb.bootstrap(db, admin=ADMIN, password=ADMIN_PASSWORD)
    with objweb.site(db, user=ADMIN) as root:
        recipe, cookbook = (objweb.content.type_named(name) for name in ("Recipe", "Cookbook"))
        root["soup"] = recipe(title="Soup", servings=3, tags=["hot"], cooked="2024-01-05")
        root["soup"].manage_setLocalRoles("ed", ["Editor"])
        root["book"] = cookbook(title="Book")
        root["book"]["pie"] = recipe(title="Pie")
        root["book"]["note"] = objweb.Page(title="Note")
        root["box"] = objweb.Folder(title="Box")
    drain_all(db)
    site.close()
    site.uninstall()
    yield site
    site.close()
    deactivate(site.extensions)


def post(app, path, **form):
    token = basic_csrf_token(app, ADMIN_AUTH)
    return app.post(path, {**form, "csrf_token": token}, headers=ADMIN_AUTH, status=303)


def titles_found(db, text) -> list[str]:
    with objweb.site(db) as root:
        return [result.path for result in search(root, text=text)]


def test_zmi_lists_a_broken_object_naming_its_missing_class(stored):
    app = stored.app()
    page = app.get("/manage_contents", headers=ADMIN_AUTH, status=200)
    types = {cell.find_parent("tr").find("td", class_="col-name").get_text(): cell.get_text()
             for cell in page.html.find_all("td", class_="col-type")}
    assert types["soup"] == "Broken: recipes.Recipe is missing"
    assert types["book"] == "Broken: recipes.Cookbook is missing"
    assert types["box"] == "Folder"
    entry = app.get("/soup/manage", headers=ADMIN_AUTH, status=303)
    assert entry.location == "http://localhost/soup/manage_broken"
    screen = app.get("/soup/manage_broken", headers=ADMIN_AUTH, status=200)
    assert " ".join(screen.html.find(id="missing-class").get_text().split()) == (
        "This object is broken: its class recipes.Recipe can no longer be imported.")


def test_json_api_describes_a_broken_object(stored):
    app = stored.app()
    record = app.get("/soup", headers=JSON, status=200).json
    assert {key: record[key] for key in ("@type", "id", "title", "broken", "missing_class")} == {
        "@type": "Broken", "id": "soup", "title": "Soup", "broken": True,
        "missing_class": "recipes.Recipe"}
    listed = {item["id"]: item for item in app.get("/", headers=JSON, status=200).json["items"]}
    assert (listed["book"]["@type"], listed["book"]["missing_class"]) == (
        "Broken", "recipes.Cookbook")
    assert "broken" not in listed["box"]


# Every door a broken object could be reached through, and what it answers: never a 500.
DOORS = [
    # Only the JSON API describes a broken object: a page has nothing to show.
    ("GET", "/soup", {}, 406),
    ("GET", "/soup/@@card", {}, 404),
    ("GET", "/soup/manage_edit", ADMIN_AUTH, 404),
    ("GET", "/soup/manage_properties", ADMIN_AUTH, 404),
    ("GET", "/soup/manage_security", ADMIN_AUTH, 404),
    ("GET", "/soup/manage_history", ADMIN_AUTH, 404),
    ("GET", "/book/pie", JSON, 404),
    ("GET", "/book/manage_contents", ADMIN_AUTH, 404),
    ("PATCH", "/soup", JSON, 405),
    ("GET", "/manage_find?text=Soup", ADMIN_AUTH, 200),
    ("GET", "/manage_undo", ADMIN_AUTH, 200),
    ("GET", "/@@search?text=Soup", JSON, 200),
    ("GET", "/manage_tree", ADMIN_AUTH, 200),
]


def test_no_door_to_a_broken_object_answers_500(stored):
    app = stored.app()
    answers = [app.request(path, method=method, headers=headers, expect_errors=True).status_int
               for method, path, headers, _ in DOORS]
    assert list(zip([path for _, path, _, _ in DOORS], answers)) == [
        (path, status) for _, path, _, status in DOORS]


def test_search_skips_broken_objects_and_finds_them_once_reinstalled(stored):
    app = stored.app()
    db = stored.db
    assert titles_found(db, "Soup") == [] and titles_found(db, "Pie") == []
    assert app.get("/@@search?text=Soup", headers=JSON, status=200).json["items_total"] == 0
    # A Page inside the broken folder: a folder that is not entered hides what it holds.
    assert titles_found(db, "Note") == []
    app.get("/book/note", status=404)
    stored.install()
    db = stored.open()
    assert titles_found(db, "Soup") == ["/soup"] and titles_found(db, "Pie") == ["/book/pie"]
    assert titles_found(db, "Note") == ["/book/note"]


def test_zmi_deletes_a_broken_object_and_json_api_too(stored):
    app = stored.app()
    post(app, "/manage_contents", command="delete", names="book")
    app.delete("/soup", headers=ADMIN_AUTH, status=204)
    assert [item["id"] for item in app.get("/", headers=JSON, status=200).json["items"]] == [
        "acl_users", "box"]
    stored.install()
    db = stored.open()
    with objweb.site(db) as root:
        assert "soup" not in root and "book" not in root
    assert titles_found(db, "Pie") == [] and titles_found(db, "Soup") == []


def test_a_moved_broken_object_comes_back_whole_where_it_was_moved(stored):
    app = stored.app()
    post(app, "/manage_contents", command="cut", names="soup")
    post(app, "/box/manage_contents", command="paste")
    assert app.get("/box/soup", headers=JSON, status=200).json["broken"] is True
    assert app.get("/soup", headers=JSON, status=404)
    drain_all(stored.db)
    assert titles_found(stored.db, "Soup") == []
    # Still broken: nothing an upgrade would mend is pending.
    assert not [sentence for sentence in catalog_lacks(stored.db) if "broken" in sentence]
    stored.install()
    db = stored.open()
    with objweb.site(db) as root:
        soup = root["box"]["soup"]
        assert not is_broken(soup) and type(soup).__name__ == "Recipe"
        assert (objweb.path_of(soup), soup.__parent__ is root["box"]) == ("/box/soup", True)
        assert (soup.title, soup.servings, soup.tags, soup.cooked.isoformat(), soup.steps) == (
            "Soup", 3, ("hot",), "2024-01-05", "Cook it.")
        assert soup.owner == ADMIN and local_roles_of(soup)["ed"] == {"Editor"}
    # Serving writes nothing: `objweb upgrade` indexes the mended objects again.
    assert "the catalog holds 1 object as broken whose class is back, to index again" \
        in catalog_lacks(db)
    assert keep_declared(db) == ["queued 1 object whose class is back"]
    drain_all(db)
    assert titles_found(db, "Soup") == ["/box/soup"]
    assert catalog_lacks(db) == [] and keep_declared(db) == []


def test_a_broken_object_refuses_a_copy_in_one_sentence(stored):
    app = stored.app()
    post(app, "/manage_contents", command="copy", names="soup")
    token = basic_csrf_token(app, ADMIN_AUTH)
    refused = app.post("/box/manage_contents", {"command": "paste", "csrf_token": token},
                       headers=ADMIN_AUTH, status=400)
    assert "recipes.Recipe, which is not part of an objweb site" in refused.text
    with objweb.site(stored.db) as root:
        assert list(root["box"].keys()) == []


def test_an_exported_broken_object_imports_once_its_package_is_back(stored, tmp_path):
    app = stored.app()
    token = basic_csrf_token(app, ADMIN_AUTH)
    exported = app.post("/manage_contents", {"command": "export", "names": ["soup", "book"],
                                             "csrf_token": token},
                        headers=ADMIN_AUTH, status=200)
    with zipfile.ZipFile(BytesIO(exported.body)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(files) == ["book.zexp", "soup.zexp"]
    stored.install()
    db = stored.open()
    with objweb.site(db) as root:
        objweb.storage.transfer.import_subtree(root["box"], BytesIO(files["book.zexp"]))
        book = root["box"]["book"]
        assert type(book).__name__ == "Cookbook" and book["pie"].title == "Pie"
        assert objweb.path_of(book["pie"]) == "/box/book/pie"


def http(method, url, body=None):
    """Answer (status, JSON) of a request as the admin, with the standard library."""
    request = urllib.request.Request(url, method=method, headers={
        "Accept": "application/json", "Content-Type": "application/json", **ADMIN_AUTH},
        data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.mark.server
def test_objweb_serve_with_the_package_removed_and_back(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    made = run_objweb(["adduser", ADMIN, ADMIN_PASSWORD, "--role", "Manager"], home, timeout=60)
    assert made.returncode == 0, made.stderr
    site_dir = tmp_path / "site"
    write_package(site_dir, "recipes", MODULES, version="1.2", distribution="objweb-recipes")
    with_recipes = {"PYTHONPATH": str(site_dir)}

    server = ServeProcess(home, env=with_recipes)
    try:
        assert http("POST", server.url + "/", {"@type": "Recipe", "id": "soup", "title": "Soup",
                                               "servings": 5})[0] == 201
    finally:
        server.stop()
    server = ServeProcess(home, name="without")
    try:
        status, record = http("GET", server.url + "/soup")
        assert (status, record["@type"], record["missing_class"]) == (
            200, "Broken", "recipes.Recipe")
        assert http("GET", server.url + "/@@search?text=Soup")[1]["items_total"] == 0
    finally:
        server.stop()
    server = ServeProcess(home, env=with_recipes, name="again")
    try:
        status, record = http("GET", server.url + "/soup")
        assert (status, record["@type"], record["servings"]) == (200, "Recipe", 5)
    finally:
        server.stop()
