"""Finishing the WakaTime OAuth trip, as the person who started it.

WakaTime sends the browser to our callback with `code` and `state`. Storing the grant right
there would connect whoever the state names, whoever approved on WakaTime: send your connect
link to a colleague, they approve, and their WakaTime data flows into your account (OAuth
"login CSRF"). So the callback only checks the state and passes the code on to the dashboard
(or an API client), and `complete` exchanges it only for the logged-in owner of the state.

Outcomes travel back to the dashboard as a fixed word (`OUTCOMES`), never as text taken from
a URL, so a crafted link cannot put its own words on our page.
"""

from __future__ import annotations

import contextlib
from typing import Any

from timetracker.auth.principal import Principal
from timetracker.cipher import TokenCipher
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.errors import DomainError
from timetracker.wakatime import connections, oauth_state
from timetracker.wakatime.client import GrantRefused, WakaTimeClient, WakaTimeError

OUTCOMES = {
    "connected": "WakaTime is connected.",
    "invalid": "The sign-in state is invalid; start connecting again from this page.",
    "expired": "The sign-in link expired; start connecting again.",
    "used": "That sign-in link was already used; start connecting again.",
    "denied": "WakaTime access was not granted; nothing was connected.",
    "wrong_account": (
        "This WakaTime connection was started from another account, so nothing was connected."
        " To connect your own WakaTime, start from this page."
    ),
    "code_refused": "WakaTime refused the sign-in code (it may have expired); start connecting again.",
    "exchange_failed": "WakaTime could not be reached to finish connecting; try again in a moment.",
}


class ConnectFailed(DomainError):
    code = "wakatime_connect_failed"

    def __init__(self, reason: str) -> None:
        super().__init__(OUTCOMES[reason])
        self.reason = reason


def message_for(outcome: str) -> str:
    """The fixed text for an outcome word (anything unknown reads as an invalid state)."""
    return OUTCOMES.get(outcome, OUTCOMES["invalid"])


def check_callback(db: Database, state: str, settings: Settings) -> oauth_state.OAuthState:
    """What the callback may check without knowing who holds the browser: signature, expiry, unused."""
    parsed = oauth_state.verify(state, settings)
    oauth_state.ensure_pending(db, parsed)
    return parsed


def abandon(db: Database, state: str, settings: Settings) -> None:
    """WakaTime said no: use the state up so the link cannot be tried again."""
    with contextlib.suppress(oauth_state.StateRefused):
        oauth_state.consume(db, state, settings)


def complete(
    db: Database,
    principal: Principal,
    state: str,
    code: str,
    client: WakaTimeClient,
    cipher: TokenCipher,
    settings: Settings,
) -> dict[str, Any] | None:
    """Exchange `code` and store the grant for `principal`, who must own `state`; the new status."""
    try:
        parsed = oauth_state.verify(state, settings)
    except oauth_state.StateRefused as exc:
        raise ConnectFailed(exc.reason) from exc
    if parsed.owner_id != principal.user_id:
        # Not used up: the person it was made for can still finish with their own browser.
        raise ConnectFailed("wrong_account")
    try:
        # Used up before the exchange, whatever WakaTime answers: a state never works twice.
        oauth_state.use_up(db, parsed)
    except oauth_state.StateRefused as exc:
        raise ConnectFailed(exc.reason) from exc
    if not code:
        raise ConnectFailed("denied")
    try:
        grant = client.exchange_code(code)
    except GrantRefused as exc:
        raise ConnectFailed("code_refused") from exc
    except WakaTimeError as exc:
        raise ConnectFailed("exchange_failed") from exc
    connections.save_grant(db, principal.user_id, grant, cipher)
    return connections.status(db, principal)
