"""Whose address a request comes from, as far as anyone can be believed about it.

The login throttle and the sign-up limit key on the client's address, so that address must
not be something a caller can choose. Two ways in carry another party's word for it:

* A reverse proxy's X-Forwarded-For, believed only from TRUSTED_PROXIES (default: nobody,
  not even loopback). The API gets this from uvicorn (`--forwarded-allow-ips`, set by
  entrypoint.sh from the same setting); the dashboard applies the same rule itself.
* The dashboard's own channel: every dashboard login reaches /auth/v1 from the Streamlit
  process, so it names the browser's address in a header, and proves it is the dashboard
  with a key derived from MASTER_SECRET, which both processes hold and no browser does.
  Sent only to this server's own /auth/v1, never to an outside Supabase.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping

CLIENT_ADDRESS_HEADER = "X-Timetracker-Client-Address"
DASHBOARD_KEY_HEADER = "X-Timetracker-Dashboard-Key"
_CHANNEL_LABEL = b"timetracker: the dashboard names the browser's address to /auth/v1"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> list[Network]:
    """TRUSTED_PROXIES as networks (a bare address is a one-address network). Refuses "*" and
    anything that is not an address or network, rather than trusting nobody (or everybody) by typo."""
    networks: list[Network] = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)"
            ) from exc
    return networks


def uvicorn_allow_ips(value: str) -> str:
    """TRUSTED_PROXIES in the form uvicorn's --forwarded-allow-ips takes (empty: none)."""
    return ",".join(str(network) for network in parse_trusted_proxies(value))


def is_trusted(host: str | None, trusted: list[Network]) -> bool:
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def through_proxies(peer: str | None, forwarded_for: str | None, trusted: list[Network]) -> str | None:
    """The client's address: the peer, or, when the peer is a trusted proxy, the nearest address
    in X-Forwarded-For that is not itself a trusted proxy (each proxy appends the one it saw)."""
    if not is_trusted(peer, trusted) or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            return _address(hop)
    return _address(hops[0]) if hops else peer


def browser_address(peer: str | None, forwarded_for: str | None, trusted_proxies: str) -> str | None:
    """The browser's address as the dashboard sees it, to name to /auth/v1; None when it is on
    this host or unknown. Streamlit reports no peer for loopback, which is where a local
    reverse proxy connects from: so no peer counts as loopback, for the TRUSTED_PROXIES check too."""
    found = through_proxies(peer or "127.0.0.1", forwarded_for, parse_trusted_proxies(trusted_proxies))
    address = _address(found) if found else None
    if address is None or ipaddress.ip_address(address).is_loopback:
        return None
    return address


def dashboard_key(master_secret: str) -> str:
    """The key that shows a request comes from the dashboard process (a MAC, not the secret)."""
    return hmac.new(master_secret.encode(), _CHANNEL_LABEL, hashlib.sha256).hexdigest()


def dashboard_headers(master_secret: str, browser_address: str | None) -> dict[str, str]:
    """What the dashboard adds to its /auth/v1 requests (nothing when it knows no address)."""
    address = _address(browser_address) if browser_address else None
    if address is None:
        return {}
    return {CLIENT_ADDRESS_HEADER: address, DASHBOARD_KEY_HEADER: dashboard_key(master_secret)}


def named_by_dashboard(headers: Mapping[str, str], master_secret: str) -> str | None:
    """The browser address the dashboard names, or None when the request does not prove it is
    the dashboard (no key, or a wrong one: then the header is ignored, never believed)."""
    address, key = headers.get(CLIENT_ADDRESS_HEADER), headers.get(DASHBOARD_KEY_HEADER)
    if not address or not key:
        return None
    if not hmac.compare_digest(key.encode(), dashboard_key(master_secret).encode()):
        return None
    return _address(address)


def _address(value: str) -> str | None:
    """A canonical IP address (port or brackets dropped), or None for anything else."""
    text = value.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # IPv4 with a port
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
