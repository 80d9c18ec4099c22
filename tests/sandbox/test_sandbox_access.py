"""Attribute, item and write guards: what code reads on the site's objects, through the policy."""

import pytest

from objweb.content import Folder, Page, Script, Template
from objweb.errors import Forbidden, Unauthorized, ValidationError
from objweb.sandbox import BoundCode, NotPublishedError, RequestView, ResponseView
from objweb.sandbox.guards import (
    SafeFormatter, code_access_of, guarded_getattr, guarded_getitem, guarded_mapping,
    guarded_write)


def test_access_tables_come_from_the_types():
    folder = code_access_of(Folder)
    assert folder["title"] == "view"
    assert folder["keys"] == "access"
    assert folder["edit"] == "change"
    assert code_access_of(Script)["body"] == "manage"
    assert "data" not in code_access_of(__import__("objweb").File)
    assert code_access_of(Folder) is code_access_of(Folder)


def test_declared_names(root, run_script):
    body = "return [context.id, context.path, context.type_name, context.owner, context.title]"
    assert run_script(body, context=root["news"]["hello"]) == [
        "hello", "/news/hello", "Page", None, "Hello"]


def test_absolute_url_without_a_request_is_the_path(root, run_script):
    assert run_script("return context.absolute_url()", context=root["news"]) == "/news"


def test_absolute_url_with_a_request(root, run_script):
    class FakeRequest:
        def url_of(self, obj):
            return "http://example.org" + obj.path if hasattr(obj, "path") else \
                "http://example.org/news"
    view = RequestView(FakeRequest(), {})
    assert run_script("return context.absolute_url()", context=root["news"],
                      request=view) == "http://example.org/news"


def test_fields_need_their_read_permission(root, run_script):
    root["code"]["other"] = Script(body="return 1")
    assert run_script("return context.other.body", user="admin") == "return 1"
    with pytest.raises(Forbidden):
        run_script("return context.other.body", user="alice")


def test_view_permission_guards_titles(root, run_script):
    with pytest.raises(Unauthorized):
        run_script("return context.private.title", user=None, context=root)


def test_items_as_attributes_and_by_subscript(root, run_script):
    assert run_script("return [context.news.title, context['news'].title]", context=root) == [
        "News", "News"]


def test_items_need_access_to_the_container(root, run_script):
    with pytest.raises(Unauthorized):
        run_script("return context.private.secret", user=None, context=root)
    with pytest.raises(Unauthorized):
        run_script("return context['private']['secret']", user=None, context=root)


def test_acquisition_finds_only_templates_and_scripts(root, run_script):
    root["tool"] = Script(body="return context.id")
    assert run_script("return context.tool()", context=root["news"]["hello"]) == "hello"
    error = None
    try:
        run_script("return context.news", context=root["news"]["hello"])
    except Exception as caught:  # noqa: BLE001
        error = caught.__cause__
    assert isinstance(error, NotPublishedError)


def test_acquisition_needs_access_where_the_code_lives(root, run_script):
    root["private"]["tool"] = Script(body="return 1")
    root["private"]["inner"] = Folder(title="inner")
    with pytest.raises(Forbidden):
        run_script("return context.private.inner.tool", user="alice", context=root)


def test_bound_code_reads_through_its_executable(root, within):
    root["tool"] = Template(title="Tool", source='<b metal:define-macro="m">m</b>')
    bound = BoundCode(root["tool"], root["news"])
    assert within(lambda run: guarded_getattr(bound, "title")) == "Tool"
    assert within(lambda run: list(guarded_getattr(bound, "macros")._code_names)) == ["m"]
    assert repr(bound) == "<Template /tool in /news>"


def test_code_views_read_only_their_names(within, refusal):
    view = ResponseView()
    assert callable(within(lambda run: guarded_getattr(view, "redirect")))
    assert isinstance(refusal(lambda run: guarded_getattr(view, "headers")), NotPublishedError)


def test_getattr_refusals(within, refusal):
    assert isinstance(refusal(lambda run: guarded_getattr("x", 1)), TypeError)
    assert isinstance(refusal(lambda run: guarded_getattr("x", "gi_frame")), NotPublishedError)
    assert isinstance(refusal(lambda run: guarded_getattr("x", "_x", None)), NotPublishedError)
    assert within(lambda run: guarded_getattr("x", "nope", 7)) == 7


def test_guards_refuse_outside_a_run():
    from objweb.sandbox.run import NoRunError, current_budget
    with pytest.raises(NoRunError):
        guarded_getattr("x", "upper")
    with pytest.raises(NoRunError):
        current_budget()


def test_getitem(root, within, refusal):
    assert within(lambda run: guarded_getitem(root, "news")) is root["news"]
    assert within(lambda run: guarded_getitem("abc", slice(1, None))) == "bc"
    assert within(lambda run: guarded_getitem(root.keys(), 0)) == "acl_users"
    assert isinstance(refusal(lambda run: guarded_getitem(root["news"]["hello"], "x")), TypeError)
    assert isinstance(refusal(lambda run: guarded_getitem(root, 1)), KeyError)
    assert isinstance(refusal(lambda run: guarded_getitem(BoundCode(Script(body=""), root), "x")), TypeError)
    assert isinstance(refusal(lambda run: guarded_getitem(ResponseView(), "x")), TypeError)
    assert isinstance(refusal(lambda run: guarded_getitem(object(), "x")), TypeError)


def test_mapping_and_write_guards(root, within, refusal):
    assert within(lambda run: guarded_mapping({"a": 1})) == {"a": 1}
    assert isinstance(refusal(lambda run: guarded_mapping(root)), TypeError)
    assert within(lambda run: guarded_write([1]).target) == [1]
    caught = refusal(lambda run: guarded_write(root))
    assert isinstance(caught, TypeError)
    assert "edit" in str(caught)
    caught = refusal(lambda run: guarded_write((1,)))
    assert isinstance(caught, TypeError)
    assert "tuple" in str(caught)


def test_edit_checks_every_field(root, run_script):
    page = root["news"]["hello"]
    run_script("context.edit(title='T', body='<p>B</p>')", context=page)
    assert (page.title, page.body) == ("T", "<p>B</p>")
    with pytest.raises(Exception) as caught:
        run_script("context.edit(nonsense=1)", context=page)
    assert isinstance(caught.value.__cause__, ValidationError)


def test_format_fields_go_through_the_guards(root, run_script):
    assert run_script("return '{0.title} {0[news].title!r} {x!s:>3} {y!a}'.format("
                      "context, x=1, y='é')", context=root) == "objweb 'News'   1 '\\xe9'"
    assert run_script("return '{a[news].title}'.format_map({'a': context})",
                      context=root) == "News"


def test_format_map_reads_items_through_the_guard(root, run_script):
    with pytest.raises(Unauthorized):
        run_script("return '{secret}'.format_map(context.private)", user=None, context=root)


def test_format_refusals(refused):
    assert isinstance(refused("return '{0!x}'.format(1)"), ValueError)
    assert isinstance(refused("return '{0:{1}}'.format(1, '>99999')"), ValueError)


def test_safe_formatter_plain_use(within):
    assert within(lambda run: SafeFormatter().format("{0}-{name}", 1, name="n")) == "1-n"


def test_new_page_is_readable_by_code(root, run_script):
    root["news"]["fresh"] = Page(title="Fresh")
    assert run_script("return context.news.fresh.title", context=root) == "Fresh"
