"""A wrong user name and a wrong password are refused alike: same answer, same work, same time."""

import re

import pytest
from argon2 import PasswordHasher, extract_parameters

from webtest import TestApp

import objweb
from objweb import Folder, Settings, UserFolder
from objweb.security import passwords
from objweb.security.authentication import verified_credentials
from support import ADMIN, BROWSER_ACCEPT, basic_auth


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["team"] = Folder()
        root["team"]["acl_users"] = UserFolder()
        root["team"]["acl_users"].add_user("carol", "carol-pw")
    return db


class CountingHasher(PasswordHasher):
    """argon2's own hasher, counting the hashes it computes to verify, and against what."""

    verified = 0
    against: list[str] = []

    def verify(self, hash, password):  # noqa: A002 (argon2's parameter name)
        CountingHasher.verified += 1
        CountingHasher.against.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def counting(monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    CountingHasher.verified = 0
    CountingHasher.against = []
    return CountingHasher


def headers_of(response) -> dict:
    return {name: value for name, value in response.headers.items()
            if name not in ("Set-Cookie",)}


@pytest.mark.parametrize("accept", [{}, {"Accept": "application/json"}])
def test_basic_refusals_are_identical(site, app, accept):
    unknown = app.get("/", headers={**basic_auth("nobody", "pw"), **accept}, status=401)
    wrong = app.get("/", headers={**basic_auth(ADMIN, "pw"), **accept}, status=401)
    assert unknown.body == wrong.body
    assert headers_of(unknown) == headers_of(wrong)


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


def form_refusal(app, login):
    form = app.get("/@@login", headers=BROWSER_ACCEPT, status=200).forms[0]
    form["login"], form["password"] = login, "not the password"
    return form.submit(headers=BROWSER_ACCEPT, status=401)


def test_form_refusals_are_identical(site, app):
    unknown = form_refusal(app, "nobody")
    wrong = form_refusal(app, ADMIN)
    assert "The user name or the password is wrong." in wrong.text
    assert without_token(unknown.text) == without_token(wrong.text)
    assert "nobody" not in unknown.text and 'value="admin"' not in wrong.text
    assert sorted(headers_of(unknown)) == sorted(headers_of(wrong))


@pytest.mark.parametrize("login,path", [("nobody", "/"), (ADMIN, "/"), ("nobody", "/team"),
                                        ("carol", "/team"), (ADMIN, "/team")])
def test_every_refusal_costs_exactly_one_hash(site, app, counting, login, path):
    app.get(path, headers=basic_auth(login, "wrong"), status=401)
    assert counting.verified == 1


def test_a_success_costs_one_hash_then_none_for_a_minute(site, app, counting):
    verified_credentials.forget()
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=200)
    assert counting.verified == 1
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=200)
    assert counting.verified == 1
    # A wrong password right after a right one still costs its hash.
    app.get("/team", headers=basic_auth("carol", "carol-pw!"), status=401)
    assert counting.verified == 2


def test_a_remembered_password_stops_working_once_changed(site, app, db):
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=200)
    with objweb.site(db) as root:
        root["team"]["acl_users"].set_password("carol", "other-pw")
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=401)
    app.get("/team", headers=basic_auth("carol", "other-pw"), status=200)


def test_a_remembered_user_that_is_deleted_is_refused(site, app, db):
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=200)
    with objweb.site(db) as root:
        root["team"]["acl_users"].delete_user("carol")
    app.get("/team", headers=basic_auth("carol", "carol-pw"), status=401)


def test_refusals_cost_the_same_hash(site, counting):
    # Equal work, not equal clocks: an unknown name is checked against a hash
    # made with the very parameters (time, memory, lanes) of a real user's,
    # so it costs what a wrong password costs. Without the dummy hash an
    # unknown name would answer a hundred times faster.
    app = TestApp(objweb.make_app(site, Settings(login_attempts=100,
                                                 login_attempts_per_address=100)))
    app.get("/", headers=basic_auth("nobody", "wrong password"), status=401)
    app.get("/", headers=basic_auth(ADMIN, "wrong password"), status=401)
    unknown, wrong = counting.against
    assert unknown != wrong
    assert extract_parameters(unknown) == extract_parameters(wrong)
    # And those are argon2's full parameters, the ones every password is hashed with.
    assert extract_parameters(wrong) == extract_parameters(PasswordHasher().hash("x"))
