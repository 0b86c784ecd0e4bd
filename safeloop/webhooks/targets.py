"""Which addresses may receive webhooks: only those under a prefix a system administrator
allowed (`AllowedTarget`). A prefix names a scheme, a host, a port and a path; an address
matches it when all four agree and its path lies under the prefix's path (at a "/" boundary,
so `https://a.example/hooks` allows neither `https://a.example.evil.cn/` nor `/hooksx`)."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class Address(NamedTuple):
    scheme: str
    host: str
    port: int
    path: str


def parse_address(url: str) -> Address | None:
    """The parts of an http(s) address, or None when it is not one we would post to (no host,
    user name or password in it, a fragment, spaces)."""
    if not url or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.fragment:
        return None
    return Address(parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme], parts.path or "/")


def under(address: Address, prefix: Address) -> bool:
    if address[:3] != prefix[:3]:
        return False
    base = prefix.path if prefix.path.endswith("/") else prefix.path + "/"
    return address.path == prefix.path or address.path.startswith(base)


def url_allowed(url: str) -> bool:
    from safeloop.webhooks.models import AllowedTarget

    address = parse_address(url)
    if address is None:
        return False
    for prefix in AllowedTarget.objects.values_list("prefix", flat=True):
        allowed = parse_address(prefix)
        if allowed is not None and under(address, allowed):
            return True
    return False
