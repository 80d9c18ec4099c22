"""Helpers the sandbox suites share: a quick database, users' policies, adding code.

Hashing passwords is slow by design, so the `db` fixture here layers each
test's changes over one base storage, made once, that already holds the
users admin (Manager), editor (Editor) and alice (no role). Suites import
`base_storage` and `db` to use it instead of the shared `db` fixture.
"""

import contextlib
import itertools
import re
import signal

import pytest
import transaction
import ZODB
from ZODB.DemoStorage import DemoStorage

import objweb
from objweb.sandbox import CodeError, CodeLimitError, Limits

from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL
from support import ADMIN, ADMIN_PASSWORD

# The body of the Page /private/secret, which only Managers may view.
SECRET = "the-private-marker-7f3a"
_names = itertools.count(1)


def policy_for(root, login: str | None) -> SecurityPolicy:
    """Return the security policy of user `login` (None: an anonymous visitor)."""
    if login is None:
        return SecurityPolicy(ANONYMOUS_PRINCIPAL)
    return SecurityPolicy(principal_by_login(root, login))


def add_code(root, obj, *, owner: str | None = None, where=None):
    """Add `obj` under a fresh name in `where` (default `/code`), owned by `owner`."""
    where = root["code"] if where is None else where
    name = f"c{next(_names)}"
    where[name] = obj
    obj.owner = owner
    return obj


@pytest.fixture(scope="session")
def base_storage():
    """A storage holding a bootstrapped site and its users, made once per session."""
    database = objweb.open_db("memory://")
    objweb.bootstrap(database, admin=ADMIN, password=ADMIN_PASSWORD)
    with objweb.site(database) as site:
        site["acl_users"].add_user("editor", "pw-editor", roles=["Editor"])
        site["acl_users"].add_user("alice", "pw-alice")
    yield database.storage
    database.close()


@pytest.fixture
def db(base_storage):
    """A fresh database (with blobs) over the shared base storage."""
    database = ZODB.DB(DemoStorage(name="test", base=base_storage, close_base_on_close=False))
    yield database
    transaction.abort()
    database.close()


@contextlib.contextmanager
def ends_within(seconds: float, what: str):
    """Fail with `TimeoutError` if the block is still running after `seconds`.

    For code that would otherwise never end: a test of it must fail, not hang.
    """
    def stop(signal_number, frame):
        raise TimeoutError(f"{what} did not end within {seconds} seconds")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def outcome(run_script, body, *, args=(), **limits):
    """Return what a Script answers, or (kind, message) for what stopped it.

    The kind is "limit" for a limit (its message without the Script's path),
    else the name of the error's type. `args` go to a parameter `items`.
    """
    params = "items" if args else ""
    try:
        return run_script(body, params, args=args, limits=Limits(**limits))
    except CodeLimitError as error:
        return ("limit", re.sub(r"^The Script at \S+ ", "", str(error)))
    except CodeError as error:
        return (type(error.__cause__).__name__, str(error.__cause__))


def stopped(what: str) -> tuple:
    """Return the outcome of a run stopped at a limit, after `what` the code tried."""
    return ("limit", f"{what} and was stopped; its changes were not kept.")


def built_past_limit(what: str) -> tuple:
    """Return the outcome of a run stopped for building `what` ("a list of 20 items ...")."""
    return stopped(f"tried to build {what}")


def worked_past_limit(what: str, units: str, limit: str) -> tuple:
    """Return the outcome of a run stopped for `what` taking `units` of work over `limit`."""
    return stopped(f"tried {what}, about {units} units of work at once "
                   f"(at most {limit}; a unit is about a nanosecond)")
