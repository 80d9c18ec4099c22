"""`objweb run SCRIPT ARGS...`: sys.argv set, `app` bound, saved only if the script commits."""

import json

from support import run_objweb

from cli_support import one_sentence, stored_site


def write(home, name: str, source: str):
    (home / name).write_text(source)
    return name


def test_the_script_gets_its_arguments_and_the_site(home):
    script = write(home, "show.py", "\n".join([
        "import json, sys",
        "print(json.dumps({'argv': sys.argv, 'name': __name__, 'keys': sorted(app.keys())}))",
    ]))
    result = run_objweb(["run", script, "one", "--two", "3"], home)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout.strip().splitlines()[-1])
    assert output == {"argv": ["show.py", "one", "--two", "3"], "name": "__main__",
                      "keys": ["acl_users"]}


def test_changes_are_saved_only_if_the_script_commits(home):
    script = write(home, "change.py", "\n".join([
        "import sys, transaction",
        "from objweb import Page",
        "app['committed'] = Page(title=sys.argv[1])",
        "transaction.commit()",
        "app['left_over'] = Page()",
    ]))
    assert run_objweb(["run", script, "First"], home).returncode == 0
    with stored_site(home) as root:
        assert root["committed"].title == "First" and "left_over" not in root


def test_commit_is_bound_too(home):
    script = write(home, "bound.py", "from objweb import Folder\n"
                                     "app['f'] = Folder()\ncommit('made f')\n")
    assert run_objweb(["run", script], home).returncode == 0
    with stored_site(home) as root:
        assert "f" in root


def test_a_failing_script_saves_nothing_and_exits_non_zero(home):
    script = write(home, "fail.py", "from objweb import Page\n"
                                    "app['half'] = Page()\nraise SystemExit(3)\n")
    result = run_objweb(["run", script], home)
    assert result.returncode == 3
    with stored_site(home) as root:
        assert "half" not in root


def test_a_script_error_shows_the_scripts_traceback(home):
    script = write(home, "broken.py", "x = 1\nundefined_name\n")
    result = run_objweb(["run", script], home)
    assert result.returncode == 1
    assert "NameError" in result.stderr and 'broken.py", line 2' in result.stderr


def test_modules_beside_the_script_can_be_imported(home):
    write(home, "helper_module.py", "VALUE = 42\n")
    script = write(home, "uses.py", "import helper_module\nprint(helper_module.VALUE)\n")
    result = run_objweb(["run", script], home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("42")


def test_a_missing_script_is_one_sentence(home):
    result = run_objweb(["run", "nope.py", "arg"], home)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "run") == "no such script: nope.py"
