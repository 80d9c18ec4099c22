"""A permission changed on the Security tab holds from the very next request, at any depth.

The policy answers a folder that carries no settings as it answered its parent,
within one request; nothing it learns outlives the request, so the next one,
whoever sends it, sees the change.
"""

import pytest

import objweb
from objweb import Folder, Page
from objweb.security.permissions import ACCESS_CONTENTS, ALL_PERMISSIONS, VIEW

DEPTH = 10


@pytest.fixture
def deep(db):
    """A Page under ten folders; returns the path of each folder and of the page."""
    with objweb.site(db) as root:
        folder = root
        for level in range(1, DEPTH + 1):
            folder = folder.add(f"d{level}", Folder(title=f"Level {level}"))
        folder.add("page", Page(title="Deep", body="<p>deep down</p>"))
    folders = ["/" + "/".join(f"d{level}" for level in range(1, count + 1))
               for count in range(1, DEPTH + 1)]
    return folders, folders[-1] + "/page"


def matrix(overrides: dict) -> list:
    """The Security tab's form: every permission acquires, but those in `overrides`."""
    pairs = [("command", "permissions")]
    for index, permission in enumerate(ALL_PERMISSIONS):
        roles, acquire = overrides.get(permission, ([], True))
        pairs += [(f"roles-{index}", role) for role in roles]
        if acquire:
            pairs.append((f"acquire-{index}", "on"))
    return pairs


def anonymous_get(basic, path: str, status: int):
    return basic.app.get(path, status=status, headers={"Accept": "text/html"})


@pytest.mark.parametrize("level", [0, 4, 9])
def test_restricting_access_on_a_folder_refuses_the_next_request(basic, deep, level):
    folders, page = deep
    for _ in range(3):  # the same application, its connections and their caches warm
        assert "deep down" in anonymous_get(basic, page, 200).text
    basic.post(folders[level] + "/manage_security",
               matrix({ACCESS_CONTENTS: (["Manager"], False)}))
    anonymous_get(basic, page, 401)
    assert "deep down" in basic.get(page).text
    basic.post(folders[level] + "/manage_security", matrix({}))
    assert "deep down" in anonymous_get(basic, page, 200).text


def test_restricting_view_on_the_pages_folder_refuses_the_next_request(basic, deep):
    folders, page = deep
    assert "deep down" in anonymous_get(basic, page, 200).text
    basic.post(folders[-1] + "/manage_security", matrix({VIEW: (["Manager"], False)}))
    anonymous_get(basic, page, 401)
    anonymous_get(basic, folders[-1] + "/page", 401)
    basic.post(folders[-1] + "/manage_security", matrix({}))
    assert "deep down" in anonymous_get(basic, page, 200).text


def test_giving_view_back_below_a_refusal_holds_at_once(basic, deep):
    folders, page = deep
    basic.post(folders[2] + "/manage_security", matrix({VIEW: (["Manager"], False)}))
    anonymous_get(basic, page, 401)
    basic.post(folders[6] + "/manage_security", matrix({VIEW: (["Anonymous"], False)}))
    assert "deep down" in anonymous_get(basic, page, 200).text
    anonymous_get(basic, folders[5], 401)
