"""Where the site lives in a database: the root folder, acl_users, the secret."""

import ZODB

from objweb import Folder, UserFolder
from objweb.content.site import ROOT_KEY, ensure_site, site_root, site_secret


def test_a_new_database_holds_no_site_until_ensured():
    db = ZODB.DB(None)
    try:
        with db.transaction() as connection:
            assert site_root(connection) is None
            root = ensure_site(connection)
            assert isinstance(root, Folder) and isinstance(root["acl_users"], UserFolder)
            assert root._p_jar is connection
        with db.transaction() as connection:
            assert site_root(connection) is connection.root()[ROOT_KEY]
            assert ensure_site(connection) is site_root(connection)
            secret = site_secret(connection)
            assert isinstance(secret, bytes) and len(secret) == 32
    finally:
        db.close()


def test_each_site_has_its_own_secret():
    secrets = []
    for _ in range(2):
        db = ZODB.DB(None)
        with db.transaction() as connection:
            ensure_site(connection)
            secrets.append(site_secret(connection))
        db.close()
    assert secrets[0] != secrets[1]
