"""No response and no log line ever carries a password or its hash."""

import io
import json
import logging

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, UserFolder
from objweb.storage.transfer import export_subtree
from support import (
    ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, browser_login, csrf_token_in, run_objweb)

PASSWORDS = {ADMIN: ADMIN_PASSWORD, "editor": "Editor-Passw0rd!", "carol": "Carol-Passw0rd!"}


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", PASSWORDS["editor"], roles=["Editor"])
        root["acl_users"].add_group("staff", roles=["Editor"])
        root["team"] = Folder()
        root["team"]["acl_users"] = UserFolder()
        root["team"]["acl_users"].add_user("carol", PASSWORDS["carol"], roles=["Manager"])
    return db


def hashes_of(db) -> list[str]:
    with objweb.site(db) as root:
        return [root["acl_users"].get_user(ADMIN).password_hash,
                root["acl_users"].get_user("editor").password_hash,
                root["team"]["acl_users"].get_user("carol").password_hash]


def every_door(app):
    """Yield responses from every door that deals with users and passwords."""
    admin = basic_auth(ADMIN, ADMIN_PASSWORD)
    json_admin = {**admin, "Accept": "application/json"}
    yield app.get("/acl_users", headers=json_admin, status=200)
    yield app.get("/team/acl_users", headers=json_admin, status=200)
    yield app.get("/", headers=json_admin, status=200)
    yield app.get("/team", headers=json_admin, status=200)
    yield app.get("/acl_users", headers=admin, status=406)
    for name in ("admin", "editor", "_users", "users", "password_hash", "@@users"):
        yield app.get(f"/acl_users/{name}", headers=json_admin, status=404)
    yield app.patch("/acl_users", json.dumps({"password_hash": "x"}),
                    headers={**admin, "Content-Type": "application/json"}, status=400)
    yield app.post("/", json.dumps({"@type": "UserFolder", "id": "acl_users",
                                    "password": PASSWORDS["editor"]}),
                   headers={**admin, "Content-Type": "application/json"}, status=400)
    # A password typed as the user name must not reach the log either.
    for login, password, good in [(ADMIN, PASSWORDS["editor"], False),
                                  ("nobody", ADMIN_PASSWORD, False),
                                  ("editor", PASSWORDS["editor"], True),
                                  (PASSWORDS["carol"], "x", False)]:
        yield app.get("/", headers=basic_auth(login, password), status=200 if good else 401)
        form = app.get("/@@login", headers=BROWSER_ACCEPT, status=200).forms[0]
        form["login"], form["password"] = login, password
        yield form.submit(headers=BROWSER_ACCEPT, status=303 if good else 401)
    browser_login(app, "editor", PASSWORDS["editor"])
    yield app.get("/@@logout", status=200)
    yield app.get("/@@login", headers=BROWSER_ACCEPT, status=200)


def test_no_response_or_log_line_carries_a_password_or_hash(site, app, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = list(PASSWORDS.values()) + hashes_of(site) + ["$argon2"]
    seen = []
    for response in every_door(app):
        seen.append(response.body.decode("utf-8", "replace"))
        seen.extend(f"{name}: {value}" for name, value in response.headers.items())
    seen.extend(record.getMessage() for record in caplog.records)
    seen.extend(str(record.exc_info) for record in caplog.records if record.exc_info)
    assert len(seen) > 100
    for secret in secrets:
        leaks = [text for text in seen if secret in text]
        assert not leaks, f"{secret[:12]}... leaked: {leaks[:1]}"


def test_a_users_repr_never_shows_the_hash(site):
    with objweb.site(site) as root:
        user = root["acl_users"].get_user("editor")
        assert user.password_hash not in repr(user)
        assert "editor" in repr(user)


def test_the_user_folder_as_json_lists_no_users(site, app):
    data = app.get("/acl_users", headers={**basic_auth(ADMIN, ADMIN_PASSWORD),
                                          "Accept": "application/json"}, status=200).json
    assert data["@type"] == "UserFolder"
    assert set(data) <= {"@id", "@type", "id", "title", "modified", "created", "owner"}


def assert_carries_no_secret(data: bytes, db) -> None:
    for secret in list(PASSWORDS.values()) + hashes_of(db) + ["$argon2"]:
        assert secret.encode() not in data


def test_an_export_of_the_site_carries_no_hash(site):
    stream = io.BytesIO()
    with objweb.site(site) as root:
        export_subtree(root, stream)
        export_subtree(root["team"], stream)
    assert len(stream.getvalue()) > 1000
    assert_carries_no_secret(stream.getvalue(), site)
    # The site itself kept its users' passwords.
    TestApp(objweb.make_app(site)).get("/", headers=basic_auth("editor", PASSWORDS["editor"]), status=200)


def test_an_export_downloaded_from_the_management_screens_carries_no_hash(site, app):
    admin = basic_auth(ADMIN, ADMIN_PASSWORD)
    for path in ("/manage_importexport", "/team/manage_importexport"):
        token = csrf_token_in(app.get(path, headers=admin, status=200).text)
        for name in ("", "acl_users"):
            response = app.post(path, {"command": "export", "name": name, "csrf_token": token},
                                headers=admin, status=200)
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert_carries_no_secret(response.body, site)


def test_the_export_command_writes_no_hash(tmp_path):
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], tmp_path).returncode == 0
    assert run_objweb(["adduser", "editor", PASSWORDS["editor"], "--role", "Editor"],
                      tmp_path).returncode == 0
    result = run_objweb(["export", "/", "site.zexp"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "site.zexp").read_bytes()
    for secret in (ADMIN_PASSWORD, PASSWORDS["editor"], "$argon2"):
        assert secret.encode() not in data
    assert ADMIN_PASSWORD not in result.stdout + result.stderr
