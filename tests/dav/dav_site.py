"""What the WebDAV suites share: the users' credentials, request bodies, taking a lock."""

from support import basic_auth

EDITOR_AUTH = basic_auth("editor", "editor-pw")
OTHER_EDITOR_AUTH = basic_auth("other", "other-pw")
DAV = "/@@dav"
PROPFIND_ALL = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'


def lockinfo(scope="exclusive", owner=b"<D:href>mailto:ann@example.com</D:href>") -> bytes:
    return (b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:' + scope.encode()
            + b'/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>' + owner
            + b"</D:owner></D:lockinfo>")


def take(dav, path, *, auth=EDITOR_AUTH, scope="exclusive", depth="0", status=200):
    answer = dav("LOCK", path, auth=auth, body=lockinfo(scope), status=status,
                 headers={"Depth": depth, "Timeout": "Second-600"})
    return answer.headers.get("Lock-Token", "").strip("<>"), answer
