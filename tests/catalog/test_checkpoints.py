"""The catalog's checkpoints: the folders a user may be refused the walk through, kept with each change.

A folder that sets "Access contents information" without acquiring it, or
blocks local roles, is one; the set follows adds, copies, renames, moves,
removals and security changes in their own transaction, an undo's
requeue, and is rebuilt by a reindex and filled for a catalog made before
it kept one. A search asks about these folders alone, so each test also
checks what an anonymous visitor finds.
"""

import pytest
import transaction

import objweb
from objweb import Folder, Page
from objweb.catalog import clear, drain_all, find_results, reindex
from objweb.catalog.manage import ensure_catalog
from objweb.catalog.search import lists_of
from objweb.catalog.store import catalog_of, is_catalog_note
from objweb.security.rolemap import set_block_local_roles
from objweb.storage.transfer import copy_of
from objweb.storage.undo import undo
from sandbox_support import base_storage, db, policy_for  # noqa: F401 (fixtures: users made once)

ACCESS = "Access contents information"


@pytest.fixture
def site(db):
    """/news/vault closed to visitors, holding a Page and a closed /news/vault/inner; /news/open."""
    with objweb.site(db) as root:
        news = root.add("news", Folder(title="News"))
        vault = news.add("vault", Folder(title="Vault"))
        vault.add("plans", Page(title="Plans", body="<p>ledger</p>"))
        inner = vault.add("inner", Folder(title="Inner"))
        inner.add("deep", Page(title="Deep", body="<p>ledger</p>"))
        news.add("open", Page(title="Open", body="<p>ledger</p>"))
        for folder in (vault, inner):
            folder.manage_permission(ACCESS, ["Manager"], acquire=False)
    return db


def checkpoints(db) -> list[str]:
    with objweb.site(db) as root:
        return list(catalog_of(root._p_jar).checkpoints)


def visitor_finds(db) -> list[str]:
    with objweb.site(db) as root:
        results = find_results(root, lists_of({"text": "ledger"}), policy=policy_for(root, None))
        return sorted(result.path for result in results)


def change(db, how) -> None:
    with objweb.site(db) as root:
        how(root)


def test_closed_folders_are_kept_as_they_are_added(site):
    assert checkpoints(site) == ["/news/vault", "/news/vault/inner"]
    assert visitor_finds(site) == ["/news/open"]
    drain_all(site)
    assert visitor_finds(site) == ["/news/open"]


def test_an_open_folder_or_one_acquiring_more_roles_is_no_checkpoint(site):
    change(site, lambda root: root["news"]["vault"].manage_permission(ACCESS, ["Owner"],
                                                                       acquire=True))
    assert checkpoints(site) == ["/news/vault/inner"]
    assert visitor_finds(site) == ["/news/open", "/news/vault/plans"]


def test_a_block_of_local_roles_is_a_checkpoint(site):
    change(site, lambda root: set_block_local_roles(root["news"], True))
    assert checkpoints(site) == ["/news", "/news/vault", "/news/vault/inner"]
    change(site, lambda root: set_block_local_roles(root["news"], False))
    assert checkpoints(site) == ["/news/vault", "/news/vault/inner"]


def test_a_rename_above_moves_the_paths_below(site):
    change(site, lambda root: root.rename("news", "press"))
    assert checkpoints(site) == ["/press/vault", "/press/vault/inner"]
    assert visitor_finds(site) == ["/press/open"]


def test_a_move_takes_the_paths_along_and_a_move_out_is_found(site):
    change(site, lambda root: root["news"]["vault"].move("inner", root))
    assert checkpoints(site) == ["/inner", "/news/vault"]
    change(site, lambda root: root["inner"].move("deep", root["news"]))
    assert visitor_finds(site) == ["/news/deep", "/news/open"]


def test_a_removal_forgets_the_paths_below(site):
    change(site, lambda root: root.remove("news"))
    assert checkpoints(site) == []


def test_a_copy_brings_its_own_closed_folders(site):
    change(site, lambda root: root.add("copied", copy_of(root["news"])))
    assert checkpoints(site) == ["/copied/vault", "/copied/vault/inner",
                                 "/news/vault", "/news/vault/inner"]
    assert visitor_finds(site) == ["/copied/open", "/news/open"]


def test_a_name_sorting_before_the_slash_is_not_taken_for_a_path_below(site):
    change(site, lambda root: root["news"].add("vault-2", Folder()).manage_permission(
        ACCESS, ["Manager"], acquire=False))
    change(site, lambda root: root["news"].rename("vault", "safe"))
    assert checkpoints(site) == ["/news/safe", "/news/safe/inner", "/news/vault-2"]


def test_a_reindex_rebuilds_the_checkpoints(site):
    with objweb.site(site) as root:
        kept = catalog_of(root._p_jar).checkpoints
        kept.remove("/news/vault/inner")
        kept.insert("/news/gone")
        kept.insert("/news/open")
    reindex(site, "/news/vault")
    assert checkpoints(site) == ["/news/gone", "/news/open", "/news/vault", "/news/vault/inner"]
    reindex(site)
    assert checkpoints(site) == ["/news/vault", "/news/vault/inner"]


def test_a_catalog_made_before_checkpoints_gets_them_at_its_next_opening(site):
    with objweb.site(site) as root:
        catalog = catalog_of(root._p_jar)
        del catalog.checkpoints
        assert catalog.checkpoints is None
    drain_all(site)
    # A search before the opening fills them walks the tree.
    with objweb.site(site) as root:
        catalog_of(root._p_jar).checkpoints = None
    assert visitor_finds(site) == ["/news/open"]
    change(site, lambda root: root.add("later", Folder()).manage_permission(
        ACCESS, ["Manager"], acquire=False))
    change(site, lambda root: root["news"].rename("open", "public"))
    change(site, lambda root: root.remove("later"))
    ensure_catalog(site)
    assert checkpoints(site) == ["/news/vault", "/news/vault/inner"]
    assert visitor_finds(site) == ["/news/public"]


def test_a_path_naming_nothing_any_more_hides_nothing_and_costs_one_look(site):
    with objweb.site(site) as root:
        catalog_of(root._p_jar).checkpoints.insert("/news/gone")
    assert visitor_finds(site) == ["/news/open"]
    change(site, lambda root: root["news"]["vault"].manage_permission(ACCESS, [], acquire=True))
    assert visitor_finds(site) == ["/news/open", "/news/vault/plans"]


def test_a_cleared_catalog_walks_the_tree_and_still_keeps_out(site):
    with objweb.site(site) as root:
        clear(root)
    assert visitor_finds(site) == ["/news/open"]
    change(site, lambda root: root["news"]["vault"].manage_permission(ACCESS, [], acquire=True))
    assert visitor_finds(site) == ["/news/open", "/news/vault/plans"]


def test_a_search_from_inside_a_closed_folder_finds_nothing_there(site):
    with objweb.site(site) as root:
        policy = policy_for(root, None)
        for path in ("/news/vault", "/news/vault/inner", "/news/nowhere"):
            assert list(find_results(root, lists_of({"path": path}), policy=policy)) == []
        found = find_results(root, lists_of({"path": "/news", "depth": 1}), policy=policy)
        assert sorted(result.path for result in found) == ["/news/open", "/news/vault"]


@pytest.fixture
def stored(tmp_path):
    """A site in a FileStorage, which can undo, holding /news/vault (open) and its Page."""
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db)
    change(db, lambda root: root.add("news", Folder()).add("vault", Folder()).add(
        "plans", Page(body="<p>ledger</p>")))
    yield db
    db.close()


def undo_last_change(db) -> None:
    last = next(entry["id"] for entry in db.undoLog(0, 20)
                if not is_catalog_note(entry["description"]))
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    manager.begin()
    undo(connection, [last.decode() if isinstance(last, bytes) else last])
    manager.commit()
    connection.close()


def test_an_undone_opening_closes_the_folder_again(stored):
    change(stored, lambda root: root["news"]["vault"].manage_permission(ACCESS, ["Manager"],
                                                                         acquire=False))
    change(stored, lambda root: root["news"]["vault"].manage_permission(ACCESS, [],
                                                                         acquire=True))
    drain_all(stored)
    assert checkpoints(stored) == [] and visitor_finds(stored) == ["/news/vault/plans"]
    undo_last_change(stored)
    assert checkpoints(stored) == ["/news/vault"]
    assert visitor_finds(stored) == []


def test_an_undone_removal_brings_back_a_closed_folder_closed(stored):
    change(stored, lambda root: root["news"]["vault"].manage_permission(ACCESS, ["Manager"],
                                                                         acquire=False))
    change(stored, lambda root: root["news"].remove("vault"))
    drain_all(stored)
    assert checkpoints(stored) == []
    undo_last_change(stored)
    assert checkpoints(stored) == ["/news/vault"]
    assert visitor_finds(stored) == []


def test_an_undone_removal_brings_back_a_closed_folder_nested_deeper_closed(stored):
    def build(root):
        box = root["news"].add("box", Folder())
        vault = box.add("vault", Folder())
        vault.add("plans", Page(body="<p>ledger</p>"))
        vault.manage_permission(ACCESS, ["Manager"], acquire=False)
    change(stored, build)
    change(stored, lambda root: root["news"].remove("box"))
    drain_all(stored)
    assert checkpoints(stored) == []
    undo_last_change(stored)
    assert checkpoints(stored) == ["/news/box/vault"]
    assert visitor_finds(stored) == ["/news/vault/plans"]
    drain_all(stored)
    assert visitor_finds(stored) == ["/news/vault/plans"]
