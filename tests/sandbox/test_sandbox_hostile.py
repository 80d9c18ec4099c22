"""Hostile code: sandbox escapes from the published advisories, each refused, with no effect.

Every case is code a manager could save through the web. It is saved (some
are refused right there, with their line), then called by URL, as the site's
Manager unless the case says otherwise. Whatever happens, afterwards no file
was written, no user was added, nothing changed, and the response carries no
secret: not the body of a page only Managers may view (for cases run as a
visitor), no password hash, not the site's secret, no environment variable,
no line of /etc/passwd.

The advisories the cases come from:

- RestrictedPython: CVE-2023-37271 (generator frames), CVE-2023-41039 (format),
  CVE-2024-47532 (`AttributeError.obj`, the string module), CVE-2025-22153
  (`try/except*`), CVE-2026-55830 (positional-only names shadowing guards),
  CVE-2026-76825 (`string.Formatter`), RestrictedPython 9.0 (builtins that
  iterate in C bypass `_getiter_`).
- AccessControl: CVE-2021-32807 (`string.Formatter` subclasses).
- Zope: CVE-2021-32633 and CVE-2021-32674 (traversal in TAL expressions, and
  to modules through allowed modules), CVE-2021-32811 (Script (Python) under
  Python 3), PloneHotfix20170117 and 20171128 (`str.format`).
- Page templates and Chameleon: `<?python ?>` code blocks, `import:` and
  `load:` expressions, Chameleon's internal names, `use-macro` on arbitrary
  objects, dynamic attributes from arbitrary mappings.
- Denial of service through work done in C: huge repetitions, powers,
  shifts, ranges, paddings, formats, factorials, joins and conversions,
  which the time budget cannot interrupt.
"""

import os
from dataclasses import dataclass

import pytest
from webtest import TestApp

import objweb
from objweb import Script, Template
from objweb import Settings
from objweb.errors import SourceError
from sandbox_support import SECRET, base_storage, db  # noqa: F401 (fixtures)
from support import ADMIN_AUTH

ENVIRONMENT_SECRET = "env-secret-51d2c0"


@dataclass(frozen=True)
class Case:
    """One hostile piece of code: where it comes from, what it is, who runs it."""

    name: str
    advisory: str
    source: str
    kind: str = "script"
    visitor: bool = False
    params: str = ""

    def __str__(self) -> str:
        return self.name


S, T = "script", "template"
CASES = [
    # -- frames through generators (CVE-2023-37271) --
    Case("gi_frame_attribute", "CVE-2023-37271",
         "g = (x for x in [1])\nreturn g.gi_frame.f_back.f_builtins"),
    Case("gi_frame_getattr", "CVE-2023-37271",
         "g = (x for x in [1])\nreturn getattr(g, 'gi_frame')"),
    Case("gi_code_getattr", "CVE-2023-37271",
         "def gen():\n    yield 1\nreturn getattr(gen(), 'gi_code')"),
    Case("gi_frame_self_reference", "CVE-2023-37271",
         "q = (q.gi_frame.f_back.f_back for _ in (1,))\nreturn [x for x in q][0]"),
    Case("gi_yieldfrom", "CVE-2023-37271",
         "def gen():\n    yield from [1]\ng = gen()\nnext(g)\nreturn getattr(g, 'gi_yieldfrom')"),
    Case("frame_in_template", "CVE-2023-37271",
         '<p tal:content="python: (x for x in [1]).gi_frame">x</p>', T),
    Case("frame_by_getattr_in_template", "CVE-2023-37271",
         '<p tal:content="python: getattr((x for x in [1]), \'gi_frame\')">x</p>', T),
    # -- str.format and friends (CVE-2023-41039, Plone hotfixes 2017) --
    Case("format_class", "CVE-2023-41039", "return '{0.__class__.__mro__}'.format(1)"),
    Case("format_globals", "CVE-2023-41039", "return '{0.__globals__}'.format(lambda: 1)"),
    Case("format_map_class", "CVE-2023-41039",
         "return '{a.__class__}'.format_map({'a': 1})"),
    Case("unbound_str_format", "PloneHotfix20171128",
         "return str.format('{0.__class__}', 1)"),
    Case("format_p_jar", "CVE-2023-41039", "return '{0._p_jar}'.format(context)"),
    Case("format_generator_frame", "CVE-2023-41039",
         "return '{0.gi_frame}'.format(x for x in [1])"),
    Case("format_reads_protected", "CVE-2023-41039",
         "return '{0.private.secret.body}'.format(context)", visitor=True),
    Case("format_item_protected", "CVE-2023-41039",
         "return '{0[private][secret].body}'.format(context)", visitor=True),
    Case("fstring_class", "CVE-2023-41039", "return f'{context.__class__}'"),
    Case("fstring_huge_width", "CVE-2023-41039", "return f'{context!r:>{10**10}}'"),
    Case("format_builtin_spec", "PloneHotfix20170117",
         "return format(context, '{0.__class__}')"),
    # -- the string module (CVE-2021-32807, CVE-2021-32811, CVE-2024-47532, CVE-2026-76825) --
    Case("formatter_subclass", "CVE-2021-32807",
         "import string\nclass F(string.Formatter):\n    pass\nreturn F"),
    Case("formatter_get_field", "CVE-2026-76825",
         "import string\nreturn string.Formatter().get_field('0.__class__', [1], {})"),
    Case("formatter_import", "CVE-2021-32811", "from string import Formatter\nreturn Formatter"),
    Case("string_template", "CVE-2024-47532", "import string\nreturn string.Template('$x')"),
    Case("string_private_module", "CVE-2024-47532",
         "import string\nreturn getattr(string, '_re')"),
    # -- AttributeError.obj (CVE-2024-47532) --
    Case("attribute_error_obj", "CVE-2024-47532",
         "try:\n    context.nothing\nexcept AttributeError as e:\n    return e.obj"),
    Case("attribute_error_name", "CVE-2024-47532",
         "try:\n    context.nothing\nexcept AttributeError as e:\n    return getattr(e, 'obj')"),
    # -- try/except* (CVE-2025-22153) --
    Case("except_star", "CVE-2025-22153",
         "try:\n    pass\nexcept* ValueError:\n    pass"),
    # -- guard names shadowed by positional-only parameters (CVE-2026-55830) --
    Case("positional_only_shadow", "CVE-2026-55830",
         "def f(_getattr_, /):\n    return _getattr_\nreturn f(getattr)"),
    Case("positional_only_in_params", "CVE-2026-55830", "return 1", params="_write_, /"),
    Case("positional_only_lambda", "CVE-2026-55830",
         "return (lambda _getiter_, /: _getiter_)(1)"),
    # -- names starting with _ and introspection (RestrictedPython) --
    Case("subclasses_walk", "RestrictedPython",
         "return ().__class__.__bases__[0].__subclasses__()"),
    Case("dict_by_getattr", "RestrictedPython", "return getattr(context, '__dict__')"),
    Case("bound_method_self", "RestrictedPython", "return getattr(context.keys, '__self__')"),
    Case("builtins_name", "RestrictedPython", "return __builtins__"),
    Case("dunder_import", "RestrictedPython", "return __import__('os')"),
    Case("guard_by_name", "RestrictedPython", "x = _getattr_\nreturn x"),
    Case("mro_attribute", "RestrictedPython", "return getattr(ValueError, 'mro')()"),
    # -- builtins code does not have (RestrictedPython, AccessControl) --
    Case("type_builtin", "RestrictedPython", "return type(context)"),
    Case("vars_builtin", "RestrictedPython", "return vars(context)"),
    Case("dir_builtin", "RestrictedPython", "return dir(context)"),
    Case("globals_builtin", "RestrictedPython", "return globals()"),
    Case("open_builtin", "RestrictedPython", "return open('/etc/passwd').read()"),
    Case("open_for_writing", "RestrictedPython", "open('{canary}', 'w').write('x')"),
    Case("eval_builtin", "RestrictedPython", "return eval('1 + 1')"),
    Case("exec_builtin", "RestrictedPython", "exec('import os')"),
    Case("compile_builtin", "RestrictedPython", "return compile('1', 'x', 'eval')"),
    Case("setattr_builtin", "RestrictedPython", "setattr(context, 'title', 'x')"),
    Case("breakpoint_builtin", "RestrictedPython", "breakpoint()"),
    Case("iter_sentinel", "RestrictedPython", "return list(iter(int, 1))"),
    Case("object_builtin", "RestrictedPython", "return object"),
    # -- modules (CVE-2021-32633, CVE-2021-32674) --
    Case("import_os", "CVE-2021-32674", "import os\nos.system('touch {canary}')"),
    Case("json_codecs", "CVE-2021-32674", "import json\nreturn json.codecs.open('{canary}', 'w')"),
    Case("random_os", "CVE-2021-32674", "import random\nreturn getattr(random, '_os')"),
    Case("datetime_sys", "CVE-2021-32674", "import datetime\nreturn datetime.sys.modules"),
    Case("from_json_decoder", "CVE-2021-32674", "from json import decoder\nreturn decoder"),
    Case("from_json_submodule", "CVE-2021-32674", "from json import encoder\nreturn str(encoder)"),
    Case("import_importlib", "CVE-2021-32674",
         "import importlib\nimportlib.import_module('os').system('touch {canary}')"),
    Case("poison_json", "CVE-2021-32674", "import json\njson.dumps = len"),
    Case("poison_math", "CVE-2021-32674", "import math\nmath.pi = 3"),
    Case("module_loader", "CVE-2021-32674", "import math\nreturn getattr(math, '__loader__')"),
    Case("template_modules_os", "CVE-2021-32674", '<p tal:content="modules/os/system">x</p>', T),
    Case("template_modules_codecs", "CVE-2021-32674",
         '<p tal:content="modules/json/codecs/open">x</p>', T),
    Case("template_modules_item", "CVE-2021-32674",
         '<p tal:content="python: modules[\'subprocess\']">x</p>', T),
    Case("template_path_globals", "CVE-2021-32633",
         '<p tal:content="context/__class__/__init__/__globals__">x</p>', T),
    Case("template_path_p_jar", "CVE-2021-32633", '<p tal:content="context/_p_jar/db">x</p>', T),
    Case("template_path_dynamic_underscore", "CVE-2021-32633",
         '<p tal:define="n string:_p_jar" tal:content="context/?n">x</p>', T),
    Case("template_request_environ", "CVE-2021-32633",
         '<p tal:content="request/environ">x</p>', T),
    Case("template_request_internals", "CVE-2021-32633",
         '<p tal:content="python: request._request.environ">x</p>', T),
    # -- Chameleon --
    Case("python_code_block", "Chameleon",
         "<?python import os; os.system('touch {canary}') ?><p>x</p>", T),
    Case("import_expression", "Chameleon", '<p tal:content="import: os.system">x</p>', T),
    Case("load_expression", "Chameleon", '<p tal:content="load: /etc/passwd">x</p>', T),
    Case("python_dunder_import", "Chameleon",
         '<p tal:content="python: __import__(\'os\').system(\'touch {canary}\')">x</p>', T),
    Case("econtext_name", "Chameleon",
         '<p tal:content="python: econtext[\'__translate\']">x</p>', T),
    Case("define_internal_name", "Chameleon",
         '<p tal:define="__translate python: getattr">x</p>', T),
    Case("define_repeat", "Chameleon", '<p tal:define="repeat python: 1">x</p>', T),
    Case("comprehension_rebinds_repeat", "issue 12, finding 14",
         '<div tal:condition="python: [1 for repeat in [lambda k, i: (i, 1)]]">'
         '<p tal:repeat="n context/private" tal:content="python: context.private[n].body"/>'
         '</div>', T, visitor=True),
    Case("use_macro_dict", "Chameleon",
         '<p metal:use-macro="python: {\'include\': getattr}">x</p>', T),
    Case("dict_attributes_folder", "Chameleon", '<p tal:attributes="context/private">x</p>', T),
    Case("open_in_template", "Chameleon",
         '<p tal:content="python: open(\'/etc/passwd\').read()">x</p>', T),
    # -- the site's own machinery: users, permissions, the database --
    Case("add_user", "Zope", "return container.acl_users.add_user('evil', 'pw', roles=['Manager'])"),
    Case("add_user_by_item", "Zope",
         "return container['acl_users'].add_user('evil', 'pw', roles=['Manager'])"),
    Case("password_hash", "Zope", "return container.acl_users.get_user('admin').password_hash"),
    Case("user_records", "Zope", "return getattr(container.acl_users, '_users')"),
    Case("grant_view", "Zope", "container.manage_permission('View', ['Anonymous'])"),
    Case("local_roles", "Zope", "container.manage_setLocalRoles('alice', ['Manager'])"),
    Case("change_owner", "Zope", "context.change_owner('alice')"),
    Case("own_proxy_roles", "Zope", "script.set_proxy_roles(['Manager'])"),
    Case("database_connection", "Zope", "return context._p_jar.db()"),
    Case("database_by_getattr", "Zope", "return getattr(context, '_p_jar')"),
    Case("site_secret", "Zope", "return getattr(getattr(context, '_p_jar'), 'root')()"),
    Case("write_attribute", "Zope", "context.title = 'pwned'"),
    Case("delete_item", "Zope", "del container['news']"),
    Case("remove_item", "Zope", "container.remove('news')"),
    # -- reading what the user may not read, through every channel --
    Case("read_protected", "Zope", "return context.private.secret.body", visitor=True),
    Case("read_protected_values", "Zope",
         "return [o.body for o in context.private.values()]", visitor=True),
    Case("sorted_protected", "RestrictedPython 9.0", "return sorted(context.private)", visitor=True),
    Case("join_protected", "RestrictedPython 9.0", "return ''.join(context.private)", visitor=True),
    Case("star_protected", "RestrictedPython 9.0", "return [*context.private]", visitor=True),
    Case("double_star_protected", "RestrictedPython 9.0", "return {**context.private}",
         visitor=True),
    Case("fromkeys_protected", "RestrictedPython 9.0", "return {}.fromkeys(context.private)",
         visitor=True),
    Case("max_protected", "RestrictedPython 9.0", "return max(context.private)", visitor=True),
    Case("yield_from_protected", "RestrictedPython 9.0",
         "def g():\n    yield from context.private\nreturn list(g())", visitor=True),
    Case("set_union_protected", "RestrictedPython 9.0",
         "return set().union(context.private)", visitor=True),
    Case("template_path_protected", "Zope",
         '<p tal:content="context/private/secret/body">x</p>', T, visitor=True),
    Case("template_repeat_protected", "Zope",
         '<p tal:repeat="n context/private" tal:content="n">x</p>', T, visitor=True),
    Case("template_string_protected", "Zope",
         '<p tal:content="string:${context/private/secret/body}">x</p>', T, visitor=True),
    # -- work in C the time budget cannot interrupt --
    Case("repeat_text", "DoS", "return 'x' * 10**10"),
    Case("power", "DoS", "return 2 ** 10 ** 10"),
    Case("pow_builtin", "DoS", "return pow(10, 10**10)"),
    Case("shift", "DoS", "return 1 << 10**10"),
    Case("range_list", "DoS", "return list(range(10**10))"),
    Case("repeat_list", "DoS", "return [0] * 10**10"),
    Case("percent_width", "DoS", "return '%10000000000s' % 'x'"),
    Case("format_width", "DoS", "return '{:>10000000000}'.format('x')"),
    Case("center", "DoS", "return 'x'.center(10**10)"),
    Case("expandtabs", "DoS", "return '\\t'.expandtabs(10**10)"),
    Case("replace_amplified", "DoS", "return ('a' * 10**6).replace('', 'b' * 100)"),
    Case("join_amplified", "DoS", "return ''.join(['x' * 10**6] * 10**6)"),
    Case("factorial", "DoS", "import math\nreturn math.factorial(10**7)"),
    Case("str_of_shared_list", "DoS", "s = 'x' * 10**6\nreturn str([s] * 10**6)"),
    Case("json_of_shared_list", "DoS", "import json\ns = 'x' * 10**6\nreturn json.dumps([s] * 10**6)"),
    Case("bytes_of_size", "DoS", "return bytes(10**10)"),
    Case("to_bytes", "DoS", "return (1).to_bytes(10**10, 'big')"),
    Case("sum_of_lists", "DoS", "return sum([[1]] * 10**6, [])"),
    Case("round_to_huge", "DoS", "return round(5, -10**8)"),
    Case("random_choices", "DoS", "import random\nreturn random.choices([1], k=10**10)"),
    Case("json_indent", "DoS", "import json\nreturn json.dumps([1], indent=10**9)"),
    Case("extend_doubling", "DoS", "l = [1]\nwhile True:\n    l.extend(l)"),
    Case("concat_doubling", "DoS", "s = 'x'\nwhile True:\n    s += s"),
    Case("endless_loop", "DoS", "while True:\n    pass"),
    Case("endless_loop_caught", "DoS", "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass"),
    Case("endless_finally", "DoS",
         "def f():\n    try:\n        while True:\n            pass\n    finally:\n        return 1\nwhile True:\n    f()"),
    Case("endless_recursion_lambda", "DoS", "f = lambda n: f(n) + f(n)\nreturn f(1)"),
    Case("template_nested_repeat", "DoS",
         '<p tal:repeat="a python: range(1000000)"><b tal:repeat="b python: range(1000000)"/></p>', T),
    Case("template_on_error_loop", "DoS",
         '<p tal:on-error="string:x"><b tal:repeat="a python: range(1000000)">'
         '<i tal:repeat="b python: range(1000000)"/></b></p>', T),
]


def test_the_table_has_at_least_sixty_cases():
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.fixture
def hostile_site(db, tmp_path, monkeypatch):
    """The site the cases run in, its canary path, and a secret in the environment."""
    monkeypatch.setenv("OBJWEB_SANDBOX_TEST_SECRET", ENVIRONMENT_SECRET)
    with objweb.site(db) as root:
        root["news"] = objweb.Folder(title="News")
        root["private"] = objweb.Folder(title="Private")
        root["private"].manage_permission("View", ["Manager"], acquire=False)
        root["private"].manage_permission("Access contents information", ["Manager"],
                                          acquire=False)
        root["private"]["secret"] = objweb.Page(title="Secret", body=SECRET)
        secret = root._p_jar.root()["objweb.secret"]
        admin_hash = root["acl_users"].get_user("admin").password_hash
    return db, tmp_path / "canary", secret, admin_hash


def _save(db, case: Case, canary) -> str | None:
    """Save the case's code as the Manager would; return the refusal if it was refused."""
    source = case.source.replace("{canary}", str(canary))
    try:
        with objweb.site(db, user="admin") as root:
            code = Template(source=source) if case.kind == T else \
                Script(params=case.params, body=source)
            root["hostile"] = code
    except SourceError as error:
        return str(error)
    return None


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_code_is_refused_without_effect(hostile_site, case):
    db, canary, site_secret, admin_hash = hostile_site
    refusal = _save(db, case, canary)
    if refusal is not None:
        assert "line" in refusal or "expression type" in refusal
        response_text = refusal
    else:
        app = TestApp(objweb.make_app(db, Settings(code_time_budget=0.5)))
        headers = {} if case.visitor else ADMIN_AUTH
        response = app.get("/hostile", headers=headers, expect_errors=True)
        assert response.status_int in (400, 401, 403, 404, 500, 503), response.text[:300]
        response_text = response.text + str(response.headers)
    assert not canary.exists()
    assert ENVIRONMENT_SECRET not in response_text
    assert "root:x:0:0" not in response_text
    assert "$argon2" not in response_text and admin_hash not in response_text
    assert site_secret.hex() not in response_text and repr(site_secret) not in response_text
    if case.visitor:
        assert SECRET not in response_text
    with objweb.site(db) as root:
        assert root["acl_users"].user_names() == ["admin", "alice", "editor"]
        assert root.title == "objweb" and "news" in root
        assert "Anonymous" not in str(root._security.permissions if root._security else "")
        assert root.owner is None
    assert os.environ.get("OBJWEB_SANDBOX_TEST_SECRET") == ENVIRONMENT_SECRET
