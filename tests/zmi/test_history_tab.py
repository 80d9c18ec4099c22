"""The History tab: the kept revisions, differences between any two, and revert."""

import pytest

from objweb import Folder, Page, Script, Template
from objweb.content.revisions import revisions_of
from objweb.zmi.diffs import MAX_LINES, side_by_side, unified


@pytest.fixture
def greet(site):
    def build(root):
        root.add("greet", Script(params="name='you'", body="a = 1\nb = 2\nreturn name"))
    site(build)
    site(lambda root: root["greet"].edit(body="a = 1\nb = 3\nreturn name"))
    site(lambda root: root["greet"].edit(body="a = 1\nb = 3\nc = '<b>'\nreturn name"))


def test_the_tab_lists_every_revision_newest_first(manager, greet):
    page = manager.get("/greet/manage_history")
    rows = page.html.select("table.revisions tbody tr")
    assert [row["id"] for row in rows] == ["revision-3", "revision-2", "revision-1"]
    assert "(current)" in rows[0].get_text() and "admin" in rows[0].get_text()
    # The two newest are ticked for comparing; the current one offers no revert.
    assert page.html.select_one("input[name=a][checked]")["value"] == "2"
    assert page.html.select_one("input[name=b][checked]")["value"] == "3"
    assert [button["value"] for button in page.html.select("button[form=revert-form]")] == [
        "2", "1"]


def test_the_tab_is_there_only_for_sources(manager, site):
    site(lambda root: root.add("box", Folder()))
    manager.get("/box/manage_history", status=404)
    assert "History" not in [a.get_text() for a in manager.get("/box/manage_contents").html.select(
        "nav.tabs a")]


def test_a_unified_difference_is_escaped_and_numbered(manager, greet):
    page = manager.get("/greet/manage_history", params={"a": "1", "b": "3"})
    rows = page.html.select("table.diff.unified tbody tr")
    kinds = [(row["class"][0], row.select("td")[2].code.get_text()) for row in rows]
    assert kinds == [("hunk", "@@ -1,4 +1,5 @@"), ("same", "## parameters=name='you'"),
                     ("same", "a = 1"), ("removed", "b = 2"), ("added", "b = 3"),
                     ("added", "c = '<b>'"), ("same", "return name")]
    assert "c = '&lt;b&gt;'" in page.text and "<b>'" not in page.text


def test_a_side_by_side_difference_pairs_the_lines(manager, greet):
    page = manager.get("/greet/manage_history", params={"a": "3", "b": "1", "style": "side"})
    assert page.html.select_one("#difference-title").get_text() == \
        "From revision 1 to revision 3"
    rows = [[cell.get_text() for cell in row.select("td")]
            for row in page.html.select("table.diff.side tbody tr")]
    assert rows[2] == ["3", "b = 2", "3", "b = 3"]
    assert rows[3] == ["", "", "4", "c = '<b>'"]


def test_one_revision_s_source_is_shown_whole(manager, greet):
    page = manager.get("/greet/manage_history", params={"show": "1"})
    lines = [item.get_text() for item in page.html.select("#shown ol.source-lines li")]
    assert lines == ["## parameters=name='you'", "a = 1", "b = 2", "return name"]


def test_revert_makes_an_old_source_current_as_a_new_revision(manager, greet, look):
    response = manager.post("/greet/manage_history",
                            {"command": "revert", "revision": "1", "note": "too far"})
    assert "Reverted to revision 1: it is revision 4 now." in manager.follow(response).text
    assert look(lambda root: root["greet"].body) == "a = 1\nb = 2\nreturn name"
    assert look(lambda root: [(revision.id, revision.note)
                              for revision in revisions_of(root["greet"])][0]) == (
        4, "reverted to revision 1: too far")


@pytest.mark.parametrize("revision,message", [("9", "there is no revision 9"),
                                              ("3", "is the current source already"),
                                              ("x", "choose the revision")])
def test_a_bad_revert_is_refused_and_changes_nothing(manager, greet, look, revision, message):
    page = manager.post("/greet/manage_history", {"command": "revert", "revision": revision},
                        status=400)
    assert message in page.html.select_one("#form-errors").get_text()
    assert look(lambda root: len(revisions_of(root["greet"]))) == 3


def test_a_revert_without_the_token_changes_nothing(basic, greet, look):
    basic.post("/greet/manage_history", {"command": "revert", "revision": "1"}, token=False,
               status=403)
    assert look(lambda root: len(revisions_of(root["greet"]))) == 3


def test_an_editor_reads_a_page_s_history_and_reverts_it_but_not_code(editor, site, look):
    site(lambda root: (root.add("page", Page(body="<p>1</p>")),
                       root.add("view", Template(source="<p>1</p>"))))
    site(lambda root: (root["page"].edit(body="<p>2</p>"), root["view"].edit(source="<p>2</p>")))
    editor.post("/page/manage_history", {"command": "revert", "revision": "1"})
    assert look(lambda root: root["page"].body) == "<p>1</p>"
    page = editor.get("/view/manage_history")
    assert page.html.select("button[form=revert-form]") == []
    editor.post("/view/manage_history", {"command": "revert", "revision": "1"}, status=403)
    assert look(lambda root: root["view"].source) == "<p>2</p>"


# -- the differences themselves ------------------------------------------------------

def test_identical_texts_have_no_difference():
    assert unified("a\nb", "a\nb") == [] and side_by_side("a\nb", "a\nb") == []


def test_far_apart_changes_are_separate_hunks():
    old = "\n".join(str(number) for number in range(20))
    new = old.replace("1\n", "one\n", 1).replace("18", "eighteen")
    assert [line.text for line in unified(old, new) if line.kind == "hunk"] == [
        "@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"]
    assert [row.kind for row in side_by_side(old, new)].count("gap") == 1


def test_texts_too_long_are_not_compared():
    with pytest.raises(ValueError, match="more than"):
        unified("x\n" * (MAX_LINES + 1), "")
