"""Logins kept by browsers: an opaque cookie secret on the browser, the refresh token on the server.

Supabase's browser clients keep the refresh token itself in browser storage, where any script
on the host can read it. Here the browser keeps only a random secret; the refresh token it
stands for is stored encrypted (Fernet, FERNET_KEYS) and replaced after every rotation, so the
cookie never has to change. That lets the API set it once, HttpOnly, when the browser reaches
the API on the dashboard's own host name (one domain behind a proxy, or both ports on one
host: cookies do not care about ports). Elsewhere the dashboard has to write it from a script,
so it is then readable by scripts and kept short-lived.

Cookies carry no port and no origin, only a host and a path: the cookie's path is Streamlit's
websocket, the one request that needs it (`st.context.cookies` reads that handshake), so it is
not sent with any other request to the host.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from timetracker import credentials
from timetracker.cipher import InvalidToken, TokenCipher
from timetracker.db import Database

COOKIE_NAME = "tt_login"
# Streamlit's websocket: the only request that reads the cookie.
COOKIE_PATH = "/_stcore/stream"
# Set HttpOnly by the API: a month, then log in again.
HTTPONLY_LIFETIME_SECONDS = 30 * 24 * 3600
# Written by a script (readable by scripts on the host): a working day.
SCRIPT_LIFETIME_SECONDS = 12 * 3600
# The page trades its handoff code for the cookie within moments; this only bounds a lost one.
HANDOFF_SECONDS = 10 * 60
# Our secrets are token_urlsafe(32); anything else in the cookie is not ours and is never looked up.
SECRET_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def looks_like_secret(value: object) -> bool:
    return isinstance(value, str) and len(value) == 43 and set(value) <= SECRET_ALPHABET


def api_sets_cookie(dashboard_host: str | None, api_base_url: str) -> bool:
    """Whether a cookie the API sets reaches the dashboard: the browser addresses both by one
    host name (ports differ or not). `dashboard_host` is the Host header the browser sent."""
    if not dashboard_host:
        return False
    dashboard = urlsplit(f"//{dashboard_host}").hostname
    return bool(dashboard) and dashboard == urlsplit(api_base_url).hostname


@dataclass(frozen=True)
class OpenedSession:
    id: UUID
    # Exactly one of these: the code the page trades with the API, or the secret the dashboard writes.
    handoff: str | None = None
    secret: str | None = None


@dataclass(frozen=True)
class KeptSession:
    id: UUID
    user_id: UUID
    refresh_token: str


class BrowserSessions:
    """The kept logins, reached only through the service functions of `internal`."""

    def __init__(self, db: Database, cipher: TokenCipher) -> None:
        self.db = db
        self.cipher = cipher

    def open(self, user_id: UUID | str, refresh_token: str, *, api_sets_cookie: bool) -> OpenedSession:
        """Keep a new login: reached through a handoff code when the API will set the cookie,
        otherwise through a secret the dashboard writes itself."""
        handoff = new_secret() if api_sets_cookie else None
        secret = None if api_sets_cookie else new_secret()
        lifetime = HTTPONLY_LIFETIME_SECONDS if api_sets_cookie else SCRIPT_LIFETIME_SECONDS
        with self.db.as_service() as conn:
            row = conn.execute(
                "select internal.open_browser_session(%s, %s, %s, %s, %s, %s) as id",
                (
                    str(user_id),
                    self.cipher.encrypt(refresh_token),
                    credentials.digest(secret) if secret else None,
                    credentials.digest(handoff) if handoff else None,
                    HANDOFF_SECONDS,
                    lifetime,
                ),
            ).fetchone()
        return OpenedSession(row["id"], handoff=handoff, secret=secret)

    def claim(self, handoff: str) -> tuple[str, int] | None:
        """Spend a handoff code: the new cookie secret and its Max-Age, or None (unknown,
        spent or expired)."""
        if not looks_like_secret(handoff):
            return None
        secret = new_secret()
        with self.db.as_service() as conn:
            row = conn.execute(
                "select internal.claim_browser_session(%s, %s) as max_age",
                (credentials.digest(handoff), credentials.digest(secret)),
            ).fetchone()
        return (secret, row["max_age"]) if row and row["max_age"] else None

    def find(self, secret: str) -> KeptSession | None:
        """The login a cookie's secret stands for; None when it leads nowhere (or the
        refresh token cannot be decrypted any more: a removed Fernet key)."""
        if not looks_like_secret(secret):
            return None
        with self.db.as_service() as conn:
            row = conn.execute(
                "select id, user_id, refresh_token_sealed from internal.find_browser_session(%s)",
                (credentials.digest(secret),),
            ).fetchone()
        if row is None:
            return None
        try:
            return KeptSession(row["id"], row["user_id"], self.cipher.decrypt(row["refresh_token_sealed"]))
        except InvalidToken:
            self.close(row["id"])
            return None

    def keep(self, session_id: UUID, refresh_token: str) -> bool:
        """Store the refresh token a rotation produced; False when the login has ended."""
        with self.db.as_service() as conn:
            row = conn.execute(
                "select internal.keep_browser_session(%s, %s) as kept", (session_id, self.cipher.encrypt(refresh_token))
            ).fetchone()
        return bool(row and row["kept"])

    def close(self, session_id: UUID) -> None:
        with self.db.as_service() as conn:
            conn.execute("select internal.close_browser_session(%s)", (session_id,))
