"""Which server addresses BadgeDesk may send an API token to.

Every request carries the token, so plain ``http://`` is allowed only to a
loopback host (the sandbox, a server on this machine), where nothing crosses
a network. The check reads the address exactly as httpx will connect to it
(so ``http://127.0.0.1@evil.example`` is evil.example) and never resolves a
name: ``localhost`` is trusted by name, anything else must be a loopback IP.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import httpx

from desktop.i18n import _
from desktop.net.errors import BadServerAddress

INSECURE_HTTP_OPTION = "--insecure-http"


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A server address that passed :func:`check_server_url`."""

    #: Without a trailing slash.
    url: str
    #: Plain http to a host that is not loopback: allowed only by the escape hatch,
    #: and then shown to the user for as long as it is used.
    insecure: bool


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1 (also written as an IPv4-mapped address); no DNS."""
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def check_server_url(url: str, *, allow_insecure_http: bool = False) -> ServerAddress:
    """The address to use for ``url``, or :class:`BadServerAddress` saying what to do instead.

    Raises before anything is sent: callers (the connector, the app, the
    command line) call it first, so no request ever leaves with a token for
    an address that fails it.
    """
    shown = url.strip()
    try:
        parsed = httpx.URL(shown)
    except (httpx.InvalidURL, ValueError, TypeError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadServerAddress(
            _(
                "{address} is not a server address: give it as https://host (or http://127.0.0.1:port"
                " for a local server)."
            ).format(address=repr(shown))
        )
    insecure = parsed.scheme == "http" and not is_loopback_host(parsed.host)
    if insecure and not allow_insecure_http:
        raise BadServerAddress(
            _(
                "Plain http to {host} would send the API token unencrypted: use https, or a"
                " loopback address for a local server ({option} allows it for testing)."
            ).format(host=parsed.host, option=INSECURE_HTTP_OPTION)
        )
    return ServerAddress(url=shown.rstrip("/"), insecure=insecure)
