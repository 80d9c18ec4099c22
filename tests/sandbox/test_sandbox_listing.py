"""What a folder code may not list holds stays unknown to code, by every route.

`/private` holds the Page `secret`; `/vault`, with the same settings, is
empty. For a user who may not list either, every probe below (membership,
length, names read as attributes, acquisition through them, operators and
functions that iterate in C) must come out the same for a name the folder
holds as for one it does not, and for the full folder as for the empty one.
"""

import pytest

from objweb.content import Folder, Script
from objweb.errors import AccessDenied
from objweb.sandbox import CodeError
from objweb.security.permissions import ACCESS_CONTENTS, MANAGER, VIEW

PROBES = {
    "in": "return NAME in FOLDER",
    "not_in": "return NAME not in FOLDER",
    "in_chain": "return 0 < 1 < 2 and NAME in FOLDER",
    "len": "return len(FOLDER)",
    "attribute": "return getattr(FOLDER, NAME)",
    "attribute_default": "return getattr(FOLDER, NAME, 'none')",
    "attribute_error_text": ("try:\n    getattr(FOLDER, NAME)\nexcept AttributeError as error:\n"
                             "    return str(error)\nreturn 'found'"),
    "slice_assignment": "names = []\nnames[:] = FOLDER\nreturn names",
    "dict_update_operator": "names = {}\nnames |= FOLDER\nreturn list(names)",
    "dict_view_union": "return sorted({}.keys() | FOLDER)",
    "dict_view_difference": "return sorted({NAME: 1}.keys() - FOLDER)",
    "fsum": "import math\nreturn math.fsum(FOLDER)",
    "dist": "import math\nreturn math.dist(FOLDER, FOLDER)",
    "random_choice": "import random\nreturn random.choice(FOLDER)",
}
# Probes that told nothing before issue 12 already; kept, so that they stay so.
HELD = {
    "hasattr": "return hasattr(FOLDER, NAME)",
    "item": "return FOLDER[NAME]",
    "get": "return FOLDER.get(NAME)",
    "truth": "return bool(FOLDER)",
    "text": "return str(FOLDER).replace(FOLDER_NAME, 'folder').split(' at ')[0]",
}
TEMPLATE_PROBES = {
    "template_in": '<p tal:content="python: NAME in FOLDER"/>',
    "template_len": '<p tal:content="python: len(FOLDER)"/>',
    "template_exists": '<p tal:content="exists: context/FOLDER_NAME/NAME_TEXT"/>',
    "template_path": '<p tal:content="context/FOLDER_NAME/NAME_TEXT | string:none"/>',
    "template_condition": '<p tal:condition="FOLDER_PATH">shown</p>',
}


@pytest.fixture
def vault(root):
    root["vault"] = Folder(title="Vault")
    root["vault"].manage_permission(VIEW, [MANAGER], acquire=False)
    root["vault"].manage_permission(ACCESS_CONTENTS, [MANAGER], acquire=False)
    return root["vault"]


def _outcome(call):
    try:
        return ("result", call())
    except CodeError as error:
        return (type(error.__cause__).__name__, str(error.__cause__))
    except AccessDenied as error:
        return (type(error).__name__, str(error))


def _script_outcome(root, run_script, probe: str, folder: str, name: str):
    body = (probe.replace("FOLDER_NAME", repr(folder)).replace("FOLDER", f"context[{folder!r}]")
            .replace("NAME", repr(name)))
    return _outcome(lambda: run_script(body, user="alice", context=root))


def _assert_uniform(root, run_script, probe: str) -> None:
    outcomes = {(folder, name): _script_outcome(root, run_script, probe, folder, name)
                for folder in ("private", "vault") for name in ("secret", "nothing")}
    assert len(set(map(repr, outcomes.values()))) == 1, outcomes
    assert "secret" not in repr(list(outcomes.values()))


@pytest.mark.parametrize("probe", PROBES)
def test_finding_15_in_len_and_errors_tell_nothing_of_a_folder_code_may_not_list(
        root, vault, run_script, probe):
    _assert_uniform(root, run_script, PROBES[probe])


@pytest.mark.parametrize("probe", HELD)
def test_other_probes_tell_nothing_either(root, vault, run_script, probe):
    _assert_uniform(root, run_script, HELD[probe])


@pytest.mark.parametrize("probe", TEMPLATE_PROBES)
def test_templates_learn_nothing_of_a_folder_they_may_not_list(root, vault, render, probe):
    def source(folder, name):
        return (TEMPLATE_PROBES[probe].replace("FOLDER_NAME", folder)
                .replace("FOLDER_PATH", f"context/{folder}")
                .replace("FOLDER", f"context[{folder!r}]").replace("NAME_TEXT", name)
                .replace("NAME", repr(name)))
    outcomes = {(folder, name): _outcome(lambda: render(source(folder, name), user="alice",
                                                          context=root))
                for folder in ("private", "vault") for name in ("secret", "nothing")}
    assert len(set(map(repr, outcomes.values()))) == 1, outcomes


def test_acquisition_passes_over_what_code_may_not_list(root, run_script):
    root["tool"] = Script(body="return 'from the root'")
    root["private"]["tool"] = Script(body="return 'from private'")
    root["private"]["inner"] = Folder(title="Inner")
    inner = root["private"]["inner"]
    assert run_script("return context.tool()", user="alice", context=inner) == "from the root"
    assert run_script("return context.tool()", user="admin", context=inner) == "from private"


def test_names_not_acquired_on_a_folder_code_may_not_list_raise_the_denial(root, run_script):
    for name in ("secret", "nothing"):
        with pytest.raises(AccessDenied):
            run_script(f"return context.private.{name}", user="alice", context=root)
        with pytest.raises(AccessDenied):
            run_script(f"return context.private.{name}", user=None, context=root)


def test_code_that_may_list_a_folder_sees_all_of_it(root, run_script):
    body = ("names = []\nnames[:] = context.private\n"
            "return ['secret' in context.private, len(context.private), names, "
            "context.private.secret.title]")
    assert run_script(body, user="admin", context=root) == [True, 1, ["secret"], "Secret"]
