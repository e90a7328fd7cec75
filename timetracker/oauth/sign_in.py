"""The authorize page's sign-in: email + password through the product's own auth path.

The dashboard's login lives in Streamlit's session state, which a plain HTTP page on the
API cannot see, so the authorize page asks for the password itself and checks it exactly
as the dashboard does: the local auth server's password grant (with its throttle and
constant-time dummy hash) or, with Supabase configured, Supabase Auth through the same
client the dashboard uses. The session it opens is closed right away: only the identity
is needed, to bind the authorization code to it.
"""

from __future__ import annotations

from timetracker.auth.errors import AuthError
from timetracker.auth.principal import Principal
from timetracker.runtime import Runtime
from timetracker.storable import unstorable_text


class SignInFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sign_in(runtime: Runtime, email: str, password: str, client_address: str) -> Principal:
    if unstorable_text(email):
        # No account's email has a NUL or a lone surrogate, and Postgres text cannot hold
        # either: the lookup would be a 500.
        raise SignInFailed("Invalid login credentials")
    if runtime.local_auth is not None:
        try:
            session = runtime.local_auth.password_grant(email, password, client_address)
        except AuthError as exc:
            raise SignInFailed(exc.message) from exc
        principal = runtime.authenticator.from_access_token(session.access_token)
        runtime.local_auth.logout(session.access_token, "local")
        return principal
    # Only with Supabase Auth: the client library is imported here, not at the API's start.
    from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin

    login = SupabaseLogin(runtime.settings)
    try:
        login.sign_in(email, password)
        token = login.access_token()
    except LoginFailed as exc:
        raise SignInFailed(exc.message) from exc
    if token is None:
        raise SignInFailed("Invalid login credentials")
    principal = runtime.authenticator.from_access_token(token)
    # Only the session opened here: the person's dashboard and other devices stay logged in.
    login.sign_out("local")
    return principal
