"""The Test tab: run a Script with parameters or a Template with options, see the answer."""

import pytest

from objweb import Folder, Page, Script, Template
from objweb.web.config import Settings
from support import ADMIN, ADMIN_PASSWORD


@pytest.fixture
def code(site):
    def build(root):
        box = root.add("box", Folder(title="Box"))
        box.add("greet", Script(params="name, times=1",
                                body="return ' '.join(['Hi %s' % name] * times)"))
        box.add("data", Script(body="return {'where': context.title, 'n': [1, 2]}"))
        box.add("broken", Script(params="n=0", body="a = 1\nb = 10 // n\nreturn b"))
        box.add("write", Script(params="fail=False", body=(
            "context['note'].edit(title='written')\n"
            "if fail:\n    raise ValueError('on purpose')\nreturn 'done'")))
        box.add("note", Page(title="unwritten"))
        box.add("view", Template(source='<p tal:content="options/who">x</p>'
                                        '<b tal:content="context/title"/>'))
        box.add("loop", Script(body="while True:\n    pass"))
    site(build)


def run(client, path, values, status=200):
    return client.post(f"{path}/manage_test", {"command": "run", **values}, status=status)


def test_the_tab_offers_a_field_for_each_parameter(manager, code):
    page = manager.get("/box/greet/manage_test")
    assert [field["name"] for field in page.html.select("#test-form input[type=text]")] == [
        "parameter.name", "parameter.times"]
    assert "Leave empty for its default, 1." in page.text
    assert [link.get_text() for link in page.html.select("nav.tabs a")][:3] == [
        "Edit", "Test", "History"]


def test_a_script_runs_with_its_parameters_converted_and_shows_its_text(manager, code):
    page = run(manager, "/box/greet", {"parameter.name": "<Ann>", "parameter.times": "2"})
    assert page.html.select_one(".test-output code").get_text() == "Hi <Ann> Hi <Ann>"
    assert "Hi &lt;Ann&gt;" in page.text
    # What was typed stays in the form, to run again.
    assert page.html.select_one("input[name='parameter.name']")["value"] == "<Ann>"


def test_a_script_s_value_is_shown_as_json_run_in_its_folder(manager, code):
    page = run(manager, "/box/data", {})
    assert page.html.select_one("#outcome-title").get_text(" ", strip=True) == "Output (JSON)"
    assert page.html.select_one(".test-output code").get_text() == \
        '{\n  "n": [\n    1,\n    2\n  ],\n  "where": "Box"\n}'


def test_a_missing_or_bad_parameter_is_refused_beside_its_field(manager, code):
    page = run(manager, "/box/greet", {}, status=400)
    assert "the parameter 'name' is missing" in page.html.select_one(".field-error").get_text()
    page = run(manager, "/box/greet", {"parameter.name": "x", "parameter.times": "many"},
               status=400)
    assert "'many' is not a whole number" in page.text


def test_an_error_is_shown_at_its_line_in_the_source(manager, code):
    page = run(manager, "/box/broken", {}, status=400)
    assert "ZeroDivisionError" in page.html.select_one(".test-output").get_text()
    assert "(line 2)" in page.html.select_one("#outcome .notice").get_text()
    marked = page.html.select_one(".source-lines li.error-line")
    assert marked["value"] == "2" and marked.get_text() == "b = 10 // n"


def test_a_successful_run_keeps_its_changes_a_failed_one_none(manager, code, look):
    run(manager, "/box/write", {"parameter.fail": "yes"}, status=400)
    assert look(lambda root: root["box"]["note"].title) == "unwritten"
    page = run(manager, "/box/write", {})
    assert page.html.select_one(".test-output code").get_text() == "done"
    assert look(lambda root: root["box"]["note"].title) == "written"


def test_a_run_past_its_budget_is_stopped(db, code, client_for):
    client = client_for(db, ADMIN, ADMIN_PASSWORD, Settings(code_time_budget=0.2))
    page = run(client, "/box/loop", {}, status=400)
    assert "was stopped" in page.html.select_one("#outcome .notice").get_text()


def test_a_template_renders_with_its_options(manager, code):
    page = run(manager, "/box/view", {"options": "who=<Bo>\n\nother = 2"})
    assert page.html.select_one(".test-output code").get_text() == \
        "<p>&lt;Bo&gt;</p><b>Box</b>"


def test_bad_options_are_refused(manager, code):
    page = run(manager, "/box/view", {"options": "who"}, status=400)
    assert "options, line 1: write name=value" in page.text


def test_only_code_has_the_tab_and_a_run_needs_the_token(manager, basic, code, look):
    manager.get("/box/note/manage_test", status=404)
    basic.post("/box/write/manage_test", {"command": "run"}, token=False, status=403)
    assert look(lambda root: root["box"]["note"].title) == "unwritten"


def test_the_code_runs_with_the_rights_of_the_user_who_tests_it(manager, editor, site, code):
    def build(root):
        root["box"].add("peek", Script(body="return container['secret'].title"))
        root["box"].add("secret", Page(title="Top secret")).manage_permission(
            "View", roles=["Manager"], acquire=False)
    site(build)
    page = run(manager, "/box/peek", {})
    assert page.html.select_one(".test-output code").get_text() == "Top secret"
    page = run(editor, "/box/peek", {}, status=400)
    assert "refused something that you, or its owner, may not do" in page.text
    assert "Top secret" not in page.text
