"""The HTTP security matrix: each type × each door × each way of holding a role.

Every request goes through the publisher with HTTP Basic credentials (or
none), and must answer the door's success status when the roles held allow
it, `401` (with the Basic challenge) to an anonymous visitor or bad
credentials, and `403` to a user who lacks the permission. A refused request
changes nothing. What each door needs is written out here from the
contract.
"""

import json

import pytest
from webtest import TestApp

import objweb
from security_site import (HOLDERS, LOCATIONS, PASSWORD, TYPES, roles_held, site_template,
                           target_path)
from support import basic_auth, layered_db

EDITORS = {"Editor", "Owner", "Manager"}
CODE_TYPES = {"Template", "Script"}


def allowed_roles(type_name: str, door: str) -> set:
    """The roles that open `door` on an object of `type_name`, from the contract."""
    if door == "view":
        return {"Manager"} if type_name == "UserFolder" else {"Anonymous", "Manager"}
    if door == "change":
        if type_name == "UserFolder":
            return {"Manager"}
        if type_name in CODE_TYPES:
            return {"Manager"}
        return EDITORS | {"Reviewer"}
    if door == "delete":
        return EDITORS
    if door == "add":
        if type_name in CODE_TYPES or type_name == "UserFolder":
            return {"Manager"}
        return EDITORS
    raise AssertionError(door)


@pytest.fixture
def db():
    database = layered_db(site_template())
    yield database
    database.close()


def credentials(holder: str) -> dict:
    return {} if holder == "anonymous" else basic_auth(holder, PASSWORD)


def request_door(app, door, type_name, location, headers, status):
    path = target_path(location, type_name)
    headers = {**headers, "Accept": "application/json"}
    if door == "view":
        return app.get(path, headers=headers, status=status)
    if door == "change":
        return app.patch(path, json.dumps({"title": "Changed"}),
                         headers={**headers, "Content-Type": "application/json"}, status=status)
    if door == "delete":
        return app.delete(path, headers=headers, status=status)
    new_id = "acl_users" if type_name == "UserFolder" else "new"
    return app.post(f"{location}/inbox", json.dumps({"@type": type_name, "id": new_id}),
                    headers={**headers, "Content-Type": "application/json"}, status=status)


SUCCESS = {"view": 200, "change": 204, "delete": 204, "add": 201}


def check_target(door: str, type_name: str) -> bool:
    """Whether the door's permission is checked on an object `owner` made."""
    if door in ("view", "change"):
        return True
    # Deleting is a right over the container; the user folder's host was made by `owner`.
    return door == "delete" and type_name == "UserFolder"


@pytest.mark.parametrize("holder", HOLDERS)
@pytest.mark.parametrize("door", sorted(SUCCESS))
@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("type_name", TYPES)
def test_security_matrix(db, type_name, location, door, holder):
    app = TestApp(objweb.Application(db))
    held = roles_held(holder, location, on_owned=check_target(door, type_name))
    allowed = bool(held & allowed_roles(type_name, door))
    status = SUCCESS[door] if allowed else 401 if holder == "anonymous" else 403
    before = db.lastTransaction()
    response = request_door(app, door, type_name, location, credentials(holder), status)
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    if not allowed:
        assert db.lastTransaction() == before
    elif door != "view":
        assert db.lastTransaction() != before


@pytest.mark.parametrize("type_name", TYPES)
def test_bad_credentials_are_refused_before_anything(db, type_name):
    app = TestApp(objweb.Application(db))
    response = app.get(target_path("/zone", type_name), headers=basic_auth("manager", "wrong"),
                       status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'


@pytest.mark.parametrize("holder", ["nested", "nestedmanager"])
def test_users_of_a_nested_folder_are_unknown_outside_it(db, holder):
    app = TestApp(objweb.Application(db))
    app.get("/zone/page", headers={**credentials(holder), "Accept": "application/json"},
            status=200)
    response = app.get("/", headers=credentials(holder), status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    app.patch("/zone", json.dumps({"title": "x"}),
              headers={**credentials(holder), "Content-Type": "application/json"},
              status=204)


def test_an_owner_may_change_what_it_owns_but_not_its_siblings(db):
    with objweb.site(db) as root:
        root["zone"]["inbox"]["mine"] = objweb.Page(title="Not owner's")
    app = TestApp(objweb.Application(db))
    owner = {**credentials("owner"), "Content-Type": "application/json"}
    app.patch("/zone/page", json.dumps({"title": "x"}), headers=owner, status=204)
    app.patch("/zone/inbox/mine", json.dumps({"title": "x"}), headers=owner, status=403)


def test_change_owner_hands_over_the_owner_role(db):
    with objweb.site(db) as root:
        root["zone"]["page"].change_owner("member")
    app = TestApp(objweb.Application(db))
    body = json.dumps({"title": "x"})
    app.patch("/zone/page", body, headers={**credentials("member"),
                                           "Content-Type": "application/json"}, status=204)
    app.patch("/zone/page", body, headers={**credentials("owner"),
                                           "Content-Type": "application/json"}, status=403)
