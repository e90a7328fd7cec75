"""Which redirect URIs the public client may use: loopback IP literals over http, any port
(RFC 8252 §7.3). Not `localhost` (a name can be re-pointed, §8.3), not https to anywhere,
no userinfo, no fragment: the code only ever goes back to the machine that asked for it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = {"127.0.0.1", "[::1]"}


def is_loopback_redirect(uri: str) -> bool:
    # A URI is printable ASCII (RFC 3986). Anything else (a NUL, which Postgres cannot store
    # with the code; a newline or space, which urlsplit quietly drops) is not a redirect we made.
    if not (uri.isascii() and uri.isprintable()) or " " in uri:
        return False
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
    return (
        parts.scheme == "http"
        and host in LOOPBACK_HOSTS
        and "@" not in parts.netloc
        and not parts.fragment
        and port is not None
    )
