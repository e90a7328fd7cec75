"""Logins kept for browsers: a handoff code is traded once for a secret, the secret finds the
newest refresh token, and nothing but the service path ever touches the table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from tests.db.actors import anon, person
from tests.utils.users import TestUser
from timetracker import credentials
from timetracker.auth.browser_sessions import BrowserSessions, api_sets_cookie, new_secret
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime

REFRESH_TOKEN = "a-refresh-token-of-the-auth-server"


@pytest.fixture
def kept(runtime: Runtime) -> BrowserSessions:
    return BrowserSessions(runtime.db, TokenCipher.from_settings(runtime.settings))


@pytest.fixture
def admin(runtime: Runtime) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        yield conn


def stored(admin: psycopg.Connection[Any], session_id: UUID) -> dict[str, Any] | None:
    row = admin.execute(
        "select secret_hash, handoff_hash, refresh_token_sealed, extract(epoch from expires_at - now()) as left"
        " from internal.browser_sessions where id = %s",
        (session_id,),
    ).fetchone()
    return None if row is None else dict(zip(("secret_hash", "handoff_hash", "sealed", "left"), row, strict=True))


def test_a_handoff_code_is_traded_once_for_a_secret_that_finds_the_login(
    kept: BrowserSessions, admin: psycopg.Connection[Any], alice: TestUser
) -> None:
    opened = kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=True)
    assert opened.handoff and opened.secret is None
    row = stored(admin, opened.id)
    assert row is not None
    # Only digests and ciphertext at rest.
    assert row["handoff_hash"] == credentials.digest(opened.handoff) and row["secret_hash"] is None
    assert REFRESH_TOKEN not in row["sealed"]
    assert 29 * 24 * 3600 < row["left"] <= 30 * 24 * 3600

    claimed = kept.claim(opened.handoff)
    assert claimed is not None
    secret, max_age = claimed
    assert 29 * 24 * 3600 < max_age <= 30 * 24 * 3600
    assert kept.claim(opened.handoff) is None  # spent
    found = kept.find(secret)
    assert found is not None
    assert (found.id, found.user_id, found.refresh_token) == (opened.id, alice.id, REFRESH_TOKEN)
    assert kept.find(opened.handoff) is None  # the code is not a secret


def test_an_expired_handoff_code_is_refused(
    kept: BrowserSessions, admin: psycopg.Connection[Any], alice: TestUser
) -> None:
    opened = kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=True)
    admin.execute(
        "update internal.browser_sessions set handoff_expires_at = now() - interval '1 second' where id = %s",
        (opened.id,),
    )
    assert opened.handoff is not None
    assert kept.claim(opened.handoff) is None


def test_a_secret_written_by_the_page_is_short_lived(
    kept: BrowserSessions, admin: psycopg.Connection[Any], alice: TestUser
) -> None:
    opened = kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=False)
    assert opened.secret and opened.handoff is None
    row = stored(admin, opened.id)
    assert row is not None and 11 * 3600 < row["left"] <= 12 * 3600
    found = kept.find(opened.secret)
    assert found is not None and found.refresh_token == REFRESH_TOKEN


def test_the_newest_refresh_token_replaces_the_spent_one_until_the_login_is_closed(
    kept: BrowserSessions, admin: psycopg.Connection[Any], alice: TestUser
) -> None:
    opened = kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=False)
    assert opened.secret is not None
    assert kept.keep(opened.id, "the-rotated-refresh-token")
    found = kept.find(opened.secret)
    assert found is not None and found.refresh_token == "the-rotated-refresh-token"

    kept.close(opened.id)
    assert kept.find(opened.secret) is None
    assert not kept.keep(opened.id, "too-late")
    assert stored(admin, opened.id) is None


def test_expired_logins_lead_nowhere_and_are_swept(
    kept: BrowserSessions, admin: psycopg.Connection[Any], alice: TestUser
) -> None:
    old = kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=False)
    admin.execute(
        "update internal.browser_sessions set expires_at = now() - interval '1 second' where id = %s", (old.id,)
    )
    assert old.secret is not None
    assert kept.find(old.secret) is None
    kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=False)
    assert stored(admin, old.id) is None


def test_a_login_goes_with_its_account(kept: BrowserSessions, admin: psycopg.Connection[Any], bob: TestUser) -> None:
    opened = kept.open(bob.id, REFRESH_TOKEN, api_sets_cookie=False)
    admin.execute("delete from auth.users where id = %s", (bob.id,))
    assert stored(admin, opened.id) is None


def test_a_removed_encryption_key_ends_the_login(runtime: Runtime, alice: TestUser) -> None:
    opened = BrowserSessions(runtime.db, TokenCipher.from_settings(runtime.settings)).open(
        alice.id, REFRESH_TOKEN, api_sets_cookie=False
    )
    other_key = TokenCipher("ZmFrZS1rZXktb2YtZXhhY3RseS0zMi1ieXRlcyEhISE=")
    assert opened.secret is not None
    assert BrowserSessions(runtime.db, other_key).find(opened.secret) is None


@pytest.mark.parametrize("value", ["", "short", "x" * 43 + "!", "<script>", new_secret() + "x"])
def test_values_that_are_not_ours_are_never_looked_up(kept: BrowserSessions, value: str) -> None:
    assert kept.find(value) is None
    assert kept.claim(value) is None


def test_people_and_anon_cannot_touch_kept_logins(runtime: Runtime, alice: TestUser, kept: BrowserSessions) -> None:
    kept.open(alice.id, REFRESH_TOKEN, api_sets_cookie=False)
    for actor in (person(runtime.db, alice), anon(runtime.db)):
        for sql in (
            "select count(*) from internal.browser_sessions",
            "select * from internal.find_browser_session(repeat('0', 64))",
            "select internal.close_browser_session(gen_random_uuid())",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), actor() as conn:
                conn.execute(sql)


@pytest.mark.parametrize(
    ("dashboard_host", "api_base_url", "expected"),
    [
        ("time.example.com", "https://time.example.com", True),
        ("localhost:8501", "http://localhost:8000", True),  # cookies ignore ports
        ("LOCALHOST:8501", "http://localhost:8000", True),
        ("127.0.0.1:8501", "http://localhost:8000", False),
        ("app.example.com", "https://api.example.com", False),
        ("[::1]:8501", "http://[::1]:8000", True),
        (None, "http://localhost:8000", False),
        ("", "http://localhost:8000", False),
    ],
)
def test_the_api_sets_the_cookie_only_for_the_dashboards_host_name(
    dashboard_host: str | None, api_base_url: str, expected: bool
) -> None:
    assert api_sets_cookie(dashboard_host, api_base_url) is expected
