"""Finding 2 of issue 12, undo as a way up: every attack goes through the Undo tab's forms.

An undo changes every object its transaction touched, so it is allowed only
where the user holds, on each of them, what the change needed, and below the
root only for transactions wholly inside the folder. Records with no place
in the tree (sessions) are never offered. Each test reads the outcome back
through a fresh connection to a FileStorage, which keeps the history.
"""

import re

import pytest
import transaction
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script
from objweb.security.permissions import ALL_PERMISSIONS, VIEW
from objweb.security.sessions import COOKIE_NAME
from support import ADMIN, ADMIN_PASSWORD

EDITORS_AND_UP = ["Editor", "Owner", "Manager"]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def change_site(file_db, function, user=ADMIN):
    """Run `function(root)` in a transaction of its own, made by `user`."""
    with objweb.site(file_db, user=user) as root:
        return function(root)


def read(file_db, function):
    """Return `function(root)` as a fresh connection sees the site."""
    connection = file_db.open(transaction_manager=transaction.TransactionManager())
    try:
        return function(connection.root()["objweb"])
    finally:
        connection.close()


def newest_id(file_db) -> str:
    """The undo id of the newest transaction."""
    return file_db.undoLog(0, 1)[0]["id"].decode("ascii")


def offered(page) -> list[str]:
    """The undo ids a page offers: the transactions that have a checkbox."""
    form = page.html.find(id="undo-form")
    return [box["value"] for box in form.find_all("input", attrs={"name": "ids", "type": "checkbox"})]


def listed(page) -> str:
    """The text of the history table (empty if nothing is listed)."""
    table = page.html.find("table", class_="history")
    return "" if table is None else table.get_text(" ", strip=True)


def add_user(file_db, name: str, roles, folder: str = "/") -> None:
    """Add the user `name` (password `pw-name`) to the user folder of `folder`."""
    change_site(file_db, lambda root: objweb.find(root, folder)["acl_users"].add_user(
        name, f"pw-{name}", roles=roles))


def let_editors_undo(file_db, folder: str = "/") -> None:
    """Give Editors `Undo changes` at `folder`, as objweb did by default before."""
    change_site(file_db, lambda root: objweb.find(root, folder).manage_permission(
        "Undo changes", EDITORS_AND_UP))


def matrix(**given) -> list[tuple[str, str]]:
    """The Security tab's permission form: `given` permissions set, the rest acquired."""
    pairs = [("command", "permissions")]
    for index, permission in enumerate(ALL_PERMISSIONS):
        roles = given.get(permission)
        if roles is None:
            pairs.append((f"acquire-{index}", "on"))
        else:
            pairs += [(f"roles-{index}", role) for role in roles]
    return pairs


@pytest.fixture
def owned_news(file_db):
    """/news and /news/secret, made by the Editor `editor`, who owns them."""
    add_user(file_db, "editor", ["Editor"])

    def make(root):
        news = root.add("news", Folder(title="News"))
        news.add("secret", Page(title="Secret"))
        news.add("doc", Page(title="Doc"))
    change_site(file_db, make, user="editor")
    return "/news"


@pytest.fixture
def editor(file_db, owned_news, client_for):
    """The Editor who owns /news, logged in."""
    return client_for(file_db, "editor", "pw-editor")


@pytest.mark.parametrize("editors_may_undo", [False, True])
def test_finding_02_demoted_manager_cannot_undo_demotion(file_db, file_manager, client_for,
                                                         editors_may_undo):
    if editors_may_undo:
        let_editors_undo(file_db)
    add_user(file_db, "mallory", ["Manager"])
    mallory = client_for(file_db, "mallory", "pw-mallory")
    assert mallory.token
    file_manager.post("/acl_users/manage_user",
                      {"command": "save_user", "name": "mallory", "roles": "Editor"})
    demotion = newest_id(file_db)
    page = mallory.post("/manage_undo", {"command": "undo", "ids": demotion}, status=403)
    if editors_may_undo:
        assert "needs 'Manage users'" in page.text
    assert read(file_db, lambda root: root["acl_users"].get_user("mallory").roles) == ("Editor",)


@pytest.mark.parametrize("tab", ["/news/manage_undo", "/manage_undo"])
def test_finding_02_editor_cannot_undo_permission_restriction(file_db, file_manager, editor,
                                                              tab):
    if tab == "/manage_undo":
        let_editors_undo(file_db)
    file_manager.post("/news/secret/manage_security", matrix(**{VIEW: ["Manager"]}))
    restriction = newest_id(file_db)
    assert restriction not in offered(editor.get(tab))
    page = editor.post(tab, {"command": "undo", "ids": restriction}, status=403)
    assert "change the permissions of /news/secret" in page.text
    assert "needs 'Change permissions'" in page.text
    setting = read(file_db, lambda root: root["news"]["secret"]._security.permissions[VIEW])
    assert (setting.roles, setting.acquire) == ({"Manager"}, False)


@pytest.mark.parametrize("folder", ["/", "/news"])
def test_finding_02_editor_cannot_undo_password_reset(file_db, file_manager, editor, folder):
    if folder == "/":
        let_editors_undo(file_db)
    else:
        change_site(file_db, lambda root: root["news"].add("acl_users", objweb.UserFolder()))
    add_user(file_db, "bob", ["Editor"], folder)
    users = folder.rstrip("/") + "/acl_users"
    file_manager.post(f"{users}/manage_user", {"command": "set_password", "name": "bob",
                                               "password": "bob-new-password",
                                               "confirm": "bob-new-password"})
    reset = newest_id(file_db)
    tab = folder.rstrip("/") + "/manage_undo"
    page = editor.post(tab, {"command": "undo", "ids": reset}, status=403)
    assert "needs 'Manage users'" in page.text
    users_path = users

    def passwords(root):
        user_folder = objweb.find(root, users_path)
        return (user_folder.check_password("bob", "bob-new-password"),
                user_folder.check_password("bob", "pw-bob"))
    assert read(file_db, passwords) == (True, False)


@pytest.fixture
def folder_manager(file_db, client_for):
    """ann, a Manager of /news only (a local role), logged in; /other is beside /news."""
    add_user(file_db, "ann", [])

    def make(root):
        news = root.add("news", Folder(title="News"))
        news.add("alpha", Page(title="Alpha"))
        root.add("other", Folder(title="Other"))
        news.manage_setLocalRoles("ann", ["Manager"])
    change_site(file_db, make)
    ann = client_for(file_db, "ann", "pw-ann")
    ann._token = TOKEN.search(ann.get("/news/manage_contents").text).group(1)
    return ann


def test_finding_02_folder_undo_offers_only_transactions_wholly_inside(file_db, folder_manager):
    def inside_and_out(root):
        root["news"]["alpha"].edit(title="Edited")
        root["other"].manage_permission(VIEW, ["Manager"], acquire=False)
    change_site(file_db, inside_and_out)
    both = newest_id(file_db)
    page = folder_manager.get("/news/manage_undo")
    assert both not in offered(page)
    assert "/other" not in listed(page)
    page = folder_manager.post("/news/manage_undo", {"command": "undo", "ids": both}, status=403)
    assert "outside /news" in page.text
    assert read(file_db, lambda root: (root["news"]["alpha"].title,
                                       root["other"]._security.permissions[VIEW].roles)) == \
        ("Edited", {"Manager"})


def test_finding_02_folder_undo_path_filter_stays_inside(file_db, folder_manager):
    change_site(file_db, lambda root: root["other"].edit(title="Elsewhere"))
    elsewhere = newest_id(file_db)
    for query in ("?path=/", "?path=", "?path=/other"):
        page = folder_manager.get("/news/manage_undo" + query)
        assert elsewhere not in offered(page)
        assert "/other" not in listed(page)


def test_finding_02_logout_is_never_offered(file_db, file_manager, client_for):
    # The first logout also makes the record of ended sessions; the second only adds to it.
    for _ in range(2):
        session = client_for(file_db, ADMIN, ADMIN_PASSWORD)
        ticket, token = session.app.cookies[COOKIE_NAME], session.token
        session.app.post("/@@logout", {"csrf_token": token}, status=303)
        logout = newest_id(file_db)
        assert logout not in offered(file_manager.get("/manage_undo"))
        page = file_manager.post("/manage_undo", {"command": "undo", "ids": logout},
                                 status=403)
        assert "belong to no object of the site" in page.text
        stale = TestApp(objweb.make_app(file_db))
        stale.set_cookie(COOKIE_NAME, ticket)
        stale.get("/manage_contents", status=401)


# -- siblings: the defaults, the links, the other ways up -------------------------------

def test_finding_02_editors_hold_no_undo_by_default(file_db, file_manager, client_for):
    add_user(file_db, "ed", ["Editor"])
    change_site(file_db, lambda root: root.add("news", Folder()).add("page", Page()))
    ed = client_for(file_db, "ed", "pw-ed")
    ed.get("/manage_undo", status=403)
    ed.get("/news/manage_undo", status=403)
    response = ed.post("/news/manage_contents", {"command": "delete", "names": "page"})
    flash = ed.follow(response).html.find(class_="flash")
    assert "Deleted 'page'." in flash.get_text() and flash.find("a") is None


def test_an_owner_undoes_a_delete_in_their_folder(file_db, editor):
    response = editor.post("/news/manage_contents", {"command": "delete", "names": "doc"})
    link = editor.follow(response).html.find(class_="flash").find("a")
    assert link["href"].split("?")[0].endswith("/news/manage_undo")
    page = editor.get(link["href"])
    delete = newest_id(file_db)
    assert delete in offered(page)
    response = editor.post("/news/manage_undo", {"command": "undo", "ids": delete})
    assert "Undid 1 transaction." in editor.follow(response).text
    assert read(file_db, lambda root: "doc" in root["news"])


def test_a_folder_manager_undoes_changes_wholly_inside(file_db, folder_manager):
    add_user(file_db, "ed", ["Editor"])
    change_site(file_db, lambda root: root["news"]["alpha"].edit(title="By ed"), user="ed")
    by_ed = newest_id(file_db)
    assert by_ed in offered(folder_manager.get("/news/manage_undo"))
    folder_manager.post("/news/manage_undo", {"command": "undo", "ids": by_ed})
    assert read(file_db, lambda root: root["news"]["alpha"].title) == "Alpha"


def restrict_local_roles(client):
    client.post("/news/doc/manage_security", {"command": "local_roles", "principal": "editor",
                                              "local_roles": "Editor"})


def take_ownership(client):
    client.post("/news/doc/manage_security", {"command": "owner", "owner": ADMIN})


def block_local_roles(client):
    client.post("/news/doc/manage_security", {"command": "block", "block": "on"})


def define_role(client):
    client.post("/news/doc/manage_security", {"command": "define_role", "role": "Reviewer"})


@pytest.mark.parametrize("change, why", [
    (restrict_local_roles, "change the local roles on /news/doc"),
    (take_ownership, "give /news/doc back to editor"),
    (block_local_roles, "change the local roles on /news/doc"),
    (define_role, "change the permissions of /news/doc"),
], ids=["local roles", "ownership", "blocked local roles", "defined role"])
def test_finding_02_folder_owner_cannot_undo_security_changes(file_db, file_manager, editor,
                                                              change, why):
    change(file_manager)
    changed = newest_id(file_db)
    before = read(file_db, lambda root: (root["news"]["doc"].owner,
                                         root["news"]["doc"]._security.__getstate__()
                                         if root["news"]["doc"]._security else None))
    assert changed not in offered(editor.get("/news/manage_undo"))
    page = editor.post("/news/manage_undo", {"command": "undo", "ids": changed}, status=403)
    assert why in page.text
    after = read(file_db, lambda root: (root["news"]["doc"].owner,
                                        root["news"]["doc"]._security.__getstate__()
                                        if root["news"]["doc"]._security else None))
    assert after == before


def test_finding_02_undo_gives_back_only_proxy_roles_the_user_holds(file_db, client_for):
    add_user(file_db, "ed", ["Editor"])

    def make(root):
        news = root.add("news", Folder())
        news.add("greet", Script(body="return 1")).set_proxy_roles(["Manager"])
        news.manage_permission("Change permissions", EDITORS_AND_UP)
        news.manage_permission("Undo changes", EDITORS_AND_UP)
    change_site(file_db, make)
    change_site(file_db, lambda root: root["news"]["greet"].set_proxy_roles([]))
    dropped = newest_id(file_db)
    ed = client_for(file_db, "ed", "pw-ed")
    assert dropped not in offered(ed.get("/news/manage_undo"))
    page = ed.post("/news/manage_undo", {"command": "undo", "ids": dropped}, status=403)
    assert "you do not hold Manager there" in page.text
    assert read(file_db, lambda root: root["news"]["greet"].proxy_roles) == ()


def test_finding_02_undo_of_a_delete_needs_the_right_to_make_the_type(file_db, client_for):
    add_user(file_db, "ed", ["Editor"])

    def make(root):
        news = root.add("news", Folder())
        news.add("greet", Script(body="return 1"))
        news.manage_permission("Undo changes", EDITORS_AND_UP)
    change_site(file_db, make)
    ed = client_for(file_db, "ed", "pw-ed")
    ed.post("/news/manage_contents", {"command": "delete", "names": "greet"})
    deleted = newest_id(file_db)
    page = ed.post("/news/manage_undo", {"command": "undo", "ids": deleted}, status=403)
    assert "needs 'Change scripts and templates'" in page.text
    assert read(file_db, lambda root: "greet" in root["news"]) is False


def test_finding_02_blockers_outside_the_folder_are_not_named(file_db, file_manager,
                                                              folder_manager):
    folder_manager.post("/news/alpha/manage_properties", {"command": "save", "title": "Mine"})
    mine = newest_id(file_db)

    def later(root):
        root["news"]["alpha"].edit(title="Later")
        root["other"].edit(title="Secret plans")
    change_site(file_db, later)
    page = folder_manager.post("/news/manage_undo", {"command": "undo", "ids": mine},
                               status=409)
    blocked = page.html.find("section", class_="blocked")
    assert "/other" not in blocked.get_text()
    assert "1 later change you may not undo here" in blocked.get_text()
    assert blocked.find("form") is None
    assert read(file_db, lambda root: root["news"]["alpha"].title) == "Later"


SCRIPTED = '<p>Hi</p><script>steal()</script>'


@pytest.mark.parametrize("manager_change", ["clean", "delete"])
def test_finding_02_owner_cannot_undo_back_html_that_cleaning_would_change(
        file_db, client_for, manager_change):
    """A sibling of finding 12: undo must not write what cleaning forbids its user."""
    add_user(file_db, "ed", ["Editor"])

    def make(root):
        root.add("news", Folder()).add("hello", Page(body=SCRIPTED))
        root["news"].manage_setLocalRoles("ed", ["Owner"])
    change_site(file_db, make)
    if manager_change == "clean":
        change_site(file_db, lambda root: root["news"]["hello"].edit(body="<p>Hi</p>"))
    else:
        change_site(file_db, lambda root: root["news"].remove("hello"))
    managers = newest_id(file_db)
    ed = client_for(file_db, "ed", "pw-ed")
    page = ed.post("/news/manage_undo", {"command": "undo", "ids": managers}, status=403)
    assert "needs 'Write unfiltered HTML'" in page.text
    body = read(file_db, lambda root: getattr(root["news"].get("hello"), "body", None))
    assert body == ("<p>Hi</p>" if manager_change == "clean" else None)
