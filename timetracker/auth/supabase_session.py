"""One person's login through the real `supabase` client (the dashboard's side of auth).

The same code runs against this server's local /auth/v1 and against real Supabase: only
`settings.auth_url` differs. Each browser session gets its own client, so one person's
session can never be handed to another; the client keeps the session in memory only
(`persist_session=False`) and refreshes it when asked rather than from a background timer.

Several Streamlit sessions (tabs, reloads) of one browser resume the same auth session from
its cookie, so they must follow one refresh-token chain: the auth server rotates a refresh
token on use and, outside a short grace period, treats a second use as theft and revokes the
whole session. `SessionChains` (one per process) records which session each used refresh
token was rotated into, so a tab holding an older token adopts the newest one instead of
reusing the old one, as supabase-js tabs do through their shared storage and lock.
"""

from __future__ import annotations

import threading
import time
from typing import Literal

from supabase import ClientOptions, create_client
from supabase.lib.client_options import DEFAULT_HEADERS
from supabase_auth import SyncGoTrueClient
from supabase_auth.constants import EXPIRY_MARGIN
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError
from supabase_auth.errors import AuthError as ClientAuthError
from supabase_auth.helpers import decode_jwt
from supabase_auth.types import Session

from timetracker import credentials
from timetracker.auth import client_address
from timetracker.config import Settings

# GoTrue error codes -> what a person at the login form should read.
FRIENDLY_MESSAGES = {
    "invalid_credentials": "Wrong email or password.",
    "user_already_exists": "An account with this email already exists. Log in instead.",
    "email_exists": "An account with this email already exists. Log in instead.",
    "email_not_confirmed": "Confirm your email address first (see the link in your inbox), then log in.",
    "validation_failed": "Enter a valid email address.",
}


class LoginFailed(Exception):
    """Sign-up, login or refresh did not work; `message` is fit to show to the person."""

    def __init__(self, message: str, code: str | None = None, refused: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        # The auth server answered no (4xx), as opposed to being unreachable or failing.
        self.refused = refused


def login_failure(exc: ClientAuthError) -> LoginFailed:
    failure = failure_for_person(exc)
    # A throttled (429) or failing (5xx) server has not judged the credentials.
    failure.refused = isinstance(exc, AuthApiError) and 400 <= exc.status < 500 and exc.status != 429
    return failure


def failure_for_person(exc: ClientAuthError) -> LoginFailed:
    code = getattr(exc, "code", None)
    if isinstance(exc, AuthWeakPasswordError):
        return LoginFailed(f"That password is too weak: {exc.message}", "weak_password")
    if isinstance(exc, AuthApiError) and exc.status == 429:
        # The server's own words carry the wait ("Try again in 120 seconds").
        return LoginFailed(exc.message or "Too many attempts. Wait a little and try again.", code)
    if code in FRIENDLY_MESSAGES:
        return LoginFailed(FRIENDLY_MESSAGES[code], code)
    if isinstance(exc, AuthApiError):
        return LoginFailed(exc.message or "The auth server refused the request.", code)
    return LoginFailed(f"The auth server could not be reached ({exc.message}).", code)


def new_auth_client(settings: Settings, browser_address: str | None = None) -> SyncGoTrueClient:
    """A client for one browser session. With this server's own auth, it names the browser's
    address (proved with the dashboard's key), so the login throttle counts that browser, not
    the dashboard process every login comes from. Never sent to an outside Supabase."""
    headers = dict(DEFAULT_HEADERS)
    if settings.uses_local_auth:
        headers.update(client_address.dashboard_headers(settings.master_secret.get_secret_value(), browser_address))
    options = ClientOptions(persist_session=False, auto_refresh_token=False, headers=headers)
    return create_client(settings.auth_url, settings.supabase_anon_key.get_secret_value(), options=options).auth


def expiring(session: Session) -> bool:
    """True when the access token has expired or will within the client's own safety margin."""
    return bool(session.expires_at) and session.expires_at <= time.time() + EXPIRY_MARGIN


def auth_session_id(session: Session) -> str:
    """The auth server's session id (the `session_id` claim), used only as a key in memory:
    the page verifies every access token before trusting any claim."""
    return str(decode_jwt(session.access_token)["payload"].get("session_id", ""))


class SessionChains:
    """Where each refresh token this process has used led: the newest session of its chain.

    Only digests of used (already rotated, hence dead) refresh tokens are kept as keys, with
    when they were used; the newest session of each chain is kept until it is signed out or
    refused.
    """

    def __init__(self) -> None:
        # Held across the refresh request itself: two tabs never rotate one chain at once.
        self.lock = threading.RLock()
        self._chain_of: dict[str, tuple[str, float]] = {}
        self._newest: dict[str, Session] = {}

    def newest(self, refresh_token: str, used_within: float | None = None) -> Session | None:
        """The newest session of the chain `refresh_token` belongs to, if this process rotated it
        (and, with `used_within`, did so at most that many seconds ago)."""
        chain, used_at = self._chain_of.get(credentials.digest(refresh_token), ("", 0.0))
        if not chain or (used_within is not None and time.monotonic() - used_at > used_within):
            return None
        return self._newest.get(chain)

    def record(self, used_refresh_token: str | None, session: Session) -> None:
        chain = auth_session_id(session)
        if used_refresh_token:
            self._chain_of[credentials.digest(used_refresh_token)] = (chain, time.monotonic())
        self._newest[chain] = session

    def forget(self, session: Session) -> None:
        chain = auth_session_id(session)
        self._newest.pop(chain, None)
        for key in [key for key, (value, _) in self._chain_of.items() if value == chain]:
            del self._chain_of[key]


CHAINS = SessionChains()


class SupabaseLogin:
    """The login of one browser session: sign up, sign in, a fresh access token, sign out."""

    def __init__(self, settings: Settings, browser_address: str | None = None) -> None:
        self.client = new_auth_client(settings, browser_address)
        self.reuse_seconds = settings.refresh_token_reuse_seconds
        # What the client holds, tracked here so reading it never triggers the client's own
        # refresh (which would bypass the chain).
        self._session: Session | None = None

    def _hold(self, session: Session | None) -> None:
        self._session = session
        if session is not None:
            with CHAINS.lock:
                CHAINS.record(None, session)

    def sign_up(self, email: str, password: str) -> bool:
        """Create the account; True when it is also logged in (False: email confirmation pending)."""
        try:
            response = self.client.sign_up({"email": email.strip(), "password": password})
        except ClientAuthError as exc:
            raise login_failure(exc) from exc
        self._hold(response.session)
        return response.session is not None

    def sign_in(self, email: str, password: str) -> None:
        try:
            response = self.client.sign_in_with_password({"email": email.strip(), "password": password})
        except ClientAuthError as exc:
            raise login_failure(exc) from exc
        self._hold(response.session)

    def resume(self, refresh_token: str) -> str:
        """Log in with a refresh token kept by the browser; returns the person's email.

        Raises LoginFailed when the auth server refuses it (signed out, revoked, unknown).
        A token another tab rotated is followed to the newest session only within the auth
        server's own reuse grace period: an older one goes to the server, which treats it as
        stolen and revokes the session, exactly as if this process did not exist.
        """
        with CHAINS.lock:
            self._session = self._renewed(refresh_token, used_within=self.reuse_seconds)
        return self._session.user.email or ""

    def refresh_token(self) -> str | None:
        """The refresh token this login would use next (what the browser keeps)."""
        return self._session.refresh_token if self._session else None

    def held_access_token(self) -> str | None:
        """The access token held now, as it is: never refreshed here (it may have expired).
        For a second look within one page run, which must not rotate the refresh token again."""
        return self._session.access_token if self._session else None

    def _renewed(self, refresh_token: str, used_within: float | None = None) -> Session:
        """The newest live session of `refresh_token`'s chain; the caller holds CHAINS.lock.

        If another tab already rotated this token, take over its session rather than use the
        token again (a second use would look like theft and end the session everywhere).
        A session that held the token in memory may always do so; a cookie only `used_within`.
        """
        newest = CHAINS.newest(refresh_token, used_within)
        try:
            if newest is not None and not expiring(newest):
                adopted = self.client.set_session(newest.access_token, newest.refresh_token).session
                if adopted is None:
                    raise LoginFailed("Your session has ended.", refused=True)
                return adopted
            used = newest.refresh_token if newest is not None else refresh_token
            fresh = self.client.refresh_session(used).session
        except ClientAuthError as exc:
            if newest is not None:
                CHAINS.forget(newest)
            raise login_failure(exc) from exc
        if fresh is None:
            raise LoginFailed("Your session has ended.", refused=True)
        CHAINS.record(used, fresh)
        return fresh

    def access_token(self) -> str | None:
        """The current access token, refreshed first when it has expired or is about to.

        None when nobody is logged in. A refresh the server refuses (revoked or reused
        refresh token) raises LoginFailed: the session is over.
        """
        session = self._session
        if session is None:
            return None
        if expiring(session):
            with CHAINS.lock:
                try:
                    self._session = session = self._renewed(session.refresh_token)
                except LoginFailed:
                    self._session = None
                    raise
        return session.access_token

    def sign_out(self, scope: Literal["global", "local"] = "global") -> None:
        """Revoke the session on the server (`global`: every session of the person, the client's
        default; `local`: this one alone); forget it locally even if the server is unreachable."""
        if self._session is not None:
            with CHAINS.lock:
                CHAINS.forget(self._session)
            self._session = None
        try:
            self.client.sign_out({"scope": scope})
        except ClientAuthError:
            if scope != "local":
                self.client.sign_out({"scope": "local"})
