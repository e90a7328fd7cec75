"""The container's healthcheck: `python -m timetracker.healthcheck` exits 0 only when both
front doors answer where a client outside the container would reach them.

Doors are probed on the container's own network address, never on 127.0.0.1: a door
listening on loopback alone answers there but is unreachable through a published port, and
must not be called healthy. Ports come from the same settings as the
servers' (environment, then .env), so a port moved in .env moves the probe with it.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import urllib.error
import urllib.request

from timetracker.config import Settings, get_settings

TIMEOUT_SECONDS = 4.0


def own_address() -> str:
    """The address other containers and the published ports reach this one on (Docker maps the
    host name to it); loopback when the host name resolves to nothing else."""
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def probe_host(bind_host: str, outside: str) -> str:
    """Where to knock for a door bound to `bind_host`: the one address it was bound to, unless
    that is loopback, a name or every interface; then the outside address."""
    try:
        bound = ipaddress.ip_address(bind_host)
    except ValueError:
        return outside
    return outside if bound.is_loopback or bound.is_unspecified else bind_host


def door_urls(settings: Settings, outside: str) -> dict[str, str]:
    def url(host: str, port: int, path: str) -> str:
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{path}"

    return {
        "API": url(probe_host(settings.api_host, outside), settings.api_port, "/api/health"),
        "dashboard": url(probe_host(settings.ui_host, outside), settings.ui_port, "/_stcore/health"),
    }


def failures(urls: dict[str, str]) -> list[str]:
    """One line per door that did not answer 200 (the API answers 503 while its database is down)."""
    failed = []
    for door, url in urls.items():
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (http on our own address)
                if answer.status != 200:
                    failed.append(f"{door} at {url}: HTTP {answer.status}")
        except (urllib.error.URLError, OSError) as exc:
            failed.append(f"{door} at {url}: {exc}")
    return failed


def main(outside: str | None = None) -> int:
    failed = failures(door_urls(get_settings(), outside or own_address()))
    for line in failed:
        print(f"unhealthy: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
