"""`Folder.copy(name, target, new_name=None)`: the Python API's copy, beside rename and move."""

import pytest
import transaction

import objweb
from objweb import File, Folder, NameInUseError, NotFoundError, Page, ValidationError


@pytest.fixture
def db():
    database = objweb.open_db("memory://")
    objweb.bootstrap(database, admin="admin", password="s3cret")
    yield database
    database.close()


def test_a_copy_is_a_new_subtree_with_the_same_content_and_owners(db):
    with objweb.site(db, user="admin") as root:
        news = root.add("news", Folder(title="News"))
        news.add("hello", Page(title="Hello", body="<p>Hi</p>"))
        news.add("report", File(title="Q3", data=b"%PDF" * 5000))
        root.add("archive", Folder())
    with objweb.site(db) as root:
        copied = root.copy("news", root["archive"], "news-2026")
        assert copied is root["archive"]["news-2026"]
    with objweb.site(db) as root:
        original, copy = root["news"], root["archive"]["news-2026"]
        assert copy["hello"].body == "<p>Hi</p>" and copy["report"].data == b"%PDF" * 5000
        assert copy["hello"].owner == "admin" and copy.title == "News"
        copy["hello"].edit(title="Changed in the copy")
        assert original["hello"].title == "Hello"
        assert copy["hello"]._p_oid != original["hello"]._p_oid


def test_a_copy_keeps_its_name_unless_given_one(db):
    with objweb.site(db) as root:
        root.add("page", Page(title="P"))
        target = root.add("target", Folder())
        assert root.copy("page", target).__name__ == "page"
        assert list(root.keys()) == ["acl_users", "page", "target"]


@pytest.mark.parametrize("arguments, error, message", [
    (("ghost", "target"), NotFoundError, "has no item 'ghost'"),
    (("page", "page"), ValueError, "/page is not a folder"),
    (("page", "target", "taken"), NameInUseError, "taken"),
    (("page", "target", "bad/name"), ValueError, "a name cannot contain '/'"),
    (("box", "box"), ValueError, "a folder cannot be copied inside itself"),
])
def test_a_refused_copy_changes_nothing(db, arguments, error, message):
    with objweb.site(db) as root:
        root.add("page", Page())
        root.add("box", Folder())
        root.add("target", Folder()).add("taken", Page())
    with objweb.site(db) as root:
        name, target, *new_name = arguments
        with pytest.raises(error, match=message):
            root.copy(name, root[target], *new_name)
        transaction.abort()
    with objweb.site(db) as root:
        assert list(root["target"].keys()) == ["taken"] and list(root["box"].keys()) == []


def test_a_folder_in_no_database_cannot_be_copied():
    root = Folder()
    root.add("page", Page())
    target = root.add("target", Folder())
    with pytest.raises(ValidationError, match="database"):
        root.copy("page", target)
    assert list(target.keys()) == []
