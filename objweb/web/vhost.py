"""Zope's virtual-hosting URL form, read from the path of a request.

A front server rewrites `https://example.com/news` to
`/VirtualHostBase/https/example.com:443/site/VirtualHostRoot/news`: the site
then answers for `/site/news` and writes its links as `https://example.com/news`.
`_vh_name` segments after `VirtualHostRoot` add a path prefix to the links,
for a site mounted under a subfolder of the public host.

Such a path says which host every link, redirect and form of the answer
points to, so it is taken only from a front server listed in
`Settings.trusted_proxies`: from anyone else, a link to
`/VirtualHostBase/https/evil.example:443/VirtualHostRoot/manage` would send a
logged-in user's browser to another site.
"""

import re
from dataclasses import dataclass

from objweb.errors import NotFoundError, ValidationError

BASE_MARKER = "VirtualHostBase"
ROOT_MARKER = "VirtualHostRoot"
PREFIX_MARKER = "_vh_"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# A host name or an IPv6 literal, with an optional port: what a link may start with.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                   r"(?::[0-9]{1,5})?")


@dataclass(frozen=True)
class VirtualHost:
    """Where traversal starts and what URL its start answers to.

    `root_segments` lead from the site root to the object the public URL maps
    to; `segments` are the rest of the path; `base_url` is the public URL of
    that object.
    """

    base_url: str
    root_segments: tuple[str, ...]
    segments: tuple[str, ...]


class UntrustedVirtualHostError(ValidationError):
    """A virtual-hosting path from a client that is not a trusted front server (400)."""

    def __init__(self):
        super().__init__("virtual-hosting paths (VirtualHostBase, VirtualHostRoot) are taken "
                         "only from a front server listed in the trusted_proxies setting")


def read_virtual_host(segments: list[str], application_url: str, *,
                      from_trusted_proxy: bool = False) -> VirtualHost:
    """Return the virtual host that `segments` describe (none: the request's own URL).

    Raises `UntrustedVirtualHostError` for a virtual-hosting path that does
    not come `from_trusted_proxy`, and `NotFoundError` for a malformed one.
    """
    is_virtual = bool(segments) and segments[0] == BASE_MARKER or ROOT_MARKER in segments
    if is_virtual and not from_trusted_proxy:
        raise UntrustedVirtualHostError()
    if not segments or segments[0] != BASE_MARKER:
        if ROOT_MARKER in segments:
            return _with_root(segments, application_url)
        return VirtualHost(application_url, (), tuple(segments))
    if len(segments) < 3:
        raise NotFoundError("a VirtualHostBase path needs a scheme and a host")
    scheme, host = segments[1].lower(), segments[2]
    if scheme not in _DEFAULT_PORTS or not _HOST.fullmatch(host):
        raise NotFoundError("bad virtual host: a scheme (http or https) and a host[:port]")
    return _with_root(segments[3:], f"{scheme}://{_without_default_port(host, scheme)}")


def _without_default_port(host: str, scheme: str) -> str:
    if host.endswith("]") or ":" not in host:
        return host
    name, _, port = host.rpartition(":")
    return name if port == _DEFAULT_PORTS[scheme] else host


def _with_root(segments: list[str], base_url: str) -> VirtualHost:
    if ROOT_MARKER not in segments:
        return VirtualHost(base_url, (), tuple(segments))
    index = segments.index(ROOT_MARKER)
    root_segments = tuple(segments[:index])
    rest = list(segments[index + 1:])
    prefix = []
    while rest and rest[0].startswith(PREFIX_MARKER):
        prefix.append(rest.pop(0)[len(PREFIX_MARKER):])
    base = base_url.rstrip("/")
    if prefix:
        base += "/" + "/".join(prefix)
    return VirtualHost(base, root_segments, tuple(rest))
