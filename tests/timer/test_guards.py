"""What keeps the timer API safe over real HTTP: other people, two tabs at once, the per-token
rate limit, CORS for the widget's configured origins only, and the served userscript."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from tests.timer.timer_client import BASE_TIME, EVENTS_URL, instant, press, pressed, run
from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.bearers import api_token
from tests.utils.teams import join
from tests.utils.users import TestUser
from timetracker import teams
from timetracker.config import Settings
from timetracker.runtime import Runtime
from timetracker.timer import store

WIDGET_ORIGIN = "https://www.raterhub.com"


def test_bob_can_neither_read_nor_change_alices_session(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    session_id = run(http, alice.headers, ("NEXT", 0), ("NEXT", 100), ("EXIT", 200))["session_id"]
    base = f"/api/v1/timer/sessions/{session_id}"
    assert http.get(f"{base}/summary", headers=bob.headers).status_code == 404
    assert http.put(f"{base}/target", json={"target_pace_minutes": 1}, headers=bob.headers).status_code == 404
    assert http.delete(f"{base}/questions/1", headers=bob.headers).status_code == 404
    assert http.delete(base, headers=bob.headers).status_code == 404
    assert http.get("/api/v1/timer/sessions/recent", headers=bob.headers).json() == []
    assert http.get("/api/v1/timer/daily", params={"day": "2025-04-11"}, headers=bob.headers).json()["sessions"] == []
    summary = http.get(f"{base}/summary", headers=alice.headers).json()
    assert (summary["total_questions"], summary["target_pace_minutes"]) == (2, 5.5)
    # Bob's own NEXT starts his own session; alice's is untouched.
    assert pressed(http, bob.headers, "NEXT", 300)["session_id"] != session_id


def test_a_team_admin_reads_a_members_session_but_cannot_change_it(
    http: httpx.Client, runtime: Runtime, alice: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    lead = user_factory("lead")
    team = teams.create(runtime.db, lead.principal, "Raters")
    join(runtime.db, lead, team["id"], alice)
    session_id = run(http, alice.headers, ("NEXT", 0), ("EXIT", 200))["session_id"]
    base = f"/api/v1/timer/sessions/{session_id}"
    seen = http.get(f"{base}/summary", headers=lead.headers)
    assert seen.status_code == 200 and seen.json()["total_questions"] == 1
    assert http.put(f"{base}/target", json={"target_pace_minutes": 1}, headers=lead.headers).status_code == 404
    assert http.delete(base, headers=lead.headers).status_code == 404
    assert http.get(f"{base}/summary", headers=alice.headers).json()["target_pace_minutes"] == 5.5


@pytest.mark.parametrize("path", ["/sessions/recent", "/daily", f"/sessions/{uuid.uuid4()}/summary"])
def test_reads_need_a_bearer(http: httpx.Client, path: str) -> None:
    assert http.get(f"/api/v1/timer{path}").status_code == 401


def test_two_tabs_at_once_are_applied_one_at_a_time(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    """Two clients press NEXT together, many times, each with its own instants: every press
    lands exactly once (or is refused as older), and the stored questions stay a gapless run."""
    pressed(http, alice.headers, "NEXT", 0)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(2)

    def tab(offset: int) -> None:
        with httpx.Client(base_url=api_url, timeout=30) as client:
            start.wait()
            for i in range(15):
                status = press(
                    client, alice.headers, "NEXT", 10 + 2 * i + offset, event_id=f"tab{offset}-{i}"
                ).status_code
                with lock:
                    statuses[status] += 1

    threads = [threading.Thread(target=tab, args=(offset,)) for offset in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Refused only as older than what the other tab already applied; never a 500 or a deadlock.
    assert set(statuses) <= {200, 409} and sum(statuses.values()) == 30 and statuses[200] >= 1
    ended = pressed(http, alice.headers, "EXIT", 100)
    assert ended["total_questions"] == statuses[200] + 1
    summary = http.get(f"/api/v1/timer/sessions/{ended['session_id']}/summary", headers=alice.headers).json()
    questions = summary["questions"]
    assert [q["index"] for q in questions] == list(range(1, len(questions) + 1))
    # Each question starts where the previous one ended: nothing overlaps, nothing applied twice.
    assert all(a["ended_at"] == b["started_at"] for a, b in itertools.pairwise(questions))
    assert sum(q["raw_seconds"] for q in questions) == 100


def test_the_same_event_from_two_tabs_is_applied_once(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    pressed(http, alice.headers, "NEXT", 0)
    answers: list[dict] = []
    start = threading.Barrier(4)

    def retry() -> None:
        with httpx.Client(base_url=api_url, timeout=30) as client:
            start.wait()
            answers.append(press(client, alice.headers, "NEXT", 60, event_id="same").json())

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a["replayed"] for a in answers) == [False, True, True, True]
    assert {a["total_questions"] for a in answers} == {1}
    assert pressed(http, alice.headers, "EXIT", 90)["total_questions"] == 2


def _blocked_by(pid: int, admin_url: str) -> bool:
    """Whether some backend is waiting for a lock that backend `pid` holds."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        waiting = "select exists (select from pg_stat_activity where %s = any(pg_blocking_pids(pid)))"
        return bool(admin.execute(waiting, (pid,)).fetchone()[0])


EDITS = {
    "delete the session": ("delete", "", None, 204),
    "delete a question": ("delete", "/questions/1", None, 204),
    "set the target": ("put", "/target", {"target_pace_minutes": 4}, 200),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_waits_for_the_event_being_applied(
    http: httpx.Client, api_url: str, runtime: Runtime, alice: TestUser, edit: str
) -> None:
    """An event locks the person's timer_state row, then writes the active session. An edit
    meanwhile must queue behind that lock: deleting the session first would lock it, then
    wait for timer_state (on delete set null) while the event waits for the session, a deadlock."""
    method, path, body, status = EDITS[edit]
    session_id = run(http, alice.headers, ("NEXT", 0), ("NEXT", 60))["session_id"]
    url = f"/api/v1/timer/sessions/{session_id}{path}"
    with httpx.Client(base_url=api_url, timeout=30) as client, ThreadPoolExecutor(1) as pool:
        with runtime.db.as_user(alice.principal.db_claims) as event:
            store.lock_person_state(event)
            editing = pool.submit(client.request, method, url, json=body, headers=alice.headers)
            while not editing.done() and not _blocked_by(event.info.backend_pid, runtime.db.admin_url):
                time.sleep(0.01)
            assert not editing.done(), f"the edit did not wait: {editing.result().text}"
            # The event's next step, writing the session; a deadlock here raises DeadlockDetected.
            event.execute("update timer_sessions set current_index = 2 where public_id = %s", (session_id,))
        response = editing.result()
    assert response.status_code == status, response.text


@pytest.fixture(scope="module")
def strict_app(settings: Settings, runtime: Runtime) -> Iterator[RunningApp]:
    """A second real server on the same database: 3 events per token per minute, one widget origin."""
    strict = variant(settings, timer_events_per_window=3, timer_rate_window_seconds=60, cors_origins=WIDGET_ORIGIN)
    with running_app(strict) as app:
        yield app


def test_events_over_the_limit_get_429_with_retry_after_per_token(
    strict_app: RunningApp, http: httpx.Client, alice: TestUser
) -> None:
    laptop, tablet = api_token(http, alice, "laptop"), api_token(http, alice, "tablet")
    with httpx.Client(base_url=strict_app.url, timeout=30) as client:
        laptop_headers = {"Authorization": f"Bearer {laptop}"}
        answers = [press(client, laptop_headers, "NEXT", i).status_code for i in range(4)]
        assert answers == [200, 200, 200, 429]
        refused = press(client, laptop_headers, "NEXT", 10)
        assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        # Another token has its own allowance; the refused events changed nothing.
        tablet_answer = pressed(client, {"Authorization": f"Bearer {tablet}"}, "EXIT", 20)
        assert tablet_answer["total_questions"] == 3


def test_one_token_has_one_allowance_however_the_scheme_is_spelled(
    strict_app: RunningApp, http: httpx.Client, alice: TestUser
) -> None:
    """The limit was keyed by the raw header, and "Bearer" is accepted in any letter case."""
    token = api_token(http, alice, "widget")
    with httpx.Client(base_url=strict_app.url, timeout=30) as client:
        spellings = ["Bearer", "bearer", "BEARER", "bEaReR"]
        answers = [
            press(client, {"Authorization": f"{scheme} {token}"}, "NEXT", i).status_code
            for i, scheme in enumerate(spellings)
        ]
        assert answers == [200, 200, 200, 429]


def test_another_access_token_of_the_same_person_has_no_fresh_allowance(
    strict_app: RunningApp, runtime: Runtime, alice: TestUser
) -> None:
    """Access tokens are replaced on every refresh (here: a second login, whose token differs
    within the same second too); keyed by the token, each would start a fresh allowance."""
    assert runtime.local_auth is not None
    other = runtime.local_auth.password_grant(alice.email, alice.password, "127.0.0.1").access_token
    assert other != alice.access_token
    with httpx.Client(base_url=strict_app.url, timeout=30) as client:
        before = [press(client, alice.headers, "NEXT", i).status_code for i in range(2)]
        after = [press(client, {"Authorization": f"Bearer {other}"}, "NEXT", 10 + i).status_code for i in range(2)]
    assert (before, after) == ([200, 200], [200, 429])


def test_an_invalid_event_spends_the_allowance_and_a_refused_credential_does_not(
    strict_app: RunningApp, http: httpx.Client, alice: TestUser
) -> None:
    """The limit is counted once the credential is verified and before the event is read, so a
    widget sending events the API refuses is limited too; a wrong token is never limited, as it
    never reaches the count (four is over the limit)."""
    token = api_token(http, alice, "broken widget")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=strict_app.url, timeout=30) as client:
        nope = {"Authorization": "Bearer nope"}
        wrong = [client.post(EVENTS_URL, json={"type": "NEXT"}, headers=nope) for _ in range(4)]
        invalid = [client.post(EVENTS_URL, json={"type": "JUMP"}, headers=headers) for _ in range(3)]
        then = press(client, headers, "NEXT", 0)
    assert [r.status_code for r in wrong] == [401] * 4
    assert [r.status_code for r in invalid] == [422] * 3
    assert then.status_code == 429, then.text


def test_cors_preflight_is_allowed_for_the_configured_origin_only(strict_app: RunningApp) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with httpx.Client(base_url=strict_app.url, timeout=30) as client:
        allowed = client.options(EVENTS_URL, headers={"Origin": WIDGET_ORIGIN, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["Access-Control-Allow-Origin"] == WIDGET_ORIGIN
        assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()
        assert "access-control-allow-credentials" not in allowed.headers
        refused = client.options(EVENTS_URL, headers={"Origin": "https://evil.example", **preflight})
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        simple = client.get("/api/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


def test_without_configured_origins_no_cors_at_all(http: httpx.Client) -> None:
    response = http.options(EVENTS_URL, headers={"Origin": WIDGET_ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers


def test_the_userscript_is_served_with_this_servers_url_and_the_widget_pages(
    strict_app: RunningApp, http: httpx.Client
) -> None:
    script = httpx.get(f"{strict_app.url}/widget/timer.user.js").text
    assert script.startswith("// ==UserScript==")
    assert f"// @match        {WIDGET_ORIGIN}/*" in script
    assert f"// @updateURL    {strict_app.settings.api_base_url}/widget/timer.user.js" in script
    assert f'const DEFAULT_SERVER = "{strict_app.settings.api_base_url}";' in script
    default = http.get("/widget/timer.user.js")
    assert default.headers["content-type"].startswith("text/javascript")
    assert "// @match        *://*/*" in default.text and "__" not in default.text.split("==/UserScript==")[0]


def test_any_zone_is_honoured_and_answered_in_utc(http: httpx.Client, alice: TestUser) -> None:
    """11:00+02:00 is 09:00Z, the same instant as at(0): in order, and answered in UTC."""
    pressed(http, alice.headers, "NEXT", 0)
    same_instant = http.post(
        EVENTS_URL, json={"type": "PAUSE", "timestamp": "2025-04-11T11:00:00+02:00"}, headers=alice.headers
    )
    assert same_instant.status_code == 200
    assert instant(same_instant.json(), "pause_started_at") == BASE_TIME
