"""The Contents tab of an ordered folder: Up, Down, Top and Bottom, as in Zope."""

import pytest

from objweb import Folder, OrderedFolder, Page


@pytest.fixture
def menu(site):
    def build(root):
        menu = root.add("menu", OrderedFolder(title="Menu"))
        for name in ("home", "news", "about", "contact"):
            menu.add(name, Page(title=name.title()))
        root.add("plain", Folder()).add("x", Page())
    site(build)
    return "/menu/manage_contents"


def rows(page) -> list[str]:
    return [cell.get_text(strip=True) for cell in page.html.select("td.col-name")]


def order_of(look) -> list[str]:
    return look(lambda root: list(root["menu"].keys()))


def test_the_contents_list_the_arranged_order_and_offer_the_moves(manager, menu):
    page = manager.get(menu)
    assert rows(page) == ["home", "news", "about", "contact"]
    buttons = [button["value"] for button in page.html.select("#contents-form button")]
    assert ["move_up", "move_down", "move_to_top", "move_to_bottom"] == \
        [value for value in buttons if value.startswith("move")]
    assert "order arranged here" in page.html.find(class_="notice").get_text()


@pytest.mark.parametrize("command, names, expected", [
    ("move_up", ["about"], ["home", "about", "news", "contact"]),
    ("move_down", ["home"], ["news", "home", "about", "contact"]),
    ("move_to_top", ["contact", "about"], ["about", "contact", "home", "news"]),
    ("move_to_bottom", ["home"], ["news", "about", "contact", "home"]),
])
def test_each_move_rearranges_the_ticked_items(manager, menu, look, command, names, expected):
    response = manager.post(menu, [("command", command)] + [("names", name) for name in names])
    page = manager.follow(response)
    assert rows(page) == expected == order_of(look)
    assert page.html.find(class_="flash-success").get_text(strip=True).startswith("Moved")


def test_a_move_with_nothing_ticked_changes_nothing(manager, menu, look):
    page = manager.post(menu, {"command": "move_up"}, status=400)
    assert "select at least one item first" in page.text
    assert order_of(look) == ["home", "news", "about", "contact"]


def test_a_plain_folder_offers_no_moves_and_refuses_one(manager, menu, look):
    page = manager.get("/plain/manage_contents")
    assert not page.html.select('button[value="move_up"]')
    refused = manager.post("/plain/manage_contents", [("command", "move_up"), ("names", "x")],
                           status=400)
    assert "only an ordered folder keeps an order" in refused.text


def test_moving_needs_change_objects(editor, menu, site, look):
    site(lambda root: root["menu"].manage_permission("Change objects", ["Manager"], False))
    page = editor.get(menu)
    assert not page.html.select('button[value="move_up"]')
    editor.post(menu, [("command", "move_to_top"), ("names", "contact")], status=403)
    assert order_of(look) == ["home", "news", "about", "contact"]


def test_an_ordered_folder_can_be_added_from_the_menu(manager, site, look):
    page = manager.get("/manage_contents")
    assert "OrderedFolder" in [option["value"] for option in page.html.select("#add-type option")]
    manager.post("/manage_add", {"command": "add", "type": "OrderedFolder", "name": "nav", "title": "Nav"})
    assert look(lambda root: type(root["nav"]).__name__) == "OrderedFolder"
