"""The client behind the front servers: which `X-Forwarded-For` hops to believe.

Behind a proxy every request comes from the proxy's address, so the address
that login throttling, the access log and the audit need is the one the
proxy adds to `X-Forwarded-For`. Anyone can send that header, so it is read
only from a peer listed in `Settings.trusted_proxies`, and only as far as
trusted servers wrote it: from the right, each hop is the address the
server after it saw, and the first hop that is not a trusted proxy is the
client. A hop that is no address ends the walk (what lies left of it was
written by the client). The answer is kept in the environ for the access log.
"""

import ipaddress
from collections.abc import Iterable

CLIENT_ADDRESS_KEY = "objweb.client_address"
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def _address(text: str):
    """Return the IP address `text` names (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


class TrustedProxies:
    """The front servers whose forwarded addresses are believed."""

    def __init__(self, networks: Iterable[str] = ()):
        self.networks = tuple(ipaddress.ip_network(network) for network in networks)

    def trusts(self, address) -> bool:
        """Whether `address` (an IP address, or text naming one) is a trusted proxy."""
        if not self.networks:  # the default: no address to parse
            return False
        if isinstance(address, str):
            address = _address(address)
        return address is not None and any(address in network for network in self.networks)

    def client_address(self, environ: dict) -> str:
        """Return the address of the client behind the request (`-` if unknown).

        Also records it in the environ under `CLIENT_ADDRESS_KEY`.
        """
        peer = environ.get("REMOTE_ADDR") or "-"
        client = peer
        if self.networks and self.trusts(peer):
            client = self._forwarded_client(peer, environ.get(FORWARDED_FOR, ""))
        environ[CLIENT_ADDRESS_KEY] = client
        return client

    def _forwarded_client(self, peer: str, forwarded_for: str) -> str:
        client = peer
        for hop in reversed(forwarded_for.split(",")):
            address = _address(hop)
            if address is None:
                break
            client = str(address)
            if not self.trusts(address):
                break
        return client
