"""Templates: TAL, METAL across templates, i18n, expression types and bound names."""

import pytest

from objweb.content import Folder, Page, Script, Template
from objweb.errors import SourceError
from objweb.storage.db import site
from objweb.sandbox import CodeError, CodeLimitError, Limits, RequestView, ResponseView
from sandbox_support import policy_for


def test_path_expressions(render, root):
    source = '<h1 tal:content="context/title">x</h1><p tal:content="context/news/hello/title"/>'
    assert render(source, context=root) == "<h1>objweb</h1><p>Hello</p>"


def test_context_here_container_and_template_names(render, root):
    source = ('<p tal:content="here/title"/><p tal:content="container/title"/>'
              '<p tal:content="template/id"/>')
    result = render(source, context=root["news"])
    assert result.startswith("<p>News</p><p>Code</p><p>c")


def test_text_is_escaped_unless_structure(render, root):
    root["news"]["hello"].edit(title="<b>&</b>")
    source = ('<p tal:content="context/title"/><p tal:content="structure context/title"/>'
              '<p>${context/title}</p>')
    assert render(source, context=root["news"]["hello"]) == (
        "<p>&lt;b&gt;&amp;&lt;/b&gt;</p><p><b>&</b></p><p>&lt;b&gt;&amp;&lt;/b&gt;</p>")


def test_attributes_are_escaped(render, root):
    root["news"].edit(title='"quoted"')
    assert render('<a tal:attributes="title context/title">x</a>', context=root["news"]) == (
        '<a title="&quot;quoted&quot;">x</a>')


def test_loops_and_conditions(render):
    source = ('<ul><li tal:repeat="item python: [1, 2, 3]"><b tal:condition="python: item != 2"'
              ' tal:content="string:${repeat/item/number}:${item}"/></li></ul>')
    assert render(source) == "<ul><li><b>1:1</b></li>\n<li></li>\n<li><b>3:3</b></li></ul>"


def test_repeat_variables_from_python(render):
    source = ('''<i tal:repeat="x python: 'ab'" tal:content="python: repeat.x.index"/>'''
              '''<b tal:repeat="y python: 'c'" tal:content="python: repeat['y'].even"/>''')
    assert render(source) == "<i>0</i>\n<i>1</i><b>even</b>"


def test_define_switch_and_omit(render):
    source = ('<tal:x define="n python: 2"><p tal:switch="n"><b tal:case="python: 1">one</b>'
              '<b tal:case="python: 2">two</b></p><span tal:omit-tag="">in</span></tal:x>')
    assert render(source) == "<p><b>two</b></p>in"


def test_string_exists_not_and_nocall(render, root):
    root["code"]["hi"] = Script(body="return 'called'")
    source = ('<p tal:content="string:a ${context/title} $$ b"/>'
              '<p tal:condition="exists: context/missing">no</p>'
              '<p tal:condition="not: exists: context/missing">yes</p>'
              '<p tal:content="context/hi"/>'
              '<p tal:define="f nocall: context/hi" tal:content="python: f()"/>')
    assert render(source) == "<p>a Code $ b</p><p>yes</p><p>called</p><p>called</p>"


def test_alternatives(render):
    source = ('<p tal:content="context/missing | string:fallback"/>'
              '<p tal:content="python: not_a_variable | 2">x</p>'
              '<p tal:content="context/missing | nothing">gone</p>')
    assert render(source) == "<p>fallback</p><p>2</p><p></p>"


def test_default_keeps_the_template_text(render):
    assert render('<p tal:content="default">kept</p>') == "<p>kept</p>"


def test_options_request_user_and_modules(render, root):
    class FakeRequest:
        headers = {}
    view = RequestView(FakeRequest(), {"q": "search"}, ResponseView())
    source = ('<p tal:content="options/word"/><p tal:content="request/form/q"/>'
              '<p tal:content="user/id"/><p tal:content="modules/math/pi"/>'
              '<p tal:content="python: modules[\'string\'].digits"/>'
              '<p tal:content="python: user.has_role(\'Manager\')"/>')
    result = render(source, options={"word": "hi"}, request=view)
    assert result == ("<p>hi</p><p>search</p><p>admin</p><p>3.141592653589793</p>"
                      "<p>0123456789</p><p>True</p>")


def test_path_into_sequences_and_dynamic_names(render):
    source = ('<tal:b define="items python: [\'a\', \'b\']; key string:title">'
              '<p tal:content="items/1"/><p tal:content="context/?key"/></tal:b>')
    assert render(source) == "<p>b</p><p>Code</p>"


def test_nothing_is_empty(render):
    assert render('<p tal:content="nothing">x</p><p tal:replace="nothing">y</p>') == "<p></p>"


def test_i18n_attributes_and_translate(render):
    source = ('<p i18n:domain="objweb" i18n:translate="">Hello <b i18n:name="who"'
              ' tal:content="context/title">x</b></p><img alt="A picture" i18n:attributes="alt"/>')
    assert render(source) == '<p>Hello <b>Code</b></p><img alt="A picture"/>'


def test_on_error_shows_the_fallback(render):
    source = '<p tal:on-error="string:oops"><b tal:content="python: 1 / 0"/></p>'
    assert render(source) == "<p>oops</p>"


def test_on_error_reads_the_error(render):
    source = ('<p tal:on-error="python: error.type.__name__"><b tal:content="python: 1 / 0"/></p>')
    with pytest.raises(SourceError):
        render(source)
    source = '<p tal:on-error="python: str(error.value)"><b tal:content="python: 1 / 0"/></p>'
    assert render(source) == "<p>division by zero</p>"


def test_dict_attributes(render):
    assert render('<p tal:attributes="python:{\'class\': \'a\'}">x</p>') == '<p class="a">x</p>'


def test_dict_attributes_refuse_other_objects(render):
    with pytest.raises(CodeError) as caught:
        render('<p tal:attributes="context">x</p>')
    assert "takes a dict" in str(caught.value.__cause__)


def test_macros_across_templates(root):
    root["layout"] = Template(source=(
        '<html metal:define-macro="page"><title tal:content="context/title">t</title>'
        '<body metal:define-slot="main">default</body></html>'))
    root["news"]["index"] = Template(source=(
        '<html metal:use-macro="context/layout/macros/page">'
        '<body metal:fill-slot="main"><p tal:content="template/id"/></body></html>'))
    result = root["news"]["index"].render(user_policy=policy_for(root, "admin"))
    assert result == "<html><title>News</title><body><p>index</p></body></html>"


def test_macros_acquired_at_several_depths(root):
    root["layout"] = Template(source='<div metal:define-macro="box" tal:content="context/title"/>')
    folder = root
    for name in ("a", "b", "c"):
        folder[name] = Folder(title=name)
        folder = folder[name]
    folder["page"] = Page(title="Deep")
    view = Template(source='<div metal:use-macro="context/layout/macros/box"/>')
    root["a"]["b"]["view"] = view
    assert view.render(folder["page"], user_policy=policy_for(root, "admin")) == "<div>Deep</div>"


def test_macro_of_the_same_template(render):
    source = ('<b metal:define-macro="m">in</b>'
              '<i metal:use-macro="template/macros/m"/><i metal:use-macro="python: template.macros.m"/>')
    assert render(source) == "<b>in</b><b>in</b><b>in</b>"


def test_missing_macro_is_an_error(render):
    with pytest.raises(CodeError):
        render('<i metal:use-macro="template/macros/nothing"/>')


def test_macros_of_a_template_without_view_permission_are_refused(root):
    root["private"]["layout"] = Template(source='<b metal:define-macro="m">secret</b>')
    view = Template(source='<i metal:use-macro="context/private/layout/macros/m"/>')
    root["news"]["v"] = view
    with pytest.raises(Exception) as caught:
        view.render(root, user_policy=policy_for(root, "alice"))
    assert type(caught.value).__name__ == "Forbidden"


def test_template_calls_scripts_by_path_and_python(root, render):
    root["greet"] = Script(params="name='world'", body="return 'Hello ' + name")
    source = '<p tal:content="context/greet"/><p tal:content="python: context.greet(name=\'x\')"/>'
    assert render(source, context=root["news"]["hello"]) == "<p>Hello world</p><p>Hello x</p>"


def test_template_acquired_renders_in_the_context_reached(root):
    root["view"] = Template(source='<h1 tal:content="context/title"/>')
    page = root["news"]["hello"]
    assert root["view"].call_in(page) == "<h1>Hello</h1>"


def test_template_call_takes_keyword_options_only(root):
    root["view"] = Template(source='<h1 tal:content="options/x"/>')
    assert root["view"](x=1) == "<h1>1</h1>"
    with pytest.raises(TypeError):
        root["view"].call_in(root, 1)


def test_python_expressions_use_the_safe_builtins(render):
    source = ('<p tal:content="python: len([1, 2])"/>'
              '<p tal:define="len python: 7" tal:content="python: len"/>'
              '<p tal:content="python: sorted({3, 1})"/>')
    assert render(source) == "<p>2</p><p>7</p><p>[1, 3]</p>"


def test_python_expressions_with_lambdas_and_comprehensions(render):
    source = ('<p tal:content="python: list(map(lambda x, *a, k=1, **kw: x + k, [1, 2]))"/>'
              '<p tal:content="python: [y * 2 for y in range(3)]"/>')
    assert render(source) == "<p>[2, 3]</p><p>[0, 2, 4]</p>"


def test_python_expressions_take_slices(render):
    source = ('<p tal:content="python: [1, 2, 3, 4][1:]"/>'
              '<p tal:define="n python: 2" tal:content="python: \'abcdef\'[:n]"/>'
              '<p tal:content="python: [1, 2, 3, 4][::-2]"/>'
              '<p tal:content="python: [1, 2, 3][len([0]):][:1]"/>')
    assert render(source) == "<p>[2, 3, 4]</p><p>ab</p><p>[4, 2]</p><p>[2]</p>"


def test_unknown_name_is_an_error(render):
    with pytest.raises(CodeError) as caught:
        render('<p tal:content="python: open">x</p>')
    assert isinstance(caught.value.__cause__, NameError)


def test_a_variable_alone_is_called_unless_nocall(render):
    source = ('<p tal:define="f python: \'called\'.upper" tal:content="f"/>'
              '<p tal:define="n python: 7" tal:content="nocall:n"/>')
    assert render(source) == "<p>CALLED</p><p>7</p>"


def test_a_product_in_a_template_is_guarded(render):
    source = '<p tal:content="python: \'ab\' * 2"/><p tal:content="python: 3 * 4"/>'
    assert render(source) == "<p>abab</p><p>12</p>"
    with pytest.raises(CodeLimitError) as caught:
        render('<p tal:content="python: 2 ** 60 * 2 ** 60"/>', limits=Limits(max_int_bits=100))
    assert caught.value.kind == "size"
    with pytest.raises(CodeLimitError) as caught:
        render('<p tal:content="python: \'x\' * 3000"/>', limits=Limits(output_limit=2000))
    assert caught.value.kind == "size"


def test_template_output_limit(render):
    source = '<p tal:repeat="i python: range(1000)">xxxxxxxxxx</p>'
    with pytest.raises(CodeLimitError) as caught:
        render(source, limits=Limits(output_limit=2000))
    assert caught.value.kind == "output"


def test_template_output_limit_without_a_repeat(render):
    source = '<p tal:content="python: 900 * \'x\'"/>' * 3
    assert len(render(source, limits=Limits(output_limit=3000))) == 2721
    with pytest.raises(CodeLimitError) as caught:
        render(source, limits=Limits(output_limit=2000))
    assert caught.value.kind == "output"


def test_template_output_is_counted_as_a_repeat_goes(render):
    # The same text of 600 characters at every item: the fourth passes the limit,
    # and the run stops within a few items, long before a million items could run out its second.
    source = ('<p tal:repeat="i python: range(1000000)" '
              'tal:content="python: 600 * \'x\'"/>')
    with pytest.raises(CodeLimitError) as caught:
        render(source, limits=Limits(output_limit=2000, time_budget=1))
    assert caught.value.kind == "output"


def test_template_endless_repeat_is_stopped(render):
    source = ('<p tal:repeat="a python: range(1000000)">'
              '<b tal:repeat="b python: range(1000000)"></b></p>')
    with pytest.raises(CodeLimitError) as caught:
        render(source, limits=Limits(time_budget=0.2))
    assert caught.value.kind == "time"


def test_repeat_over_nothing(render):
    assert render('<p tal:repeat="x nothing">x</p>') == ""


def test_xml_template(root):
    template = Template(source='<?xml version="1.0"?>\n<doc tal:content="context/title"/>')
    root["code"]["xml"] = template
    assert template.compiled().program.content_type == "text/xml"
    assert "<doc>Code</doc>" in template.render(user_policy=policy_for(root, "admin"))


def test_template_refuses_source_errors_at_save(root):
    with pytest.raises(SourceError) as caught:
        Template(source='<p>\n<b tal:content="python: 1 +">x</b></p>')
    assert (caught.value.line, caught.value.column) == (2, 24)


def test_template_refuses_unknown_expression_types(root):
    with pytest.raises(SourceError) as caught:
        Template(source='<p tal:content="import: os">x</p>')
    assert "import" in str(caught.value)


def test_template_keeps_old_source_after_a_refused_edit(root):
    template = Template(source="<p>old</p>")
    root["code"]["keep"] = template
    with pytest.raises(SourceError):
        template.edit(source='<p tal:content="python: _x">x</p>')
    assert template.source == "<p>old</p>"
    assert template.render(user_policy=policy_for(root, "admin")) == "<p>old</p>"


def test_template_recompiles_after_an_edit_and_when_loaded_fresh(root, db):
    template = Template(source="<p>one</p>")
    root["code"]["t"] = template
    template.edit(source="<p>two</p>")
    assert template.render(user_policy=policy_for(root, "admin")) == "<p>two</p>"
    template.edit(title="title only")
    assert template.render(user_policy=policy_for(root, "admin")) == "<p>two</p>"
    manager = root._p_jar.transaction_manager
    manager.commit()
    manager.begin()
    # Another connection loads the template from storage, with nothing compiled.
    with site(db) as fresh:
        loaded = fresh["code"]["t"]
        assert loaded is not template
        assert loaded.render(user_policy=policy_for(fresh, "admin")) == "<p>two</p>"


def test_other_processing_instructions_are_kept(render):
    assert render('<p><?php echo 1; ?></p>') == '<p><?php echo 1; ?></p>'


def test_repeat_variables_and_macros_refuse_missing_names():
    from objweb.sandbox.budget import Budget
    from objweb.sandbox.templates import CompiledTemplate, CountingStream, RepeatVariables
    budget = Budget(Limits())
    repeat = RepeatVariables(budget, CountingStream(budget))
    with pytest.raises(AttributeError):
        repeat.missing
    macros = CompiledTemplate('<b metal:define-macro="m">x</b>').macros
    assert macros._code_names == frozenset({"m"})
    with pytest.raises(AttributeError):
        macros.missing
    with pytest.raises(KeyError):
        macros._code_item("missing")


def test_error_location_in_a_template_no_longer_known():
    from objweb.sandbox.templates import _locate
    location = _locate({"__error__": [("expr", 3, 4, "<template gone>", None)]})
    assert (location.path, location.line, location.column) == ("<template gone>", 3, 5)
    assert _locate({}) is None


def test_template_compiled_alone_is_labelled_by_its_filename():
    from objweb.sandbox.templates import CompiledTemplate
    compiled = CompiledTemplate("<p>x</p>")
    assert compiled.owner_label() == compiled.filename


def test_macro_error_points_at_the_macros_template(root):
    root["layout"] = Template(source='<div metal:define-macro="box">\n'
                                     '<b tal:content="python: 1 / 0"/></div>')
    view = Template(source='<div metal:use-macro="context/layout/macros/box"/>')
    root["code"]["v"] = view
    with pytest.raises(CodeError) as caught:
        view.render(user_policy=policy_for(root, "admin"))
    assert "Template /layout, line 2" in caught.value.detail


FAKE_REPEAT = "lambda key, items: (items, 1)"


@pytest.mark.parametrize("binding", [
    f"[1 for repeat in [{FAKE_REPEAT}]]",
    f"{{1 for repeat in [{FAKE_REPEAT}]}}",
    f"{{1: 1 for repeat in [{FAKE_REPEAT}]}}",
    f"list(1 for repeat in [{FAKE_REPEAT}])",
])
def test_finding_14_comprehension_cannot_rebind_repeat(root, binding):
    source = (f'<div tal:condition="python: {binding}">'
              '<p tal:repeat="n context/private" tal:content="n"/></div>')
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert 'cannot bind "repeat"' in str(caught.value)


@pytest.mark.parametrize("source", [
    '<p tal:content="python: [1 for default in [2]]"/>',
    '<p tal:attributes="title python: [1 for nothing in [2]]"/>',
    '<p>${python: [1 for repeat in [2]]}</p>',
])
def test_template_expressions_bind_no_name_the_machinery_relies_on(root, source):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert "cannot bind" in str(caught.value)


def test_template_expressions_still_read_repeat_and_bind_their_own_names(render):
    source = ('<p tal:repeat="n python: [3, 4]" '
              'tal:content="python: [k for k in [repeat[\'n\'].index]]"/>')
    assert render(source) == "<p>[0]</p>\n<p>[1]</p>"


def test_walrus_is_refused_in_template_expressions_with_a_sentence(root):
    with pytest.raises(SourceError) as caught:
        Template(source='<p tal:content="python: (m := 1)"/>')
    assert "use tal:define" in str(caught.value)


def test_macros_of_a_template_compiled_by_trusted_code_render_as_the_caller(render):
    from objweb.sandbox import CompiledTemplate
    macros = CompiledTemplate('<b metal:define-macro="m" tal:content="context/title">x</b>').macros
    source = '<i metal:use-macro="options/macros/m"/>'
    assert render(source, options={"macros": macros}) == "<b>Code</b>"


def test_python_expressions_compare_chain_and_sort_through_the_guards(render):
    source = ('<p tal:define="x python: 2" tal:content="python: [1 < x < 3, '
              '[n for n in range(5) if 1 < n <= 3], max([1, 5, 2]), '
              'sorted({3: 1, 1: 2}.items(), key=lambda p: -p[0])]"/>')
    assert render(source) == "<p>[True, [2, 3], 5, [(3, 1), (1, 2)]]</p>"


@pytest.mark.parametrize("source, expected", [
    ('<p><!-- ${python: 1 + 1} --></p>', "<p><!-- 2 --></p>"),
    ('<p>a &amp; ${python: chr(60)} &lt;</p>', "<p>a &amp; &lt; &lt;</p>"),
], ids=["in a comment", "beside entities"])
def test_interpolation_reads_as_in_chameleon(render, source, expected):
    assert render(source) == expected


def test_an_unknown_tal_attribute_is_refused():
    with pytest.raises(SourceError) as caught:
        Template(source='<p tal:bogus="x">a</p>')
    assert str(caught.value) == \
        "Bad attribute for namespace 'http://xml.zope.org/namespaces/tal' (line 1, column 8)"
