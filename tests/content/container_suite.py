"""The behaviour every container shares, written once.

A test module opts a container type in by subclassing `ContainerSuite` and
defining a `path` fixture: the path of such a container, stored and committed
in the test's database `db`.
"""

import pytest
import transaction
from ZODB.POSException import ConflictError

import objweb
from objweb import NameInUseError, NotFoundError, Page
from objweb.content.site import site_root
from objweb.names import MAX_NAME_LENGTH


class ContainerSuite:
    """Mapping protocol, name rules, placement and conflict-free adds."""

    def test_set_and_get(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            page = Page(title="One")
            container["one"] = page
            assert container["one"] is page
            assert page.__name__ == "one" and page.__parent__ is container
        with objweb.site(db) as root:
            assert objweb.find(root, path)["one"].title == "One"

    def test_mapping_protocol(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            before = len(container)
            for name in ("b", "a", "c"):
                container[name] = Page(title=name.upper())
            assert len(container) == before + 3
            assert "a" in container and "zz" not in container and 3 not in container
            assert [name for name in container.keys() if name in "abc"] == ["a", "b", "c"]
            assert [obj.title for obj in container.values() if obj.title in "ABC"] == [
                "A", "B", "C"]
            assert [(name, obj.title) for name, obj in container.items()
                    if name in "abc"] == [("a", "A"), ("b", "B"), ("c", "C")]
            assert "a" in list(container)
            assert container.get("a").title == "A" and container.get("zz", 7) == 7
            del container["b"]
            assert "b" not in container and len(container) == before + 2

    def test_a_missing_item_is_a_key_error(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            with pytest.raises(KeyError):
                container["nope"]
            with pytest.raises(KeyError):
                container[42]
            with pytest.raises(NotFoundError):
                del container["nope"]

    def test_adding_never_replaces(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            first = Page(title="first")
            container["x"] = first
            second = Page(title="second")
            with pytest.raises(NameInUseError) as caught:
                container["x"] = second
            assert isinstance(caught.value, KeyError)
            assert "'x' is already in use" in str(caught.value)
            assert container["x"] is first
            assert second.__parent__ is None and second.__name__ is None

    @pytest.mark.parametrize("name", ["", ".", "..", "a/b", "_x", "@@x", "aq_x", "manage",
                                      "manage_main", "a\x00b", "x" * (MAX_NAME_LENGTH + 1)])
    def test_bad_names_are_value_errors(self, db, path, name):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            before = len(container)
            page = Page()
            with pytest.raises(ValueError):
                container[name] = page
            assert len(container) == before and page.__parent__ is None

    def test_only_content_goes_in(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            with pytest.raises(ValueError, match="only objweb content"):
                container["x"] = {"not": "content"}

    def test_an_object_lives_in_one_place(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            page = container.add("x", Page())
            with pytest.raises(ValueError, match="move it instead"):
                container["y"] = page

    def test_removing_detaches(self, db, path):
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            page = container.add("x", Page())
            assert container.remove("x") is page
            assert page.__parent__ is None and page.__name__ is None
            container.add("x", page)
            assert container["x"] is page

    def test_adds_of_different_names_do_not_conflict(self, db, path):
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        one, two = db.open(first), db.open(second)
        try:
            objweb.find(site_root(one), path)["from-one"] = Page(title="1")
            objweb.find(site_root(two), path)["from-two"] = Page(title="2")
            first.commit()
            second.commit()
        finally:
            first.abort(), second.abort()
            one.close(), two.close()
        with objweb.site(db) as root:
            container = objweb.find(root, path)
            assert "from-one" in container and "from-two" in container
            assert len(container) == len(list(container.keys()))

    def test_adds_of_the_same_name_conflict(self, db, path):
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        one, two = db.open(first), db.open(second)
        try:
            objweb.find(site_root(one), path)["same"] = Page(title="1")
            objweb.find(site_root(two), path)["same"] = Page(title="2")
            first.commit()
            with pytest.raises(ConflictError):
                second.commit()
        finally:
            first.abort(), second.abort()
            one.close(), two.close()
        with objweb.site(db) as root:
            assert objweb.find(root, path)["same"].title == "1"
