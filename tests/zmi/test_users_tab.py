"""The Users tab of acl_users: list, add, edit, reset a password, delete; groups."""

import pytest

URL = "/acl_users/manage_users"


def user(look, name):
    def read(root):
        found = root["acl_users"].get_user(name)
        return None if found is None else (found.title, found.roles, found.groups)
    return look(read)


def add_user(client, status=303, **values):
    params = {"command": "add_user", "name": "ann", "title": "Ann",
              "password": "pw-ann-long-enough", "confirm": "pw-ann-long-enough"}
    params.update(values)
    return client.post(URL, params, status=status)


def test_the_list_shows_users_without_passwords(manager):
    page = manager.get(URL)
    rows = page.html.find(id="users-form").tbody.find_all("tr")
    assert [cell.get_text(strip=True) for cell in rows[0].find_all("td")][1:] == \
        ["admin", "", "Manager", ""]
    assert "argon2" not in page.text


def test_adding_a_user_with_roles_and_groups(manager, look, site):
    site(lambda root: root["acl_users"].add_group("staff"))
    manager.post(URL, [("command", "add_user"), ("name", "ann"), ("title", "Ann"),
                       ("password", "pw-ann-long-enough"), ("confirm", "pw-ann-long-enough"),
                       ("roles", "Editor"), ("groups", "staff")])
    assert user(look, "ann") == ("Ann", ("Editor",), ("staff",))
    assert look(lambda root: root["acl_users"].check_password("ann", "pw-ann-long-enough"))


@pytest.mark.parametrize("values, field, message", [
    ({"confirm": "other"}, "confirm", "the two passwords differ"),
    ({"password": "", "confirm": ""}, "password", "type a password"),
    ({"name": ""}, "name", "cannot be empty"),
    ({"name": "a:b"}, "name", "cannot contain ':'"),
    ({"name": "admin"}, "name", "already"),
])
def test_a_bad_new_user_is_refused_beside_the_field(manager, look, values, field, message):
    page = add_user(manager, status=400, **values)
    assert message in page.html.find(id=f"field-{field}-error").get_text()
    assert user(look, "ann") is None
    assert page.html.find(id="field-password")["value"] == ""


def test_a_role_that_is_computed_cannot_be_given(manager, look):
    page = manager.post(URL, [("command", "add_user"), ("name", "ann"),
                              ("password", "pw-ann-long-enough"),
                              ("confirm", "pw-ann-long-enough"), ("roles", "Owner")], status=400)
    assert "cannot be given to a user" in page.text
    assert user(look, "ann") is None


def test_an_unknown_group_is_refused(manager, look):
    page = manager.post(URL, [("command", "add_user"), ("name", "ann"),
                              ("password", "pw-ann-long-enough"),
                              ("confirm", "pw-ann-long-enough"), ("groups", "ghosts")], status=400)
    assert "unknown group(s): ghosts" in page.text


def test_deleting_users(manager, look, site):
    site(lambda root: (root["acl_users"].add_user("ann", "a"),
                       root["acl_users"].add_user("bob", "b")))
    manager.post(URL, [("command", "delete_users"), ("users", "ann"), ("users", "bob")])
    assert look(lambda root: root["acl_users"].user_names()) == ["admin"]


def test_deleting_yourself_is_refused(manager, look):
    page = manager.post(URL, {"command": "delete_users", "users": "admin"}, status=400)
    assert "you cannot delete the user you are logged in as" in page.text
    assert user(look, "admin") is not None


def test_deleting_nobody_is_refused(manager):
    page = manager.post(URL, {"command": "delete_users"}, status=400)
    assert "tick the users" in page.text


def test_deleting_an_unknown_user_changes_nothing(manager, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "a"))
    page = manager.post(URL, [("command", "delete_users"), ("users", "ann"),
                              ("users", "ghost")], status=400)
    assert "no user 'ghost'" in page.text
    assert user(look, "ann") is not None


def test_editing_a_users_roles_groups_and_title(manager, look, site):
    site(lambda root: (root["acl_users"].add_user("ann", "a", roles=["Editor"]),
                       root["acl_users"].add_group("staff")))
    page = manager.get("/acl_users/manage_user?name=ann")
    assert page.html.find("input", attrs={"name": "roles", "value": "Editor"}) \
        .has_attr("checked")
    manager.post("/acl_users/manage_user", [("command", "save_user"), ("name", "ann"),
                                            ("title", "Ann A."), ("roles", "Manager"),
                                            ("groups", "staff")])
    assert user(look, "ann") == ("Ann A.", ("Manager",), ("staff",))


def test_editing_with_a_bad_role_changes_nothing(manager, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "a", roles=["Editor"]))
    page = manager.post("/acl_users/manage_user", [("command", "save_user"), ("name", "ann"),
                                                   ("roles", "Authenticated")], status=400)
    assert "cannot be given" in page.text
    assert user(look, "ann")[1] == ("Editor",)


def test_an_unknown_user_has_no_page(manager):
    manager.get("/acl_users/manage_user?name=ghost", status=404)
    manager.post("/acl_users/manage_user", {"command": "save_user", "name": "ghost"},
                 status=404)


def test_resetting_a_password(manager, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "old-pw"))
    manager.post("/acl_users/manage_user", {"command": "set_password", "name": "ann",
                                            "password": "new-pw-long-enough",
                                            "confirm": "new-pw-long-enough"})
    assert look(lambda root: root["acl_users"].check_password("ann", "new-pw-long-enough"))


def test_mismatched_new_passwords_are_refused(manager, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "old-pw"))
    page = manager.post("/acl_users/manage_user", {"command": "set_password", "name": "ann",
                                                   "password": "x", "confirm": "y"},
                        status=400)
    assert "the two passwords differ" in page.html.find(id="field-confirm-error").get_text()
    assert look(lambda root: root["acl_users"].check_password("ann", "old-pw"))


def test_adding_and_deleting_groups(manager, look):
    manager.post(URL, [("command", "add_group"), ("group_name", "staff"),
                       ("group_title", "Staff"), ("group_roles", "Editor")])
    assert look(lambda root: root["acl_users"].get_group("staff").roles) == ("Editor",)
    row = manager.get(URL).html.find(id="groups-form").tbody.tr
    assert [cell.get_text() for cell in row.find_all("td")][1:] == ["staff", "Staff", "Editor"]
    manager.post(URL, {"command": "delete_groups", "delete_groups": "staff"})
    assert look(lambda root: root["acl_users"].group_names()) == []


@pytest.mark.parametrize("values, message", [
    ({"group_name": "admin"}, "already"),
    ({"group_name": ""}, "cannot be empty"),
    ({"group_name": "g", "group_roles": "Anonymous"}, "cannot be given"),
])
def test_a_bad_group_is_refused(manager, look, values, message):
    page = manager.post(URL, {"command": "add_group", **values}, status=400)
    assert message in page.text
    assert look(lambda root: root["acl_users"].group_names()) == []


def test_deleting_no_group_is_refused(manager):
    page = manager.post(URL, {"command": "delete_groups"}, status=400)
    assert "tick the groups" in page.text


def test_an_editor_cannot_manage_users(editor):
    editor.get(URL, status=403)
    add_user(editor, status=403)
