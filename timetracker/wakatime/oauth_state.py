"""The OAuth `state`: signed, short-lived, single-use and bound to one person.

A token signed with MASTER_SECRET for this purpose alone (timetracker/signed.py) holding
{sub, nonce, exp}. The nonce is stored as the person when the
state is issued and deleted when the trip completes, so a state works once.

A state says whose connection it is, but not who is holding the browser: a link made for one
person can be sent to another. So the callback only checks the state and hands the code to
the dashboard, where the logged-in person finishes the trip (`timetracker.wakatime.connect`):
a state completes only for the person it was issued to.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from timetracker import paths, signed
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.errors import BadRequest

PURPOSE = b"timetracker/wakatime-oauth-state/v1\n"


class StateRefused(BadRequest):
    """A state that fails its checks: a bad request (not the caller's rights, which it cannot tell)."""

    code = "invalid_state"

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        # One of connect.OUTCOMES: what the dashboard is told, never the free-text message.
        self.reason = reason


@dataclass(frozen=True)
class OAuthState:
    owner_id: UUID
    nonce: str
    expires_at: datetime


def issue(db: Database, principal: Principal, settings: Settings, now: datetime | None = None) -> str:
    """A fresh state for the caller; its nonce is recorded so the callback can use it once."""
    nonce = secrets.token_urlsafe(24)
    expires_at = (now or datetime.now(UTC)) + timedelta(seconds=settings.wakatime_state_ttl_seconds)
    with db.as_user(principal.db_claims) as conn:
        # Old states the person never completed are dropped here, so the table stays small.
        conn.execute("delete from wakatime_oauth_states where expires_at < now()")
        conn.execute("insert into wakatime_oauth_states (nonce, expires_at) values (%s, %s)", (nonce, expires_at))
    claims = {"sub": str(principal.user_id), "nonce": nonce, "exp": int(expires_at.timestamp())}
    return signed.sign(claims, PURPOSE, settings.master_secret.get_secret_value())


def verify(state: str, settings: Settings, now: datetime | None = None) -> OAuthState:
    """Check signature and expiry (not single use: see `consume`)."""
    try:
        claims = signed.unsign(state, PURPOSE, settings.master_secret.get_secret_value())
    except signed.BadSignature as exc:
        raise StateRefused("the sign-in state is invalid; start connecting again from the Integrations page") from exc
    try:
        parsed = OAuthState(UUID(claims["sub"]), str(claims["nonce"]), datetime.fromtimestamp(claims["exp"], UTC))
    except (ValueError, KeyError, TypeError) as exc:
        raise StateRefused("the sign-in state is malformed") from exc
    if parsed.expires_at <= (now or datetime.now(UTC)):
        raise StateRefused("the sign-in state has expired; start connecting again", "expired")
    return parsed


USED = "this sign-in state was already used; start connecting again"


def consume(db: Database, state: str, settings: Settings, now: datetime | None = None) -> OAuthState:
    """Verify a state and use it up; a second use (replay) is refused."""
    parsed = verify(state, settings, now)
    use_up(db, parsed)
    return parsed


def use_up(db: Database, parsed: OAuthState) -> None:
    """Delete a verified state's nonce, so it works once; refused when it is already gone."""
    with db.as_person(parsed.owner_id) as conn:
        row = conn.execute(
            "delete from wakatime_oauth_states where nonce = %s and owner_id = %s returning nonce",
            (parsed.nonce, parsed.owner_id),
        ).fetchone()
    if row is None:
        raise StateRefused(USED, "used")


def ensure_pending(db: Database, parsed: OAuthState) -> None:
    """Refuse a verified state that was used already, without using it up (for the steps of
    the trip before its end: /authorize and the callback)."""
    with db.as_person(parsed.owner_id) as conn:
        row = conn.execute("select 1 from wakatime_oauth_states where nonce = %s", (parsed.nonce,)).fetchone()
    if row is None:
        raise StateRefused(USED, "used")


def authorize_link(db: Database, principal: Principal, settings: Settings) -> str:
    """Where the Integrations page sends the browser to connect WakaTime (a fresh state inside)."""
    query = urlencode({"state": issue(db, principal, settings)})
    return f"{settings.api_base_url}{paths.WAKATIME_AUTHORIZE}?{query}"
