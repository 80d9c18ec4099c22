"""A small tree of real content, outside any database: traversal needs none."""

import pytest

from objweb import Folder, Page, Script, Template


@pytest.fixture
def tree():
    """root/news/hello, root/news/2026/launch, root/view (a Template), root/news/greet."""
    root = Folder(title="Root")
    news = root.add("news", Folder(title="News"))
    news.add("hello", Page(title="Hello", body="<p>Hi</p>"))
    year = news.add("2026", Folder(title="2026"))
    year.add("launch", Page(title="Launch"))
    root.add("view", Template(title="View", source="<p/>"))
    news.add("greet", Script(title="Greet", body="return 1"))
    return root
