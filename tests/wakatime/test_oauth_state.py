"""The OAuth state: tampering, replay, expiry and cross-user use are refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import SecretStr

from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.fake_wakatime import FakeWakaTime
from tests.wakatime.oauth_trip import connect, finish, raw_connection, to_callback
from timetracker.wakatime import oauth_state


def callback(http: httpx.Client, state: str, code: str = "any-code") -> dict[str, str]:
    response = http.get("/integrations/wakatime/callback", params={"state": state, "code": code})
    assert response.status_code == 303
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def with_subject(state: str, subject: str) -> str:
    """The same state with another person's id in the payload (signature left as it was)."""
    payload, _, signature = state.partition(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = subject
    forged = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{forged}.{signature}"


def test_a_tampered_state_is_refused_at_both_ends(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser, bob: TestUser
) -> None:
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings)
    forged = with_subject(state, str(bob.id))
    refused = waka_http.get("/integrations/wakatime/authorize", params={"state": forged})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_state"
    outcome = callback(waka_http, forged)
    assert outcome == {"wakatime": "error", "reason": "invalid"}
    assert callback(waka_http, state[:-2] + "xx")["wakatime"] == "error"
    assert raw_connection(waka_app, bob) is None and raw_connection(waka_app, alice) is None
    assert fake.token_requests == []  # nothing was exchanged on a bad state


def test_a_state_signed_with_another_secret_is_refused(
    waka_http: httpx.Client, waka_app: RunningApp, alice: TestUser
) -> None:
    other = waka_app.settings.model_copy(update={"master_secret": SecretStr("another-master-secret-" + "x" * 20)})
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, other)
    assert waka_http.get("/integrations/wakatime/authorize", params={"state": state}).status_code == 400
    assert callback(waka_http, state)["wakatime"] == "error"


def test_a_state_works_once(waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser) -> None:
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings)
    assert connect(waka_http, waka_app, alice, state)["wakatime"] == "connected"
    exchanges = len(fake.token_requests)
    replay = callback(waka_http, state)
    assert replay == {"wakatime": "error", "reason": "used"}
    assert waka_http.get("/integrations/wakatime/authorize", params={"state": state}).status_code == 400
    assert len(fake.token_requests) == exchanges


def test_an_expired_state_is_refused(waka_http: httpx.Client, waka_app: RunningApp, alice: TestUser) -> None:
    long_ago = datetime.now(UTC) - timedelta(seconds=waka_app.settings.wakatime_state_ttl_seconds + 60)
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings, now=long_ago)
    response = waka_http.get("/integrations/wakatime/authorize", params={"state": state})
    assert response.status_code == 400 and "expired" in response.json()["message"]
    assert callback(waka_http, state) == {"wakatime": "error", "reason": "expired"}


def test_someone_elses_state_cannot_be_used_with_your_login(
    waka_http: httpx.Client, waka_app: RunningApp, alice: TestUser, bob: TestUser
) -> None:
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings)
    response = waka_http.get("/integrations/wakatime/authorize", params={"state": state}, headers=bob.headers)
    assert response.status_code == 403


def test_a_connect_link_sent_to_someone_else_connects_nobody(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser, bob: TestUser
) -> None:
    # Alice sends Bob her connect link; Bob approves with his WakaTime account. Storing that grant
    # would pour Bob's coding data into Alice's account, so it must not be stored for anyone.
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings)
    back = to_callback(waka_http, waka_app, bob, state)
    assert back["wakatime"] == "complete"
    assert raw_connection(waka_app, alice) is None  # the callback alone stores nothing

    refused = finish(waka_http, bob, back)
    assert refused.status_code == 403 and refused.json()["error"] == "wrong_account"
    assert raw_connection(waka_app, alice) is None and raw_connection(waka_app, bob) is None
    assert fake.token_requests == []  # Bob's code was never exchanged


def test_a_state_can_be_finished_only_once_and_only_with_its_code(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    back = to_callback(waka_http, waka_app, alice)
    assert finish(waka_http, alice, back).status_code == 200
    again = finish(waka_http, alice, back)
    assert again.status_code == 400 and again.json()["error"] == "used"
    assert len(fake.token_requests) == 1


def test_finishing_needs_a_login(waka_http: httpx.Client, waka_app: RunningApp, alice: TestUser) -> None:
    back = to_callback(waka_http, waka_app, alice)
    response = waka_http.post("/api/v1/wakatime/connection", json={"code": back["code"], "state": back["state"]})
    assert response.status_code == 401
    assert raw_connection(waka_app, alice) is None


def test_an_unconfigured_server_says_so(http: httpx.Client, alice: TestUser) -> None:
    response = http.get("/integrations/wakatime/authorize", headers=alice.headers)
    assert response.status_code == 503 and response.json()["error"] == "wakatime_not_configured"


def test_the_callbacks_code_and_state_never_reach_the_access_log(
    waka_http: httpx.Client, waka_app: RunningApp, alice: TestUser, access_log: list[str]
) -> None:
    back = to_callback(waka_http, waka_app, alice)
    callback_lines = [line for line in access_log if "/integrations/wakatime/callback" in line]
    assert callback_lines
    assert not any(back["code"] in line or back["state"] in line for line in access_log)
    assert all("code=[redacted]" in line and "state=[redacted]" in line for line in callback_lines)
