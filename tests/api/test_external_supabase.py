"""With SUPABASE_URL set, the same code trusts an outside Supabase Auth instead of its own.

The session's app plays the Supabase project (its /auth/v1 is the GoTrue subset, and it
shares the database, as Supabase's auth.users does); a second app is configured with
SUPABASE_URL pointing at it and the project's JWT secret, as a self-hoster would.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.users import PASSWORD, unique_email
from timetracker.auth.tokens import issue_access_token
from timetracker.config import Settings
from timetracker.oauth import CLIENT_ID
from timetracker.oauth.pkce import challenge_for


@pytest.fixture(scope="module")
def supabase_configured_app(settings: Settings, api_url: str) -> Iterator[RunningApp]:
    with running_app(variant(settings, supabase_url=api_url)) as app:
        yield app


def test_it_serves_no_auth_of_its_own(supabase_configured_app: RunningApp) -> None:
    assert supabase_configured_app.runtime.local_auth is None
    answer = httpx.post(f"{supabase_configured_app.url}/auth/v1/token?grant_type=password", json={})
    assert answer.status_code == 404


def test_a_session_from_supabase_auth_works_on_its_api(api_url: str, supabase_configured_app: RunningApp) -> None:
    email = unique_email("supa")
    session = auth_client(api_url).sign_up({"email": email, "password": PASSWORD}).session
    assert session is not None

    answer = httpx.get(
        f"{supabase_configured_app.url}/api/v1/profile", headers={"Authorization": f"Bearer {session.access_token}"}
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["email"] == email


def test_a_token_signed_with_another_secret_is_refused(settings: Settings, supabase_configured_app: RunningApp) -> None:
    forged_settings = settings.model_copy(update={"jwt_secret": settings.jwt_secret.__class__("x" * 48)})
    forged, _ = issue_access_token(
        forged_settings,
        user_id=uuid.uuid4(),
        email="mallory@example.com",
        session_id=uuid.uuid4(),
        app_metadata={},
        user_metadata={},
    )

    answer = httpx.get(f"{supabase_configured_app.url}/api/v1/profile", headers={"Authorization": f"Bearer {forged}"})

    assert answer.status_code == 401
    assert answer.json()["error"]


def test_a_logout_at_supabase_ends_the_token_here_at_once(api_url: str, supabase_configured_app: RunningApp) -> None:
    """The project's database holds GoTrue's auth.sessions, so the session behind a Supabase
    access token is checked on every request, as with this server's own auth."""
    assert supabase_configured_app.runtime.authenticator.sessions.enabled
    client = auth_client(api_url)
    session = client.sign_up({"email": unique_email("supa-out"), "password": PASSWORD}).session
    assert session is not None
    profile = f"{supabase_configured_app.url}/api/v1/profile"
    headers = {"Authorization": f"Bearer {session.access_token}"}
    assert httpx.get(profile, headers=headers).status_code == 200

    client.sign_out()

    answer = httpx.get(profile, headers=headers)
    assert (answer.status_code, answer.json()["error"]) == (401, "session_not_found")


def test_the_sync_clients_sign_in_leaves_the_persons_other_sessions_alone(
    api_url: str, supabase_configured_app: RunningApp
) -> None:
    """The authorize page signs in to Supabase Auth only to learn who is there, then ends that
    session alone (the client's default sign-out would end every session of the person)."""
    email = unique_email("supa-oauth")
    dashboard = auth_client(api_url).sign_up({"email": email, "password": PASSWORD}).session
    assert dashboard is not None
    form = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": "http://127.0.0.1:53682/callback",
        "state": "s-1",
        "code_challenge": challenge_for("v" * 50),
        "code_challenge_method": "S256",
        "email": email,
        "password": PASSWORD,
        "decision": "allow",
    }
    authorized = httpx.post(f"{supabase_configured_app.url}/oauth/authorize", data=form, follow_redirects=False)
    assert authorized.status_code == 303 and "code=" in authorized.headers["location"]

    answer = httpx.get(
        f"{supabase_configured_app.url}/api/v1/profile", headers={"Authorization": f"Bearer {dashboard.access_token}"}
    )
    assert answer.status_code == 200, answer.text
