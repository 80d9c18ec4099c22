"""The Catalog screen at the root: indexes, counts, the queue, reindex, clear, custom indexes."""

import pytest

import objweb
from objweb import Folder, Page
from objweb.catalog import ReindexJob, drain_all, queue_length


@pytest.fixture
def news(site):
    def build(root):
        news = root.add("news", Folder(title="News"))
        for number in range(3):
            news.add(f"item{number}", Page(title=f"Item {number}", body="<p>launch</p>"))
    site(build)


def facts(page) -> dict:
    return {dt.get_text(): dd.get_text() for dt, dd in
            zip(page.html.find(id="catalog-facts")("dt"), page.html.find(id="catalog-facts")("dd"))}


def index_rows(page) -> dict:
    rows = page.html.find(id="catalog-indexes").tbody("tr")
    return {row("td")[0].get_text().split(" ")[0]: [cell.get_text() for cell in row("td")[1:4]]
            for row in rows}


def indexed(db) -> int:
    connection = db.open()
    try:
        return len(connection.root()["objweb.catalog"])
    finally:
        connection.close()


def custom_indexes(db) -> dict[str, str]:
    """The custom indexes the site's catalog keeps (with the installed extensions'), by kind."""
    connection = db.open()
    try:
        return dict(connection.root()["objweb.catalog"].custom)
    finally:
        connection.close()


def test_the_screen_shows_indexes_counts_and_the_queue(manager, news, db):
    queued = queue_length(db)
    page = manager.get("/manage_catalog")
    assert facts(page)["Changes queued"] == f"{queued:,}" and queued > 0
    drain_all(db)
    page = manager.get("/manage_catalog")
    assert facts(page)["Changes queued"] == "0"
    assert facts(page)["Objects indexed"] == f"{indexed(db):,}"
    rows = index_rows(page)
    assert rows["type"][0] == "field" and rows["text"][0] == "text"
    assert int(rows["type"][1].replace(",", "")) == indexed(db)
    assert page.html.find("a", string="Catalog")["href"].endswith("/manage_catalog")


def test_the_screen_is_at_the_root_only(manager, news):
    manager.get("/news/manage_catalog", status=404)


def test_adding_and_removing_a_custom_index(manager, news, site, db):
    site(lambda root: root["news"]["item0"].edit(title="Item 0"))
    answer = manager.post("/manage_catalog", {"command": "add_index", "name": "colour",
                                              "kind": "keyword"})
    assert "Added the keyword index" in manager.follow(answer).text
    drain_all(db)
    assert index_rows(manager.get("/manage_catalog"))["colour"][0] == "keyword"
    with objweb.site(db) as root:
        assert len(objweb.search(root, colour="red")) == 0
    manager.post("/manage_catalog", {"command": "remove_index", "name": "colour"})
    assert "colour" not in index_rows(manager.get("/manage_catalog"))
    with objweb.site(db) as root, pytest.raises(ValueError, match="colour"):
        objweb.search(root, colour="red")


@pytest.mark.parametrize("values, field, message", [
    ({"name": "Bad Name", "kind": "field"}, "name", "an index name is lowercase"),
    ({"name": "tags", "kind": "hash"}, "kind", "unknown index kind"),
    ({"name": "text", "kind": "field"}, "name", "word of the query"),
])
def test_a_bad_index_is_refused_beside_its_field(manager, news, db, values, field, message):
    kept = custom_indexes(db)
    page = manager.post("/manage_catalog", {"command": "add_index", **values}, status=400)
    assert message in page.text
    assert set(index_rows(manager.get("/manage_catalog"))) == set(index_rows(page))
    assert custom_indexes(db) == kept


def test_removing_a_built_in_index_is_refused(manager, news):
    page = manager.post("/manage_catalog", {"command": "remove_index", "name": "type"},
                        status=400)
    assert "no custom index 'type'" in page.text
    assert "type" in index_rows(manager.get("/manage_catalog"))


def test_clearing_then_reindexing(manager, news, db):
    drain_all(db)
    answer = manager.post("/manage_catalog", {"command": "clear"})
    page = manager.follow(answer)
    assert "Cleared the catalog" in page.text
    assert facts(page)["Objects indexed"] == "0"
    assert facts(page)["Searches"] == "walk the site until it is reindexed"
    with objweb.site(db) as root:  # searches still answer, by walking
        assert len(objweb.search(root, text="launch")) == 3
    answer = manager.post("/manage_catalog", {"command": "reindex"})
    assert "Reindexing the site" in manager.follow(answer).text
    job = ReindexJob.latest(db)
    assert job.wait(60)
    page = manager.get("/manage_catalog")
    assert job.progress.failure == "" and job.progress.done >= 5
    assert page.html.find("progress")["value"] == "100"
    assert "The last reindex read" in page.html.find(id="reindex-progress").get_text()
    assert facts(page)["Searches"] == "read the indexes"
    assert facts(page)["Objects indexed"] == f"{indexed(db):,}" and indexed(db) >= 5


def test_a_running_reindex_reloads_the_page_and_refuses_a_second(manager, news, db,
                                                                monkeypatch):
    from objweb.catalog import background
    release = background.threading.Event()
    started = background.threading.Event()

    def slow_reindex(db, path, progress):
        started.set()
        progress(1, 4)
        release.wait(30)
        return 4
    monkeypatch.setattr(background, "reindex", slow_reindex)
    manager.post("/manage_catalog", {"command": "reindex"})
    assert started.wait(30)
    try:
        page = manager.get("/manage_catalog")
        assert page.html.find("meta", attrs={"http-equiv": "refresh"})["content"] == "2"
        assert page.html.find("progress")["value"] == "25"
        refused = manager.post("/manage_catalog", {"command": "reindex"}, status=400)
        assert "a reindex is running already" in refused.text
    finally:
        release.set()
    assert ReindexJob.latest(db).wait(30)
    assert manager.get("/manage_catalog").html.find("meta", attrs={"http-equiv": "refresh"}) \
        is None


@pytest.mark.parametrize("values", [
    {"command": "clear"}, {"command": "reindex"},
    {"command": "add_index", "name": "colour", "kind": "field"},
])
def test_a_change_without_the_csrf_token_is_refused(basic, news, db, values):
    drain_all(db)
    before, kept = indexed(db), custom_indexes(db)
    basic.post("/manage_catalog", values, status=403, token=False)
    assert indexed(db) == before and ReindexJob.latest(db) is None
    assert custom_indexes(db) == kept


def test_an_editor_sees_the_catalog_but_may_not_change_it(editor, news, db, site):
    site(lambda root: root.manage_permission("View management screens",
                                             ["Manager", "Editor"]))
    drain_all(db)
    before = indexed(db)
    page = editor.get("/manage_catalog")
    assert page.html.find(id="clear-form") is None and page.html.find(id="reindex-form") is None
    editor.post("/manage_catalog", {"command": "clear"}, status=403)
    assert indexed(db) == before > 0


def test_anonymous_is_asked_to_log_in(app, news):
    app.get("/manage_catalog", status=401)
