"""An access token stops working the moment its session ends, and making credentials needs a
recent login.

Sessions end by logout, by the reuse of a rotated refresh token (theft), by a password change
(every other session) and by deleting the account. Each is driven as the dashboard does it
(the real `supabase` client) or as an operator would (a row deleted), then the old access
token is tried against the JSON API and /auth/v1 over real HTTP.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta

import httpx
import psycopg
import pytest
from supabase_auth.errors import AuthApiError

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.bearers import api_token
from tests.utils.devices import unique_device_id
from tests.utils.users import PASSWORD, TestUser
from timetracker.auth.principal import Principal
from timetracker.auth.sessions import SessionCheck, authenticated_at_claim
from timetracker.auth.tokens import issue_access_token
from timetracker.config import Settings
from timetracker.runtime import Runtime

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def start_app(settings: Settings) -> Iterator[Callable[..., RunningApp]]:
    with ExitStack() as stack:
        yield lambda **overrides: stack.enter_context(running_app(variant(settings, **overrides)))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_session_ended(http: httpx.Client, token: str) -> None:
    """The JSON API answers 401 with a body that says what happened; /auth/v1 answers as GoTrue."""
    profile = http.get("/api/v1/profile", headers=bearer(token))
    assert profile.status_code == 401, profile.text
    assert profile.json()["error"] == "session_not_found"
    assert "Log in again" in profile.json()["message"]
    assert profile.headers["www-authenticate"] == "Bearer"
    user = http.get("/auth/v1/user", headers=bearer(token))
    assert (user.status_code, user.json()["code"]) == (403, "session_not_found")


def backdate_session(runtime: Runtime, token: str, by: timedelta) -> None:
    """Make the login behind `token` look `by` older (as if it had been kept that long)."""
    session_id = runtime.authenticator.verifier.verify(token)["session_id"]
    with psycopg.connect(runtime.db.admin_url) as conn:
        conn.execute("update auth.sessions set created_at = created_at - %s where id = %s", (by, session_id))


def test_logging_out_ends_the_access_token_at_once(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    client = auth_client(api_url)
    token = client.sign_in_with_password({"email": alice.email, "password": PASSWORD}).session.access_token
    assert http.get("/api/v1/profile", headers=bearer(token)).status_code == 200

    client.sign_out()

    assert_session_ended(http, token)
    minted = http.post("/api/v1/tokens", json={"name": "after logout"}, headers=bearer(token))
    assert minted.status_code == 401
    listed = http.get("/api/v1/tokens", headers=alice.headers)  # alice's other (global logout: ended too)
    assert listed.status_code == 401
    fresh = auth_client(api_url).sign_in_with_password({"email": alice.email, "password": PASSWORD}).session
    names = [t["name"] for t in http.get("/api/v1/tokens", headers=bearer(fresh.access_token)).json()]
    assert "after logout" not in names


def test_logging_out_locally_ends_only_that_session(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    leaving, staying = auth_client(api_url), auth_client(api_url)
    leaving_token = leaving.sign_in_with_password({"email": alice.email, "password": PASSWORD}).session.access_token
    staying_token = staying.sign_in_with_password({"email": alice.email, "password": PASSWORD}).session.access_token

    leaving.sign_out({"scope": "local"})

    assert_session_ended(http, leaving_token)
    assert http.get("/api/v1/profile", headers=bearer(staying_token)).status_code == 200


def test_a_reused_refresh_token_ends_the_sessions_access_tokens(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    app = start_app(refresh_token_reuse_seconds=0)
    client = auth_client(app.url)
    stolen = alice.refresh_token
    current = client.refresh_session(stolen).session
    with httpx.Client(base_url=app.url) as http:
        assert http.get("/api/v1/profile", headers=bearer(current.access_token)).status_code == 200

        with pytest.raises(AuthApiError) as reused:
            client.refresh_session(stolen)
        assert reused.value.code == "refresh_token_already_used"

        assert_session_ended(http, current.access_token)
        assert_session_ended(http, alice.access_token)


def test_a_password_change_ends_every_other_session(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    changer, elsewhere = auth_client(api_url), auth_client(api_url)
    changer.sign_in_with_password({"email": alice.email, "password": PASSWORD})
    other = elsewhere.sign_in_with_password({"email": alice.email, "password": PASSWORD}).session

    changed = changer.update_user({"password": NEW_PASSWORD})
    assert changed.user.id == str(alice.id)

    assert_session_ended(http, other.access_token)
    assert_session_ended(http, alice.access_token)
    with pytest.raises(AuthApiError) as refused:
        auth_client(api_url).refresh_session(other.refresh_token)
    assert refused.value.code == "refresh_token_not_found"
    # The session that changed it carries on; the old password is over, the new one works.
    assert http.get("/api/v1/profile", headers=bearer(changer.get_session().access_token)).status_code == 200
    with pytest.raises(AuthApiError) as old:
        auth_client(api_url).sign_in_with_password({"email": alice.email, "password": PASSWORD})
    assert old.value.code == "invalid_credentials"
    assert auth_client(api_url).sign_in_with_password({"email": alice.email, "password": NEW_PASSWORD}).session


def test_changing_the_password_needs_a_recent_login(
    http: httpx.Client, api_url: str, runtime: Runtime, settings: Settings, alice: TestUser
) -> None:
    client = auth_client(api_url)
    session = client.sign_in_with_password({"email": alice.email, "password": PASSWORD}).session
    backdate_session(
        runtime, session.access_token, timedelta(minutes=settings.sensitive_action_max_session_age_minutes + 1)
    )

    with pytest.raises(AuthApiError) as refused:
        client.update_user({"password": NEW_PASSWORD})
    assert refused.value.code == "reauthentication_needed"
    assert "log in again" in refused.value.message
    assert auth_client(api_url).sign_in_with_password({"email": alice.email, "password": PASSWORD}).session


def test_only_the_password_can_be_changed(http: httpx.Client, alice: TestUser) -> None:
    answer = http.put("/auth/v1/user", json={"email": "someone@example.com"}, headers=alice.headers)
    assert (answer.status_code, answer.json()["code"]) == (422, "validation_failed")


def test_a_deleted_account_gets_401_everywhere_on_one_connection(
    api_url: str, runtime: Runtime, alice: TestUser
) -> None:
    """A valid token of an account that is gone was a 500 (a foreign-key error at the insert),
    after which the keep-alive connection was reset. Now: 401 each, one connection throughout."""
    with httpx.Client(base_url=api_url, timeout=30, limits=httpx.Limits(max_connections=1)) as http:
        script = bearer(api_token(http, alice))
        with psycopg.connect(runtime.db.admin_url) as conn:
            conn.execute("delete from auth.users where id = %s", (alice.id,))

        calls = [
            ("GET", "/api/v1/profile", None),
            ("POST", "/api/v1/teams", {"name": "Ghosts"}),
            ("POST", "/api/v1/tokens", {"name": "ghost"}),
            ("POST", "/api/v1/timer/events", {"type": "NEXT", "timestamp": "2025-04-11T09:00:00+00:00"}),
            ("POST", "/api/v1/devices", {"device_id": unique_device_id(), "name": "Desk"}),
            ("PUT", "/api/v1/tags", {"labels": {"dd 54 2a 83": "Apollo"}}),
        ]
        peers = set()
        for headers in (alice.headers, script):
            for method, path, body in calls:
                answer = http.request(method, path, json=body, headers=headers)
                assert answer.status_code == 401, f"{method} {path}: {answer.status_code} {answer.text}"
                assert answer.json()["error"] in {"session_not_found", "bad_jwt"}
                peers.add(answer.extensions["network_stream"].get_extra_info("client_addr"))
        user = http.get("/auth/v1/user", headers=alice.headers)
        assert (user.status_code, user.json()["code"]) == (403, "session_not_found")
        peers.add(user.extensions["network_stream"].get_extra_info("client_addr"))
    assert len(peers) == 1  # never reset: every answer came over the first connection


def test_making_credentials_needs_a_recent_login(
    http: httpx.Client, api_url: str, runtime: Runtime, settings: Settings, alice: TestUser
) -> None:
    old_enough = timedelta(minutes=settings.sensitive_action_max_session_age_minutes, seconds=30)
    backdate_session(runtime, alice.access_token, old_enough)
    sensitive = [
        ("POST", "/api/v1/tokens", {"name": "kept"}),
        ("POST", "/api/v1/devices", {"device_id": unique_device_id(), "name": "Desk"}),
        ("POST", "/api/v1/wakatime/key", None),
        ("POST", "/api/v1/teams", {"name": "Later"}),
        ("POST", f"/api/v1/invitations/{uuid.uuid4()}/accept", None),
    ]
    for method, path, body in sensitive:
        refused = http.request(method, path, json=body, headers=alice.headers)
        assert refused.status_code == 403, f"{path}: {refused.text}"
        assert refused.json()["error"] == "reauthentication_needed"
        assert "Log in again" in refused.json()["message"]
    # Everything else still works with the older login: reading, and revoking.
    assert http.get("/api/v1/tokens", headers=alice.headers).json() == []
    assert http.get("/api/v1/profile", headers=alice.headers).status_code == 200

    fresh = auth_client(api_url).sign_in_with_password({"email": alice.email, "password": PASSWORD}).session
    for method, path, body in sensitive[:4]:
        assert http.request(method, path, json=body, headers=bearer(fresh.access_token)).status_code == 201, path


def test_a_refresh_does_not_make_a_login_recent(
    http: httpx.Client, api_url: str, runtime: Runtime, settings: Settings, alice: TestUser
) -> None:
    """The age is the session's (its login), not the access token's: refreshing keeps it."""
    backdate_session(
        runtime, alice.access_token, timedelta(minutes=settings.sensitive_action_max_session_age_minutes + 1)
    )
    refreshed = auth_client(api_url).refresh_session(alice.refresh_token).session
    assert http.get("/api/v1/profile", headers=bearer(refreshed.access_token)).status_code == 200
    refused = http.post("/api/v1/tokens", json={"name": "x"}, headers=bearer(refreshed.access_token))
    assert (refused.status_code, refused.json()["error"]) == (403, "reauthentication_needed")


@pytest.mark.parametrize("session_id", [None, "random"])
def test_a_token_naming_no_live_session_is_refused(
    http: httpx.Client, settings: Settings, alice: TestUser, session_id: str | None
) -> None:
    """Signed with the right secret, but for no session that exists: it could never be logged out."""
    token, _ = issue_access_token(
        settings,
        user_id=alice.id,
        email=alice.email,
        session_id=uuid.uuid4(),
        app_metadata={},
        user_metadata={},
    )
    if session_id is None:
        import jwt

        claims = jwt.decode(token, options={"verify_signature": False})
        del claims["session_id"]
        token = jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")
    answer = http.get("/api/v1/profile", headers=bearer(token))
    assert (answer.status_code, answer.json()["error"]) == (401, "session_not_found")


def test_without_auth_sessions_the_login_time_comes_from_the_token(runtime: Runtime, alice: TestUser) -> None:
    """The fallback when auth.sessions cannot be read (Supabase Auth with another database):
    no session lookup, and a login's age from GoTrue's `amr` timestamp, kept across refreshes."""
    claims = runtime.authenticator.verifier.verify(alice.access_token)
    claims_only = SessionCheck(runtime.db, enabled=False)
    started = claims_only.started_at({**claims, "session_id": str(uuid.uuid4())})  # not looked up
    assert started == authenticated_at_claim(claims)
    assert started == alice.principal.authenticated_at.replace(microsecond=0)
    recent = Principal(alice.id, authenticated_at=started)
    assert recent.logged_in_within(timedelta(minutes=5))
    assert not Principal(alice.id, via="api_token", authenticated_at=started).logged_in_within(timedelta(minutes=5))
