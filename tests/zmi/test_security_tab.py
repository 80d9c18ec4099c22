"""The Security tab: the permission matrix, local roles, inheritance, ownership, roles."""

import pytest

from objweb import Folder
from objweb.security import rolemap
from objweb.security.permissions import ALL_PERMISSIONS, VIEW


@pytest.fixture
def news(site):
    site(lambda root: root.add("news", Folder(title="News")))
    return "/news/manage_security"


def matrix_params(overrides: dict[str, tuple[list[str], bool]]) -> list:
    """Form pairs for the whole matrix: every permission acquires and adds no role,
    except those in `overrides` (permission -> (roles, acquire))."""
    pairs = [("command", "permissions")]
    for index, permission in enumerate(ALL_PERMISSIONS):
        roles, acquire = overrides.get(permission, ([], True))
        pairs += [(f"roles-{index}", role) for role in roles]
        if acquire:
            pairs.append((f"acquire-{index}", "on"))
    return pairs


def test_the_matrix_shows_roles_acquire_and_effect(manager, news):
    page = manager.get(news)
    table = page.html.find("table", class_="matrix")
    headers = [cell.get_text(strip=True) for cell in table.thead.find_all("th")]
    assert headers == ["Permission", "Acquire", "Anonymous", "Authenticated", "Owner",
                       "Editor", "Manager"]
    view_row = table.tbody.find_all("tr")[ALL_PERMISSIONS.index(VIEW)]
    assert view_row.th.get_text() == "View"
    assert view_row.find("input", attrs={"name": "acquire-0"}).has_attr("checked")
    box = view_row.find("input", attrs={"aria-label": "Anonymous has View"})
    assert not box.has_attr("checked")
    assert "effective" in box.parent["class"]


def test_saving_the_matrix_restricts_view(manager, news, look, app):
    manager.post(news, matrix_params({VIEW: (["Manager", "Editor"], False)}))
    setting = look(lambda root: rolemap.permission_setting(root["news"], VIEW))
    assert (setting.roles, setting.acquire) == (frozenset({"Manager", "Editor"}), False)
    app.reset()
    app.get("/news", status=401, headers={"Accept": "text/html"})


def test_an_unknown_role_in_the_matrix_changes_nothing(manager, news, look):
    page = manager.post(news, matrix_params({VIEW: (["Wizard"], False)}), status=400)
    assert "unknown role(s): Wizard" in page.text
    assert look(lambda root: rolemap.role_map_of(root["news"])) is None


def test_giving_local_roles_to_a_user(manager, news, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "pw-ann"))
    manager.post(news, [("command", "local_roles"), ("principal", "ann"),
                        ("local_roles", "Editor")])
    assert look(lambda root: rolemap.local_roles_of(root["news"])["ann"]) == {"Editor"}
    page = manager.get(news)
    assert ["ann", "Editor"] in [[cell.get_text() for cell in row.find_all("td")][1:]
                                 for row in page.html.find(id="remove-local-form").tbody("tr")]


def test_giving_local_roles_to_a_group(manager, news, look, site):
    site(lambda root: root["acl_users"].add_group("staff"))
    manager.post(news, [("command", "local_roles"), ("principal", "staff"),
                        ("local_roles", "Editor"), ("local_roles", "Owner")])
    assert look(lambda root: rolemap.local_roles_of(root["news"])["staff"]) == \
        {"Editor", "Owner"}


def test_local_roles_for_nobody_are_refused(manager, news, look):
    page = manager.post(news, [("command", "local_roles"), ("principal", "ghost"),
                               ("local_roles", "Editor")], status=400)
    assert "no user or group 'ghost'" in page.html.find(class_="field-error").get_text()
    assert look(lambda root: rolemap.role_map_of(root["news"])) is None


def test_an_automatic_role_cannot_be_given_locally(manager, news):
    page = manager.post(news, [("command", "local_roles"), ("principal", "admin"),
                               ("local_roles", "Authenticated")], status=400)
    assert "cannot be granted" in page.text


def test_removing_local_roles(manager, news, look, site):
    site(lambda root: (root["acl_users"].add_user("ann", "pw-ann"),
                       root["news"].manage_setLocalRoles("ann", ["Editor"])))
    manager.post(news, {"command": "remove_local_roles", "remove": "ann"})
    assert "ann" not in look(lambda root: rolemap.local_roles_of(root["news"]))


def test_removing_no_local_roles_is_refused(manager, news):
    page = manager.post(news, {"command": "remove_local_roles"}, status=400)
    assert "tick the users or groups" in page.text


def test_blocking_and_unblocking_inheritance(manager, news, look):
    manager.post(news, {"command": "block", "block": "on"})
    assert look(lambda root: rolemap.role_map_of(root["news"]).block_local_roles) is True
    assert manager.get(news).html.find("input", attrs={"name": "block"}).has_attr("checked")
    manager.post(news, {"command": "block"})
    assert look(lambda root: rolemap.role_map_of(root["news"]).block_local_roles) is False


def test_changing_the_owner(manager, news, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "pw-ann"))
    manager.post(news, {"command": "owner", "owner": "ann"})
    assert look(lambda root: root["news"].owner) == "ann"


def test_an_unknown_owner_is_refused(manager, news, look):
    page = manager.post(news, {"command": "owner", "owner": "ghost"}, status=400)
    assert "no user 'ghost'" in page.text
    assert look(lambda root: root["news"].owner) == "admin"


def test_defining_a_role(manager, news, look):
    manager.post(news, {"command": "define_role", "role": "Reviewer"})
    assert "Reviewer" in look(lambda root: rolemap.valid_roles(root["news"]))
    page = manager.get(news)
    headers = [cell.get_text(strip=True) for cell in page.html.find("table").thead("th")]
    assert headers[-1] == "Reviewer"


@pytest.mark.parametrize("role, message", [("Manager", "already exists"),
                                           ("", "printable name")])
def test_a_bad_role_is_refused(manager, news, role, message):
    page = manager.post(news, {"command": "define_role", "role": role}, status=400)
    assert message in page.text


def test_an_owner_without_change_permissions_cannot_open_security(editor, site):
    site(lambda root: root.add("mine", Folder()).change_owner("editor"))
    editor.get("/mine/manage_security", status=403)
    editor.post("/mine/manage_security", {"command": "block", "block": "on"}, status=403)
