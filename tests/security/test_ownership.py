"""Ownership: one user of one user folder, fixed when given; nobody once they are gone."""

import pytest
import transaction

import objweb
from objweb import Folder, Page, Script, UserFolder
from objweb.errors import Forbidden, Unauthorized, ValidationError
from objweb.security import ownership
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL, TRUSTED_CODE, Principal, acting_as
from support import ADMIN
from takeover_site import BANNER, FM, TAKEOVER, build


@pytest.fixture
def site(db):
    """The takeover site, with users named `shared` at the root and in /team."""
    build(db)
    manager = transaction.TransactionManager()
    connection = db.open(manager)
    root = connection.root()["objweb"]
    root["acl_users"].add_user("shared", "root-pw", roles=["Manager"])
    root["acl_users"].add_user("alice", "alice-pw")
    root["team"] = Folder()
    root["team"]["acl_users"] = UserFolder()
    root["team"]["acl_users"].add_user("shared", "team-pw", roles=["Editor"])
    root["team"]["doc"] = Page()
    root["plain"] = Folder()
    yield root
    manager.abort()
    connection.close()


def as_legacy(obj, user_id):
    """Make `obj` look as objweb stored it before pairs: a bare owner id."""
    vars(obj).pop("_owner", None)
    vars(obj)["owner"] = user_id
    return obj


def run_anonymously(script, root):
    return script.run(root["sub"], user_policy=SecurityPolicy(ANONYMOUS_PRINCIPAL))


# -- finding 4 -------------------------------------------------------------------------

def make_local_admins_script(root):
    """What a Manager of /sub can do: a local `admin`, and code made as that user."""
    root["sub"]["acl_users"] = UserFolder()
    root["sub"]["acl_users"].add_user(ADMIN, "local-pw", roles=["Manager"])
    local_admin = principal_by_login(root["sub"], ADMIN)
    with acting_as(local_admin):
        root["sub"]["evil"] = Script(body=TAKEOVER)
    root["sub"]["evil"].set_proxy_roles(["Manager"], granted_by=SecurityPolicy(local_admin))
    return root["sub"]["evil"]


@pytest.mark.parametrize("remove", ["the user", "the user folder"])
def test_finding_04_a_deleted_local_owner_is_nobody_not_the_sites_namesake(site, remove):
    evil = make_local_admins_script(site)
    assert evil.owner == ADMIN and evil._owner == ("/sub/acl_users", ADMIN)
    with pytest.raises(Unauthorized):
        run_anonymously(evil, site)
    if remove == "the user":
        site["sub"]["acl_users"].delete_user(ADMIN)
    else:
        site["sub"].remove("acl_users")
    with pytest.raises(Unauthorized):
        run_anonymously(evil, site)
    assert site["banner"].source == BANNER
    assert ownership.owner_principal(evil) is ANONYMOUS_PRINCIPAL
    assert evil.owner == ADMIN


def test_finding_04_code_moved_out_from_under_its_owners_user_folder_is_nobodys(site):
    evil = make_local_admins_script(site)
    site["plain"].add("evil", site["sub"].remove("evil"))
    assert ownership.owner_principal(evil) is ANONYMOUS_PRINCIPAL
    with pytest.raises(Unauthorized):
        evil.run(site["plain"], user_policy=SecurityPolicy(ANONYMOUS_PRINCIPAL))
    assert site["banner"].source == BANNER


def test_finding_04_a_namesake_in_another_user_folder_is_not_the_owner(site):
    doc = site["team"]["doc"]
    doc.change_owner("shared")
    assert doc._owner == ("/team/acl_users", "shared")
    site["plain"]["page"] = page = Page()
    page.change_owner("shared")
    assert page._owner == ("/acl_users", "shared")
    team_shared = SecurityPolicy(principal_by_login(site["team"], "shared"))
    root_shared = SecurityPolicy(principal_by_login(site, "shared"))
    assert "Owner" in team_shared.roles_in(doc)
    assert "Owner" not in root_shared.roles_in(doc)
    assert "Owner" in root_shared.roles_in(page)


def test_proxy_roles_never_pass_the_owners_limit_when_the_owner_runs_the_code(site):
    fm = principal_by_login(site, FM)
    with acting_as(fm):
        site["sub"]["mine"] = mine = Script(body=TAKEOVER)
    mine.set_proxy_roles(["Manager"])
    with pytest.raises(Unauthorized):
        mine.run(site["sub"], user_policy=SecurityPolicy(ANONYMOUS_PRINCIPAL))
    with pytest.raises(Forbidden):
        mine.run(site["sub"], user_policy=SecurityPolicy(fm))
    assert site["banner"].source == BANNER


# -- the records -------------------------------------------------------------------------

def test_what_a_request_makes_is_owned_with_the_user_folder_of_its_user(site):
    with acting_as(principal_by_login(site["team"], "shared")):
        site["team"]["made"] = Page()
    assert site["team"]["made"]._owner == ("/team/acl_users", "shared")
    with acting_as(ANONYMOUS_PRINCIPAL):
        site["plain"]["visitor"] = Page()
    assert site["plain"]["visitor"]._owner == ownership.NOBODY
    assert site["plain"]["visitor"].owner is None
    with acting_as(TRUSTED_CODE):
        site["plain"]["trusted"] = Page()
    assert site["plain"]["trusted"]._owner is None


def test_a_user_named_by_trusted_code_is_found_where_the_object_is_placed(site):
    with acting_as(Principal(id="shared")):
        page = Page()
        assert page._owner == (None, "shared")
        site["team"]["placed"] = page
    assert page._owner == ("/team/acl_users", "shared")
    with acting_as(Principal(id="ghost")):
        site["plain"]["ghostly"] = Page()
    assert site["plain"]["ghostly"]._owner == (None, "ghost")
    assert ownership.owner_principal(site["plain"]["ghostly"]) is ANONYMOUS_PRINCIPAL
    # An object trusted code made with no owner gets the user who places it.
    with acting_as(TRUSTED_CODE):
        unowned = Page()
    with acting_as(Principal(id="shared")):
        site["team"]["adopted"] = unowned
    assert unowned._owner == ("/team/acl_users", "shared")


def test_a_request_moving_an_object_does_not_pick_its_owner(site):
    with acting_as(Principal(id="ghost")):
        site["plain"]["loose"] = page = Page()
    assert page._owner == (None, "ghost")
    site["team"]["acl_users"].add_user("ghost", "ghost-pw", roles=["Manager"])
    with acting_as(principal_by_login(site, FM)):
        site["team"].add("loose", site["plain"].remove("loose"))
    assert page._owner == (None, "ghost")
    assert ownership.owner_principal(page) is ANONYMOUS_PRINCIPAL
    # Trusted code placing it there finds the user of that folder.
    site["plain"].add("loose", site["team"].remove("loose"))
    site["team"].add("loose", site["plain"].remove("loose"))
    assert page._owner == ("/team/acl_users", "ghost")


def test_change_owner_takes_the_nearest_user_folder_holding_the_name(site):
    doc = site["team"]["doc"]
    doc.change_owner("alice")
    assert doc._owner == ("/acl_users", "alice")
    doc.owner = "shared"
    assert doc._owner == ("/team/acl_users", "shared") and doc.owner == "shared"
    doc.change_owner(None)
    assert doc._owner is None and doc.owner is None
    for bad in ("", 5, ["alice"]):
        with pytest.raises(ValidationError):
            doc.change_owner(bad)


@pytest.mark.parametrize("record", [
    ("/acl_users",), ("acl_users", "x"), ("/x/users", "x"), (None, ""), ("/acl_users", None),
    ("/acl_users", 5), 5, "", ["/acl_users", "x"]])
def test_only_well_formed_records_are_stored(site, record):
    with pytest.raises(ValidationError):
        site["team"]["doc"].set_ownership(record)
    assert not ownership.is_well_formed(record)


def test_a_record_that_is_none_of_these_is_nobody(site):
    page = site["plain"].add("odd", Page())
    vars(page)["_owner"] = ("/acl_users",)  # only a damaged database could hold it
    assert ownership.owner_principal(page) is ANONYMOUS_PRINCIPAL
    assert page.owner is None
    assert not ownership.is_owner(page, ANONYMOUS_PRINCIPAL)
    assert not ownership.is_owner(page, principal_by_login(site, "alice"))


# -- owners objweb stored before pairs --------------------------------------------------

def test_an_old_bare_owner_counts_only_in_the_nearest_user_folder(site):
    doc = as_legacy(site["team"]["doc"], "shared")
    assert doc.owner == "shared"
    assert ownership.owner_principal(doc).user_folder == "/team/acl_users"
    other = as_legacy(site["team"].add("other", Page()), "alice")
    # The old lookup would have gone on to the root's alice; now: nobody.
    assert ownership.owner_principal(other) is ANONYMOUS_PRINCIPAL
    alice = SecurityPolicy(principal_by_login(site, "alice"))
    assert "Owner" not in alice.roles_in(other)
    rooted = as_legacy(site["plain"].add("rooted", Page()), "alice")
    assert ownership.owner_principal(rooted).user_folder == "/acl_users"
    assert "Owner" in alice.roles_in(rooted)


def test_an_old_bare_owner_is_fixed_where_it_was_when_the_object_moves(site):
    doc = as_legacy(site["team"]["doc"], "shared")
    site["plain"].add("doc", site["team"].remove("doc"))
    assert doc._owner == ("/team/acl_users", "shared")
    assert ownership.owner_principal(doc) is ANONYMOUS_PRINCIPAL
    gone = as_legacy(site["plain"].add("gone", Page()), "nobody-here")
    site["team"].add("gone", site["plain"].remove("gone"))
    assert gone._owner == ownership.NOBODY


def test_a_new_owner_replaces_the_old_bare_one(site):
    doc = as_legacy(site["team"]["doc"], "alice")
    doc.change_owner("shared")
    assert "owner" not in vars(doc) and doc._owner == ("/team/acl_users", "shared")


def test_site_users_are_asked_for_what_a_principal_makes(db):
    with objweb.site(db, user=ADMIN) as root:
        root["made"] = Page()
    with objweb.site(db) as root:
        assert root["made"]._owner == ("/acl_users", ADMIN)


@pytest.mark.parametrize("record", [("/acl_users", 5), ("/acl_users", None), 5])
def test_a_record_that_names_no_user_id_has_no_owner_id(record):
    assert ownership.owner_id(record) is None


def test_a_record_neither_a_pair_nor_an_id_is_nobody(site):
    assert ownership.pinned(site["team"]["doc"], 5) == ownership.NOBODY
    assert ownership.pinned(site["team"]["doc"], ["shared"]) == ownership.NOBODY


def test_a_bare_id_on_an_object_outside_any_site_is_nobody():
    assert ownership.pinned(Page(), "shared") == ownership.NOBODY
