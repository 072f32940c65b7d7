"""The client's address, as the lockout (django-axes) and the objection rate limit count it.

Behind the reverse proxy every request arrives from the proxy's address: counting that would lock out
the whole bureau after a few failed sign-ins by anyone. The proxy appends the address it received the
request from to X-Forwarded-For (deploy/nginx/portal-common.conf), so the header's LAST entry is the
client — but only when the request really comes from that proxy: the header is trusted only when the
peer (REMOTE_ADDR) is one of `TRUSTED_PROXIES`; anybody else can write what they like into it.
(django-ipware judges trust by the addresses listed in the header itself, which a direct client
forges; the peer address is the one thing it cannot.)
"""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted_networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def is_trusted_proxy(peer: str | None) -> bool:
    address = _address(peer or "")
    if address is None:
        return False
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return any(ipaddress.ip_address(address) in network for network in networks)


def client_ip(request) -> str | None:
    """The forwarded client address from a trusted proxy, else the peer's own address."""
    peer = request.META.get("REMOTE_ADDR")
    if is_trusted_proxy(peer):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = _address(forwarded[-1])
        if address:
            return address
    return _address(peer or "") or peer or None
