"""One person's login through the real `supabase` client (the dashboard's side of auth).

The same code runs against this server's local /auth/v1 and against real Supabase: only
`settings.auth_url` differs. Each browser session gets its own client, so one person's
session can never be handed to another; the client keeps the session in memory only
(`persist_session=False`) and refreshes it when asked rather than from a background timer.
"""

from __future__ import annotations

from supabase import ClientOptions, create_client
from supabase_auth import SyncGoTrueClient
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError
from supabase_auth.errors import AuthError as ClientAuthError

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

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def login_failure(exc: ClientAuthError) -> LoginFailed:
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


def new_auth_client(settings: Settings) -> SyncGoTrueClient:
    options = ClientOptions(persist_session=False, auto_refresh_token=False)
    return create_client(settings.auth_url, settings.supabase_anon_key.get_secret_value(), options=options).auth


class SupabaseLogin:
    """The login of one browser session: sign up, sign in, a fresh access token, sign out."""

    def __init__(self, settings: Settings) -> None:
        self.client = new_auth_client(settings)

    def sign_up(self, email: str, password: str) -> bool:
        """Create the account; True when it is also logged in (False: email confirmation pending)."""
        try:
            response = self.client.sign_up({"email": email.strip(), "password": password})
        except ClientAuthError as exc:
            raise login_failure(exc) from exc
        return response.session is not None

    def sign_in(self, email: str, password: str) -> None:
        try:
            self.client.sign_in_with_password({"email": email.strip(), "password": password})
        except ClientAuthError as exc:
            raise login_failure(exc) from exc

    def access_token(self) -> str | None:
        """The current access token, refreshed first when it has expired or is about to.

        None when nobody is logged in. A refresh the server refuses (revoked or reused
        refresh token) raises LoginFailed: the session is over.
        """
        try:
            session = self.client.get_session()
        except ClientAuthError as exc:
            raise login_failure(exc) from exc
        return session.access_token if session else None

    def sign_out(self) -> None:
        """Revoke the session on the server; forget it locally even if the server is unreachable."""
        try:
            self.client.sign_out()
        except ClientAuthError:
            self.client.sign_out({"scope": "local"})
