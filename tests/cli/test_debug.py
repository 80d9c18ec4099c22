"""`objweb debug`: a Python shell with the site bound, driven through its standard input."""

from support import run_objweb

from cli_support import stored_site


def debug(home, lines: list[str]):
    return run_objweb(["debug"], home, input="\n".join(lines) + "\n")


def test_the_banner_says_what_is_bound(home):
    result = debug(home, ["print(type(app).__name__, sorted(app.keys()))",
                          "print(transaction.__name__, callable(commit), db is not None)"])
    assert result.returncode == 0, result.stderr
    assert "Folder ['acl_users']" in result.stdout
    assert "transaction True True" in result.stdout
    for name in ("app ", "transaction ", "commit()", "db "):
        assert name in result.stderr


def test_commit_saves_changes(home):
    result = debug(home, [
        "from objweb import Folder, Page",
        "app['news'] = Folder(title='News')",
        "app['news']['hello'] = Page(title='Hello', body='<p>Hi</p>')",
        "commit()",
    ])
    assert result.returncode == 0, result.stderr
    with stored_site(home) as root:
        assert root["news"]["hello"].title == "Hello"


def test_nothing_is_saved_without_commit(home):
    result = debug(home, [
        "from objweb import Page",
        "app['kept'] = Page(title='Kept')",
        "commit('the first change')",
        "app['dropped'] = Page()",
        "transaction.abort()",
        "app['also_dropped'] = Page()",
    ])
    assert result.returncode == 0, result.stderr
    with stored_site(home) as root:
        assert "kept" in root and "dropped" not in root and "also_dropped" not in root


def test_errors_in_the_shell_do_not_end_it(home):
    result = debug(home, ["app['missing']", "print('still here')"])
    assert result.returncode == 0
    assert "KeyError" in result.stderr and "still here" in result.stdout
