"""Fixtures for the sandbox suites: a small site in a real database, and code runners.

`root` is the site's root folder in an open transaction (aborted after the
test). The tree holds `/news` (with the Page `hello`), a folder `/private`
that only Managers may view, a Page `/private/secret`, and users `admin`
(Manager), `editor` (Editor) and `alice` (no role). `run_script` and
`render` make a Script or Template under `/code` and run it as a given user.
"""

import pytest
import transaction

from objweb.content import Folder, Page, Script, Template
from objweb.content.site import site_root
from objweb.sandbox import CodeError, CodeLimitError, Limits
from objweb.sandbox.run import execute
from objweb.security.permissions import ACCESS_CONTENTS, MANAGER, VIEW
from sandbox_support import SECRET, add_code, base_storage, db, policy_for  # noqa: F401



@pytest.fixture
def root(db):
    """The site's root folder, with a small tree, in a transaction aborted afterwards."""
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    manager.begin()
    site = site_root(connection)
    site["news"] = Folder(title="News")
    site["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
    site["private"] = Folder(title="Private")
    site["private"].manage_permission(VIEW, [MANAGER], acquire=False)
    site["private"].manage_permission(ACCESS_CONTENTS, [MANAGER], acquire=False)
    site["private"]["secret"] = Page(title="Secret", body=SECRET)
    site["code"] = Folder(title="Code")
    yield site
    manager.abort()
    connection.close()


@pytest.fixture
def run_script(root):
    """Return a function running a Script body as a user; it returns what the Script returns."""
    def run(body, params="", *, user="admin", context=None, owner=None, limits=None,
            args=(), kwargs=None, where=None, request=None, subpath=()):
        script = add_code(root, Script(params=params, body=body), owner=owner, where=where)
        return script.run(context, args=args, kwargs=kwargs, request=request, subpath=subpath,
                          user_policy=policy_for(root, user), limits=limits or Limits())
    return run


@pytest.fixture
def render(root):
    """Return a function rendering a Template source as a user; it returns the text."""
    def run(source, *, user="admin", context=None, owner=None, limits=None, options=None,
            where=None, request=None):
        template = add_code(root, Template(source=source), owner=owner, where=where)
        return template.render(context, options=options, request=request,
                               user_policy=policy_for(root, user), limits=limits or Limits())
    return run


@pytest.fixture
def within(root):
    """Return a function calling `function(run)` inside a run, as a user, for unit tests."""
    def call(function, *, user="admin", limits=None, request=None):
        script = add_code(root, Script(body="return None"))
        return execute(script, function, request=request, user_policy=policy_for(root, user),
                       limits=limits or Limits())
    return call


@pytest.fixture
def refusal(within):
    """Return a function running `function(run)` in a run and returning what it raised.

    A failure the run's boundary wrapped comes back unwrapped; a limit comes
    back as the `CodeLimitError`; a denial as itself. Fails if nothing was raised.
    """
    def call(function, **options):
        try:
            within(function, **options)
        except CodeLimitError as error:
            return error
        except CodeError as error:
            return error.__cause__
        except Exception as error:  # noqa: BLE001 (denials pass the boundary as they are)
            return error
        raise AssertionError("nothing was refused")
    return call


@pytest.fixture
def refused(run_script):
    """Return a function running a Script body and returning what it raised (unwrapped)."""
    def call(body, params="", **options):
        try:
            run_script(body, params, **options)
        except CodeLimitError as error:
            return error
        except CodeError as error:
            return error.__cause__
        except Exception as error:  # noqa: BLE001 (denials pass the boundary as they are)
            return error
        raise AssertionError("nothing was refused")
    return call


@pytest.fixture
def told(refused):
    """Return a function running a Script body and returning what it was refused with, as text.

    A limit reads as the budget's own words (`BudgetExceeded: ...`), without
    the run's framing.
    """
    def call(body, **options):
        error = refused(body, **options)
        if isinstance(error, CodeLimitError):
            error = error.__cause__
        return f"{type(error).__name__}: {error}"
    return call
