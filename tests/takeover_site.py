"""A site where the Manager of one folder tries to act as the Manager of the whole site.

Users of the root user folder: `admin` (Manager of the site) and `fm`, who
has no role of its own and is Manager of /sub through a local role there.
/banner is a Template of admin's at the root, which code anywhere below can
acquire by name. Code that may change it acts with more than `fm`'s rights:
`TAKEOVER` is such code, and the tests check it never gets them. /sub/tool
is a Script of admin's inside fm's folder, with the proxy role Manager that
admin gave it.
"""

import objweb
from objweb import Folder, Script, Template
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from support import ADMIN, basic_auth

FM, FM_PASSWORD = "fm", "fm-Password-1"
FM_AUTH = basic_auth(FM, FM_PASSWORD)
BANNER = "<p>Welcome</p>"
PWNED = "<p>pwned</p>"
TAKEOVER = f"context.banner.edit(source={PWNED!r})\nreturn 'taken over'"


def build(db) -> None:
    """Fill the bootstrapped site in `db` as the module docstring says."""
    with objweb.site(db, user=ADMIN) as root:
        root["acl_users"].add_user(FM, FM_PASSWORD)
        root["banner"] = Template(title="Banner", source=BANNER)
        sub = root["sub"] = Folder(title="fm's folder")
        sub.manage_setLocalRoles(FM, ["Manager"])
        sub["tool"] = Script(title="Tool", body="return 'a tool'")
        sub["tool"].set_proxy_roles(["Manager"])


def banner_source(db) -> str:
    """Return the root Template's source, read afresh."""
    with objweb.site(db) as root:
        return root["banner"].source


def policy_of(root, login: str, where=None) -> SecurityPolicy:
    """Return the security policy of `login` as seen from `where` (default: the root)."""
    return SecurityPolicy(principal_by_login(where if where is not None else root, login))
