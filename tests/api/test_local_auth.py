"""The local Supabase Auth subset, driven by the real `supabase` client over loopback HTTP.

Whatever the Streamlit app does to log people in must work here unchanged, so every flow
goes through `supabase_auth`, and errors are checked as the client surfaces them
(AuthApiError with GoTrue's code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.net import outside_address
from tests.utils.users import PASSWORD, TestUser, unique_email
from timetracker.auth import client_address
from timetracker.auth.supabase_session import new_auth_client
from timetracker.auth.tokens import issue_access_token
from timetracker.config import Settings

Credentials = dict[str, str]


def credentials(email: str, password: str = PASSWORD) -> Credentials:
    return {"email": email, "password": password}


def auth_error(call, *args) -> AuthApiError:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthApiError) as caught:
        call(*args)
    return caught.value


@pytest.fixture
def start_app(settings: Settings) -> Iterator[Callable[..., RunningApp]]:
    """Start a second server with changed settings, so the shared one keeps its defaults
    (a strict throttle or no refresh grace there would break everyone else's tests)."""
    with ExitStack() as stack:
        yield lambda **overrides: stack.enter_context(running_app(variant(settings, **overrides)))


# -- accounts and sessions -------------------------------------------------------------


def test_sign_up_returns_a_session_for_the_new_user(api_url: str) -> None:
    email = unique_email("signup")
    response = auth_client(api_url).sign_up({**credentials(email), "options": {"data": {"display_name": "Ana"}}})
    assert response.session is not None and response.user is not None
    assert response.user.email == email
    assert response.user.user_metadata == {"display_name": "Ana"}
    assert response.session.refresh_token
    assert auth_client(api_url).get_user(response.session.access_token).user.id == response.user.id


def test_log_in_get_user_and_refresh(api_url: str, alice: TestUser) -> None:
    client = auth_client(api_url)
    signed_in = client.sign_in_with_password(credentials(alice.email))
    assert signed_in.user.id == str(alice.id)
    assert client.get_user().user.email == alice.email

    refreshed = client.refresh_session()
    assert refreshed.session.refresh_token != signed_in.session.refresh_token
    assert refreshed.user.id == str(alice.id)
    assert auth_client(api_url).get_user(refreshed.session.access_token).user.id == str(alice.id)


def test_email_is_matched_case_insensitively(api_url: str, alice: TestUser) -> None:
    signed_in = auth_client(api_url).sign_in_with_password(credentials(alice.email.upper()))
    assert signed_in.user.id == str(alice.id)


def test_reusing_a_rotated_refresh_token_within_the_grace_period_is_allowed(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    # Two tabs refreshing at once both send the same token.
    client = auth_client(start_app(refresh_token_reuse_seconds=3600).url)
    client.refresh_session(alice.refresh_token)
    again = client.refresh_session(alice.refresh_token)
    assert again.user.id == str(alice.id)


def test_reusing_a_rotated_refresh_token_revokes_the_session(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    client = auth_client(start_app(refresh_token_reuse_seconds=0).url)
    stolen = alice.refresh_token
    other_device = client.sign_in_with_password(credentials(alice.email)).session.refresh_token
    current = client.refresh_session(stolen).session.refresh_token

    assert auth_error(client.refresh_session, stolen).code == "refresh_token_already_used"
    # The whole session is gone, including the token the rightful holder got last...
    assert auth_error(client.refresh_session, current).code in {"refresh_token_not_found", "session_not_found"}
    # ...but the person's other sessions are not.
    assert client.refresh_session(other_device).user.id == str(alice.id)


def test_unknown_refresh_token_is_refused(api_url: str) -> None:
    error = auth_error(auth_client(api_url).refresh_session, "not-a-refresh-token")
    assert error.code == "refresh_token_not_found"
    assert error.status == 400


@pytest.mark.parametrize(
    ("scope", "first_survives", "second_survives"),
    [("global", False, False), ("local", False, True), ("others", True, False)],
)
def test_log_out_revokes_refresh_tokens_by_scope(
    api_url: str, alice: TestUser, scope: str, first_survives: bool, second_survives: bool
) -> None:
    first, second = auth_client(api_url), auth_client(api_url)
    first_refresh = first.sign_in_with_password(credentials(alice.email)).session.refresh_token
    second_refresh = second.sign_in_with_password(credentials(alice.email)).session.refresh_token

    first.sign_out({"scope": scope})

    for refresh_token, survives in ((first_refresh, first_survives), (second_refresh, second_survives)):
        if survives:
            assert auth_client(api_url).refresh_session(refresh_token).user.id == str(alice.id)
        else:
            assert auth_error(auth_client(api_url).refresh_session, refresh_token).code == "refresh_token_not_found"


def test_get_user_refuses_an_expired_access_token(api_url: str, settings: Settings, alice: TestUser) -> None:
    expired, _ = issue_access_token(
        settings,
        user_id=alice.id,
        email=alice.email,
        session_id=alice.principal.claims["session_id"],
        app_metadata={},
        user_metadata={},
        now=0,
    )
    error = auth_error(auth_client(api_url).get_user, expired)
    assert (error.status, error.code) == (401, "bad_jwt")


# -- refusals --------------------------------------------------------------------------


def test_wrong_password_and_unknown_email_get_the_same_answer(api_url: str, alice: TestUser) -> None:
    client = auth_client(api_url)
    wrong_password = auth_error(client.sign_in_with_password, credentials(alice.email, "not the password"))
    unknown_email = auth_error(client.sign_in_with_password, credentials(unique_email("nobody")))
    assert (wrong_password.status, wrong_password.code) == (400, "invalid_credentials")
    assert (unknown_email.status, unknown_email.code, unknown_email.message) == (
        wrong_password.status,
        wrong_password.code,
        wrong_password.message,
    )


@pytest.mark.parametrize("spelling", [str, str.upper], ids=["same", "upper-case"])
def test_duplicate_email_is_refused(api_url: str, alice: TestUser, spelling) -> None:  # type: ignore[no-untyped-def]
    error = auth_error(auth_client(api_url).sign_up, credentials(spelling(alice.email)))
    assert (error.status, error.code) == (422, "user_already_exists")


@pytest.mark.parametrize("password", ["short", "é" * 37], ids=["too-short", "over-72-bytes"])
def test_weak_password_is_refused(api_url: str, password: str) -> None:
    # GoTrue's body carries the reasons; the client raises its own error type for it.
    with pytest.raises(AuthWeakPasswordError) as caught:
        auth_client(api_url).sign_up(credentials(unique_email("weak"), password))
    assert (caught.value.status, caught.value.code, caught.value.reasons) == (422, "weak_password", ["length"])


def test_invalid_email_is_refused(api_url: str) -> None:
    error = auth_error(auth_client(api_url).sign_up, credentials("not-an-email"))
    assert (error.status, error.code) == (400, "validation_failed")


def test_repeated_failures_are_throttled_even_for_the_right_password(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    strict_app = start_app(login_max_failures=3)
    client = auth_client(strict_app.url)
    for _ in range(strict_app.settings.login_max_failures):
        assert auth_error(client.sign_in_with_password, credentials(alice.email, "guess")).code == "invalid_credentials"

    error = auth_error(client.sign_in_with_password, credentials(alice.email))
    assert (error.status, error.code) == (429, "over_request_rate_limit")

    raw = httpx.post(f"{strict_app.url}/auth/v1/token?grant_type=password", json=credentials(alice.email))
    assert raw.status_code == 429
    assert 0 < int(raw.headers["Retry-After"]) <= strict_app.settings.login_lockout_seconds + 1
    assert raw.json()["code"] == "over_request_rate_limit"


def as_browser(settings: Settings, address: str | None) -> dict[str, str]:
    """The headers the dashboard adds for a browser at `address` (the channel only it can use)."""
    return client_address.dashboard_headers(settings.master_secret.get_secret_value(), address)


def login(app: RunningApp, email: str, password: str, address: str | None = None) -> httpx.Response:
    """A raw password grant, from a browser at `address` as the dashboard names it (no address:
    the caller itself, on loopback)."""
    return httpx.post(
        f"{app.url}/auth/v1/token?grant_type=password",
        json=credentials(email, password),
        headers=as_browser(app.settings, address),
    )


def sign_up(app: RunningApp, email: str, address: str | None = None) -> httpx.Response:
    return httpx.post(f"{app.url}/auth/v1/signup", json=credentials(email), headers=as_browser(app.settings, address))


def test_failures_through_the_dashboard_do_not_lock_out_other_people(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    """Logins that name no browser all reach /auth/v1 from 127.0.0.1: anyone's wrong guesses
    there must not lock out everybody."""
    strict_app = start_app(login_max_failures=3, login_max_failures_per_address=3)
    for _ in range(strict_app.settings.login_max_failures + 1):
        assert login(strict_app, unique_email("guesser"), "guess").status_code == 400

    assert login(strict_app, alice.email, PASSWORD).status_code == 200


def test_failures_from_one_outside_address_lock_out_that_address(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    strict_app = start_app(login_max_failures_per_address=3)
    sprayer = outside_address()
    for _ in range(strict_app.settings.login_max_failures_per_address):
        assert login(strict_app, unique_email("sprayed"), "guess", sprayer).status_code == 400

    refused = login(strict_app, alice.email, PASSWORD, sprayer)
    assert refused.status_code == 429
    assert refused.json()["code"] == "over_request_rate_limit"
    assert login(strict_app, alice.email, PASSWORD, outside_address()).status_code == 200
    assert login(strict_app, alice.email, PASSWORD).status_code == 200


def test_sign_ups_are_limited_per_address(start_app: Callable[..., RunningApp]) -> None:
    strict_app = start_app(signup_max_per_ip=2, signup_window_seconds=600)
    busy = outside_address()
    for _ in range(2):
        assert sign_up(strict_app, unique_email("batch"), busy).status_code == 200

    refused_email = unique_email("one-too-many")
    refused = sign_up(strict_app, refused_email, busy)
    assert refused.status_code == 429, refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 601
    body = refused.json()
    assert (body["code"], body["error_code"]) == ("over_request_rate_limit", "over_request_rate_limit")
    assert "sign-ups" in body["msg"]
    # Nothing was created, and other addresses (and callers on loopback) still sign up.
    assert login(strict_app, refused_email, PASSWORD).json()["code"] == "invalid_credentials"
    assert sign_up(strict_app, refused_email, outside_address()).status_code == 200
    assert sign_up(strict_app, unique_email("local")).status_code == 200


def test_the_dashboards_client_sees_the_sign_up_limit(start_app: Callable[..., RunningApp]) -> None:
    strict_app = start_app(signup_max_per_ip=1, signup_window_seconds=600)
    browser = outside_address()
    assert sign_up(strict_app, unique_email("first"), browser).status_code == 200
    client = new_auth_client(strict_app.settings, browser)
    error = auth_error(client.sign_up, credentials(unique_email("second")))
    assert (error.status, error.code) == (429, "over_request_rate_limit")


# -- what the client sends on the side -------------------------------------------------


@pytest.mark.parametrize("stale", ["any-key", "expired-jwt"])
def test_stale_authorization_header_is_ignored_on_signup_and_token(
    http: httpx.Client, settings: Settings, alice: TestUser, stale: str
) -> None:
    # The client sends its anon key, or an old session's token, with every request.
    if stale == "expired-jwt":
        stale, _ = issue_access_token(
            settings, user_id=alice.id, email=alice.email, session_id=alice.id, app_metadata={}, user_metadata={}, now=0
        )
    headers = {"Authorization": f"Bearer {stale}", "apikey": "any-key"}
    signup = http.post("/auth/v1/signup", json=credentials(unique_email("stale")), headers=headers)
    login = http.post("/auth/v1/token?grant_type=password", json=credentials(alice.email), headers=headers)
    refresh = http.post(
        "/auth/v1/token?grant_type=refresh_token", json={"refresh_token": alice.refresh_token}, headers=headers
    )
    assert [signup.status_code, login.status_code, refresh.status_code] == [200, 200, 200]


def test_errors_carry_gotrue_shape_and_api_version(http: httpx.Client) -> None:
    response = http.post("/auth/v1/token?grant_type=password", json={"email": "x@example.com"})
    assert response.status_code == 400
    assert response.headers["X-Supabase-Api-Version"] == "2024-01-01"
    assert response.json()["code"] == "validation_failed"
