"""The product on a Supabase project created in 2026, with what such a project already holds.

The database is Supabase-shaped (see tests/utils/supabase_project.py): GoTrue's auth tables,
no default privileges for the API roles, the user-management quickstart's `profiles` and
its `on_auth_user_created` trigger, and accounts without an email. `db up` ran on it twice.
The API runs against it as a deployment would (the request pool logs in as
`authenticator`), trusting tokens Supabase Auth would sign: ES256 through the project's
JWKS (served on loopback) and legacy HS256 with the project's JWT secret.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.devices import device_event
from tests.utils.jwks import KID, publishing_jwks
from tests.utils.net import free_port
from tests.utils.supabase_project import QUICKSTART_OBJECTS, SupabaseProject, add_gotrue_user
from tests.utils.users import unique_email
from timetracker import cli
from timetracker.config import Settings, clear_settings_cache
from timetracker.db import migrate
from timetracker.runtime import Runtime
from timetracker.startup_checks import StartupRefused

PUBLISHABLE_KEY = "sb_publishable_0123456789abcdefghijkl"


@dataclass(frozen=True)
class ProjectUser:
    id: uuid.UUID
    session_id: uuid.UUID
    email: str | None
    anonymous: bool = False


@pytest.fixture(scope="module")
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def project_app(
    settings: Settings, supabase_project: SupabaseProject, signing_key: ec.EllipticCurvePrivateKey
) -> Iterator[RunningApp]:
    with publishing_jwks(signing_key) as supabase_url:
        configured = variant(
            settings,
            database_url=supabase_project.url,
            database_app_url=supabase_project.app_url,
            supabase_url=supabase_url,
            supabase_anon_key=PUBLISHABLE_KEY,
        )
        with running_app(configured) as app:
            yield app


@pytest.fixture
def project_user(supabase_project: SupabaseProject) -> Callable[..., ProjectUser]:
    def make(*, email: bool = True, anonymous: bool = False) -> ProjectUser:
        address = unique_email("supa") if email and not anonymous else None
        phone = None if address or anonymous else f"1555{uuid.uuid4().int % 10**7:07d}"
        user_id, session_id = add_gotrue_user(supabase_project.url, email=address, phone=phone, anonymous=anonymous)
        return ProjectUser(user_id, session_id, address, anonymous)

    return make


def token_for(app: RunningApp, user: ProjectUser, key: Any, algorithm: str = "ES256", **overrides: Any) -> str:
    """An access token with the claims Supabase Auth puts in one."""
    now = int(time.time())
    claims = {
        "iss": app.settings.jwt_issuer,
        "sub": str(user.id),
        "aud": "authenticated",
        "exp": now + 3600,
        "iat": now,
        "email": user.email or "",
        "phone": "",
        "app_metadata": {"provider": "email" if user.email else "phone"},
        "user_metadata": {},
        "role": "authenticated",
        "aal": "aal1",
        "amr": [{"method": "anonymous" if user.anonymous else "password", "timestamp": now}],
        "session_id": str(user.session_id),
        "is_anonymous": user.anonymous,
        **overrides,
    }
    headers = {"kid": KID} if algorithm == "ES256" else None
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_db_up_applies_everything_once_and_leaves_the_quickstart_alone(supabase_project: SupabaseProject) -> None:
    first, second = supabase_project.migrations_per_run
    assert first == [m.name for m in migrate.load()] and second == []
    with psycopg.connect(supabase_project.url) as conn:
        assert conn.execute(QUICKSTART_OBJECTS).fetchone() == (6, 1)
        assert conn.execute("select count(*) from pg_policies where tablename = 'profiles'").fetchone()[0] == 3


def test_a_sign_up_fills_the_quickstarts_profile_and_ours(
    supabase_project: SupabaseProject, project_user: Callable[..., ProjectUser]
) -> None:
    user = project_user()
    with psycopg.connect(supabase_project.url) as conn:
        assert conn.execute("select count(*) from public.profiles where id = %s", (user.id,)).fetchone()[0] == 1
        ours = conn.execute("select email from public.tracker_profiles where id = %s", (user.id,)).fetchone()
    assert ours == (user.email,)


def test_accounts_without_an_email_sign_up_and_have_a_profile_without_one(
    supabase_project: SupabaseProject, project_user: Callable[..., ProjectUser]
) -> None:
    phone, anonymous = project_user(email=False), project_user(anonymous=True)
    with psycopg.connect(supabase_project.url) as conn:
        rows = conn.execute(
            "select id, email from public.tracker_profiles where id = any(%s)",
            ([supabase_project.phone_user, phone.id, anonymous.id],),
        ).fetchall()
    assert sorted(rows) == sorted([(supabase_project.phone_user, None), (phone.id, None), (anonymous.id, None)])


def test_an_es256_login_registers_a_reader_whose_events_count(
    project_app: RunningApp, project_user: Callable[..., ProjectUser], signing_key: ec.EllipticCurvePrivateKey
) -> None:
    alice = project_user()
    headers = bearer(token_for(project_app, alice, signing_key))
    with httpx.Client(base_url=project_app.url, timeout=30) as http:
        assert http.get("/api/v1/profile", headers=headers).json()["email"] == alice.email
        device_id = f"NFC_{uuid.uuid4().hex[:12].upper()}"
        made = http.post("/api/v1/devices", json={"device_id": device_id, "name": "Desk"}, headers=headers)
        assert made.status_code == 201, made.text
        reader = {"X-Device-Id": device_id, "Authorization": f"Bearer {made.json()['device_key']}"}
        for seconds, kind in ((0, "tag_insert"), (1800, "tag_removed")):
            sent = http.post(
                "/api/webhook/device-event",
                json=device_event(device_id, seconds, event_type=kind, tag_present=kind == "tag_insert"),
                headers=reader,
            )
            assert sent.status_code in (200, 201), sent.text
        time_read = http.get("/api/v1/time", params={"start": "2025-04-11", "end": "2025-04-11"}, headers=headers)
    assert time_read.status_code == 200, time_read.text
    assert time_read.json()["tracked_seconds"] == 1800


def test_row_level_security_keeps_people_apart(
    project_app: RunningApp, project_user: Callable[..., ProjectUser], signing_key: ec.EllipticCurvePrivateKey
) -> None:
    alice, bob = project_user(), project_user()
    with httpx.Client(base_url=project_app.url, timeout=30) as http:
        made = http.put(
            "/api/v1/tags",
            json={"labels": {"dd 54 2a 83": "Desk"}},
            headers=bearer(token_for(project_app, alice, signing_key)),
        )
        assert made.status_code == 200, made.text
        bobs_view = http.get("/api/v1/tags", headers=bearer(token_for(project_app, bob, signing_key)))
        alices_time = http.get(
            "/api/v1/time",
            params={"start": "2025-04-11", "end": "2025-04-11", "user_id": str(alice.id)},
            headers=bearer(token_for(project_app, bob, signing_key)),
        )
    assert bobs_view.status_code == 200 and bobs_view.json() == []
    assert alices_time.status_code in (403, 404)


def test_an_hs256_token_of_a_phone_account_works(
    project_app: RunningApp, project_user: Callable[..., ProjectUser]
) -> None:
    phone = project_user(email=False)
    token = token_for(project_app, phone, project_app.settings.jwt_secret.get_secret_value(), algorithm="HS256")
    answer = httpx.get(f"{project_app.url}/api/v1/profile", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["email"] is None


def test_an_anonymous_sign_in_is_told_it_needs_an_account(
    project_app: RunningApp, project_user: Callable[..., ProjectUser], signing_key: ec.EllipticCurvePrivateKey
) -> None:
    anonymous = project_user(anonymous=True)
    answer = httpx.get(
        f"{project_app.url}/api/v1/profile", headers=bearer(token_for(project_app, anonymous, signing_key))
    )
    assert (answer.status_code, answer.json()["error"]) == (401, "anonymous_user")


def test_a_token_from_another_project_is_refused(
    project_app: RunningApp, project_user: Callable[..., ProjectUser], signing_key: ec.EllipticCurvePrivateKey
) -> None:
    token = token_for(project_app, project_user(), signing_key, iss="https://another.supabase.co/auth/v1")
    answer = httpx.get(f"{project_app.url}/api/v1/profile", headers=bearer(token))
    assert (answer.status_code, answer.json()["error"]) == (401, "bad_jwt")


def test_signing_keys_that_cannot_be_fetched_answer_503(
    settings: Settings,
    supabase_project: SupabaseProject,
    project_user: Callable[..., ProjectUser],
    signing_key: ec.EllipticCurvePrivateKey,
) -> None:
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    configured = variant(
        settings, database_url=supabase_project.url, supabase_url=nobody_listens, supabase_anon_key=PUBLISHABLE_KEY
    )
    with running_app(configured) as app:
        answer = httpx.get(f"{app.url}/api/v1/profile", headers=bearer(token_for(app, project_user(), signing_key)))
    assert (answer.status_code, answer.json()["error"]) == (503, "auth_unavailable")
    assert answer.headers["Retry-After"]


def test_local_auth_on_the_projects_database_is_refused_at_start_up(
    settings: Settings, supabase_project: SupabaseProject
) -> None:
    with pytest.raises(StartupRefused, match="Set SUPABASE_URL and SUPABASE_ANON_KEY"):
        Runtime.start(variant(settings, database_url=supabase_project.url, supabase_url=""))


def test_db_up_refuses_local_auth_on_the_projects_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], supabase_project: SupabaseProject
) -> None:
    monkeypatch.setenv("DATABASE_URL", supabase_project.url)
    monkeypatch.setenv("SUPABASE_URL", "")
    clear_settings_cache()
    try:
        assert cli.db_up() == 2
    finally:
        clear_settings_cache()
    assert "Set SUPABASE_URL and SUPABASE_ANON_KEY" in capsys.readouterr().err
