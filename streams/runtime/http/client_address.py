"""The client a request comes from, as the per-client rate limit sees it (streams/runtime/http/ratelimit.py).

Behind a reverse proxy the peer of every request is the proxy, so every client would share one
bucket. When the peer is a trusted proxy (SITREP_TRUSTED_PROXIES), the client is the right-most
`X-Forwarded-For` address that is not itself a trusted proxy: each proxy appends the address it
saw, so that one was written by a proxy we trust, and whatever lies left of it by the client.
From any other peer the header is ignored, so a client cannot pick its own bucket.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv6Address, ip_address

from streams.config import Network, parse_networks

__all__ = ["ClientAddress", "parse_networks"]

Address = IPv4Address | IPv6Address


class ClientAddress:
    """`client(peer, forwarded_for)`: the address a request counts against."""

    def __init__(self, trusted: Iterable[Network]) -> None:
        self.trusted = tuple(trusted)

    def __call__(self, peer: str | None, forwarded_for: Iterable[str] = ()) -> str:
        """`forwarded_for`: the values of every X-Forwarded-For header, in the order received."""
        if peer is None:
            return "unknown"
        if not self._is_trusted(peer):
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return str(_address(hop) or hop)  # a token a proxy wrote ("unknown"): its own bucket
        return hops[0] if hops else peer  # every hop is a proxy of ours: the first one asked

    def _is_trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in self.trusted)


def _address(text: str) -> Address | None:
    """An address as proxies write it: bare, with a port ("1.2.3.4:80"), or bracketed ("[::1]:80")."""
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ip_address(candidate)
        except ValueError:
            continue
        if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
            return address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1 to a dual-stack listener
        return address
    return None
