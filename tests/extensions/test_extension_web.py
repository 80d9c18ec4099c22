"""An installed extension's type, views and permission, through the doors users use."""

import re

import objweb
from support import ADMIN_AUTH, basic_auth

EDITOR_AUTH = basic_auth("ed", "ed-password")


def add_recipe(db, name="soup", **values):
    with objweb.site(db) as root:
        cls = objweb.content.type_named("Recipe")
        root[name] = cls(**{"title": "Soup", "servings": 4, "tags": ["hot", "old"], **values})


def add_editor(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("ed", "ed-password", roles=["Editor"])


def test_json_api_adds_and_reads_an_extension_type(db, recipes_app):
    created = recipes_app.post_json("/", {"@type": "Recipe", "id": "pie", "title": "Pie",
                                          "servings": "8", "cooked": "2024-03-01",
                                          "tags": ["sweet"]},
                                    headers=ADMIN_AUTH, status=201)
    assert created.json["@type"] == "Recipe"
    record = recipes_app.get("/pie", headers={"Accept": "application/json"}, status=200).json
    assert (record["servings"], record["cooked"], record["tags"]) == (8, "2024-03-01", ["sweet"])
    with objweb.site(db) as root:
        assert root["pie"].servings == 8


def test_json_api_refuses_a_bad_field_value_and_stores_nothing(db, recipes_app):
    refused = recipes_app.post_json("/", {"@type": "Recipe", "id": "pie", "servings": "lots"},
                                    headers=ADMIN_AUTH, status=400)
    assert "servings" in refused.json["error"]
    with objweb.site(db) as root:
        assert "pie" not in root


def test_default_view_renders_the_packages_template(db, recipes_app):
    add_recipe(db)
    page = recipes_app.get("/soup", status=200)
    assert page.content_type == "text/html"
    assert page.html.find("h1", class_="recipe").get_text() == "Soup"
    assert [item.get_text() for item in page.html.find_all("li")] == ["hot", "old"]


def test_json_clients_still_get_the_json_api_from_the_default_view(db, recipes_app):
    add_recipe(db)
    answer = recipes_app.get("/soup", headers={"Accept": "application/json"}, status=200)
    assert answer.json["@type"] == "Recipe" and answer.json["title"] == "Soup"


def test_named_view_answers_html_from_a_function(db, recipes_app):
    add_recipe(db, title="<b>Stew</b>")
    page = recipes_app.get("/soup/@@card", status=200)
    assert page.text == "<h1><b>Stew</b></h1><p>serves 4</p>"


def test_view_dict_fills_its_template_and_escapes(db, recipes_app):
    add_recipe(db, title="<i>Soup</i>")
    page = recipes_app.get("/soup/@@facts", status=200)
    assert page.html.find("p", class_="facts").get_text() == "<i>Soup</i> serves 4: hot, old"
    assert "&lt;i&gt;" in page.text


def test_view_is_checked_by_the_policy_like_objwebs_own(db, recipes_app):
    add_recipe(db)
    with objweb.site(db) as root:
        root["soup"].manage_permission("View", ["Manager"], acquire=False)
    refused = recipes_app.get("/soup/@@card", status=401)
    assert refused.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    assert recipes_app.get("/soup/@@card", headers=ADMIN_AUTH, status=200).text.startswith("<h1>")


def test_extension_permission_guards_its_view_with_its_default_roles(db, recipes_app):
    add_recipe(db)
    add_editor(db)
    recipes_app.post_json("/soup/@@cook?on=2024-02-02", {}, status=401)
    with objweb.site(db) as root:
        assert root["soup"].cooked is None
    cooked = recipes_app.post_json("/soup/@@cook?on=2024-02-02", {}, headers=EDITOR_AUTH,
                                   status=200)
    assert cooked.json == {"cooked": "2024-02-02"}
    with objweb.site(db) as root:
        assert root["soup"].cooked.isoformat() == "2024-02-02"


def test_extension_permission_can_be_taken_from_a_role(db, recipes_app):
    add_recipe(db)
    add_editor(db)
    with objweb.site(db) as root:
        root.manage_permission("Cook recipes", ["Manager"], acquire=False)
    recipes_app.post_json("/soup/@@cook", {}, headers=EDITOR_AUTH, status=403)


def test_views_are_only_reachable_on_their_type(db, recipes_app):
    recipes_app.get("/@@card", headers=ADMIN_AUTH, status=404)


def test_security_tab_shows_the_extension_permission_with_its_default_roles(db, recipes_app):
    page = recipes_app.get("/manage_security", headers=ADMIN_AUTH, status=200)
    rows = [row for row in page.html.find_all("tr") if "Cook recipes" in row.get_text()]
    assert len(rows) == 1
    held = {span["title"].split(" holds ")[0] for span in rows[0].find_all("span", class_="held")}
    assert held == {"Editor", "Manager"}


def test_security_tab_saves_the_extension_permission(db, recipes_app):
    page = recipes_app.get("/manage_security", headers=ADMIN_AUTH, status=200)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    index = next(int(box["name"].split("-")[1]) for box in page.html.find_all("input")
                 if box.get("name", "").startswith("roles-")
                 and "Cook recipes" in box.find_parent("tr").get_text())
    form = [("command", "permissions"), ("csrf_token", token), (f"roles-{index}", "Owner")]
    recipes_app.post("/manage_security", form, headers=ADMIN_AUTH, status=303)
    with objweb.site(db) as root:
        from objweb.security.rolemap import permission_setting
        setting = permission_setting(root, "Cook recipes")
        assert (setting.roles, setting.acquire) == ({"Owner"}, False)


def test_zmi_add_menu_offers_the_type_and_its_form_has_every_field(db, recipes_app):
    contents = recipes_app.get("/manage_contents", headers=ADMIN_AUTH, status=200)
    assert "Recipe" in [option.get_text(strip=True) for option in contents.html.find_all("option")]
    form = recipes_app.get("/manage_add?type=Recipe", headers=ADMIN_AUTH, status=200)
    names = [field["name"] for field in form.html.find(id="add-form").find_all(
        ["input", "textarea"]) if field.get("type") != "hidden"]
    assert names == ["name", "title", "servings", "steps", "cooked", "tags"]


def test_zmi_adds_an_extension_object_from_its_form(db, recipes_app):
    form = recipes_app.get("/manage_add?type=Recipe", headers=ADMIN_AUTH, status=200)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    recipes_app.post("/manage_add", {"command": "add", "type": "Recipe", "name": "stew",
                                     "title": "Stew", "servings": "3", "steps": "Boil",
                                     "cooked": "2024-04-04", "tags": "a\nb",
                                     "csrf_token": token}, headers=ADMIN_AUTH, status=303)
    with objweb.site(db) as root:
        stew = root["stew"]
        assert (stew.servings, stew.steps, stew.cooked.isoformat(), stew.tags) == (
            3, "Boil", "2024-04-04", ("a", "b"))
