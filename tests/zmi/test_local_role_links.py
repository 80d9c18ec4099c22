"""A user whose role is local to one folder gets tree and breadcrumb links that all open.

Zope links every folder in its tree and path; a user who may manage only
`/news` clicked through to refusals. Here the folders above and beside
theirs are named, so the way is clear, but linked only where a screen opens.
"""

import pytest

from objweb import Folder, Page

LOCAL, LOCAL_PASSWORD = "ann", "ann-local-role-pw"


@pytest.fixture
def ann(db, site, client_for):
    def build(root):
        news = root.add("news", Folder(title="News"))
        news.add("sports", Folder(title="Sports"))
        news.add("front", Page(title="Front"))
        root.add("archive", Folder(title="Archive"))
        root["acl_users"].add_user(LOCAL, LOCAL_PASSWORD, roles=[])
        news.manage_setLocalRoles(LOCAL, ["Editor"])
    site(build)
    return client_for(db, LOCAL, LOCAL_PASSWORD)


def crumbs(page) -> list[tuple[str, str | None]]:
    items = page.html.select("nav.crumbs li")
    return [(item.get_text(strip=True), item.a["href"] if item.a else None) for item in items]


def tree_links(page) -> dict[str, str | None]:
    nodes = page.html.select("nav.tree li.tree-node")
    found = {}
    for node in nodes:
        label = node.find(["a", "span"], recursive=False)
        found[label.get_text(strip=True)] = label.get("href")
    return found


def test_the_breadcrumbs_link_only_where_the_local_role_reaches(ann):
    page = ann.get("/news/sports/manage_contents")
    assert [(label, href is not None) for label, href in crumbs(page)] == \
        [("Home", False), ("News", True), ("Sports", True)]


def test_the_tree_names_the_folders_above_and_beside_without_links(ann):
    links = tree_links(ann.get("/news/manage_contents"))
    assert links["Home"] is None
    assert links["archive"] is None
    assert links["news"].endswith("/news/manage")
    assert links["sports"].endswith("/news/sports/manage")


def test_a_folder_the_user_may_not_open_cannot_be_unfolded(ann):
    page = ann.get("/news/manage_contents")
    archive = next(node for node in page.html.select("li.tree-node")
                   if node.find("span", recursive=False) is not None
                   and node.find("span", recursive=False).get_text(strip=True) == "archive")
    assert archive.get("data-leaf") == "true"
    assert not archive.get("data-children-url")


def test_every_tree_and_breadcrumb_link_opens_a_screen(ann):
    for path in ("/news/manage_contents", "/news/sports/manage_contents",
                 "/news/front/manage_edit"):
        page = ann.get(path)
        hrefs = [href for _, href in crumbs(page) if href] + \
            [href for href in tree_links(page).values() if href] + \
            [page.html.find("a", class_="brand")["href"]]
        assert hrefs
        for href in hrefs:
            response = ann.get(href, status=303)
            assert ann.follow(response).status_int == 200


def test_the_tree_branch_of_the_users_folder_links_its_subfolders(ann):
    branch = ann.get("/news/manage_tree")
    assert branch.html.find("a", string="sports")["href"].endswith("/news/sports/manage")


def test_a_manager_still_gets_every_link(manager, ann):
    page = manager.get("/news/manage_contents")
    assert all(href for _, href in crumbs(page))
    assert all(href for href in tree_links(page).values())
