"""Whoever writes code owns it: from the Python API, and from code that edits code."""

import pytest

import objweb
from objweb import Page, Script, Template
from objweb.errors import Unauthorized
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL
from support import ADMIN
from takeover_site import BANNER, FM, TAKEOVER, build

REWRITE = f"context.tool.edit(body={TAKEOVER!r})\nreturn 'rewritten'"


@pytest.fixture
def takeover(db):
    build(db)
    return db


def test_finding_07_code_edited_as_a_user_becomes_theirs(takeover):
    with objweb.site(takeover, user=FM) as root:
        root["sub"]["tool"].edit(body=TAKEOVER)
    with objweb.site(takeover) as root:
        with pytest.raises(Unauthorized):
            root["sub"]["tool"].run(root["sub"], user_policy=SecurityPolicy(ANONYMOUS_PRINCIPAL))
        assert root["banner"].source == BANNER
        assert root["sub"]["tool"]._owner == ("/acl_users", FM)


def test_trusted_code_with_no_user_keeps_the_owner(takeover):
    with objweb.site(takeover) as root:
        root["sub"]["tool"].edit(body="return 'changed'")
        root["banner"].edit(source="<p>changed</p>")
    with objweb.site(takeover) as root:
        assert root["sub"]["tool"]._owner == ("/acl_users", ADMIN)
        assert root["banner"]._owner == ("/acl_users", ADMIN)


def test_editing_what_is_not_code_keeps_the_owner(takeover):
    with objweb.site(takeover, user=ADMIN) as root:
        root["sub"]["page"] = Page(body="<p>admin's</p>")
    with objweb.site(takeover, user=FM) as root:
        root["sub"]["page"].edit(body="<p>fm's</p>")
        root["sub"]["tool"].edit(title="Renamed")
        assert root["sub"]["page"]._owner == ("/acl_users", ADMIN)
        assert root["sub"]["tool"]._owner == ("/acl_users", ADMIN)


def test_code_that_rewrites_code_hands_it_to_its_own_owner(takeover):
    with objweb.site(takeover, user=FM) as root:
        root["sub"]["rewriter"] = Script(body=REWRITE)
    with objweb.site(takeover) as root:
        admin = SecurityPolicy(principal_by_login(root, ADMIN))
        # The site's Manager runs fm's code: it may rewrite the tool, as fm may.
        assert root["sub"]["rewriter"].run(root["sub"], user_policy=admin) == "rewritten"
        tool = root["sub"]["tool"]
        assert tool._owner == ("/acl_users", FM)
        with pytest.raises(Unauthorized):
            tool.run(root["sub"], user_policy=SecurityPolicy(ANONYMOUS_PRINCIPAL))
        assert root["banner"].source == BANNER


def test_code_with_no_owner_hands_what_it_writes_to_its_user(takeover):
    with objweb.site(takeover) as root:
        root["sub"]["rewriter"] = Script(body=REWRITE)
        assert root["sub"]["rewriter"]._owner is None
        fm = SecurityPolicy(principal_by_login(root, FM))
        root["sub"]["rewriter"].run(root["sub"], user_policy=fm)
        assert root["sub"]["tool"]._owner == ("/acl_users", FM)


def test_a_template_written_as_a_user_becomes_theirs(takeover):
    with objweb.site(takeover, user=FM) as root:
        root["sub"]["view"] = view = Template(source="<p>one</p>")
        view.change_owner(ADMIN)
        view.edit(source="<p>two</p>")
        assert view._owner == ("/acl_users", FM)
