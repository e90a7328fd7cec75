"""The WakaTime-compatible heartbeat API, through the real server, as editor plugins use it."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.utils.users import TestUser
from tests.wakatime.plugins import BULK_URL, SINGLE_URL, STATUSBAR_URL, USER_AGENT, basic, beat, new_key
from timetracker import profiles
from timetracker.runtime import Runtime

NOW = datetime.now(UTC)


def stored(runtime: Runtime, user: TestUser) -> list[dict]:
    with runtime.db.as_user(user.principal.db_claims) as conn:
        return conn.execute(
            "select time, entity, type, category, project, branch, language, lineno, cursorpos, dependencies,"
            " editor, operating_system, machine from heartbeats where owner_id = %s order by time, id",
            (user.id,),
        ).fetchall()


@pytest.fixture
def key(http: httpx.Client, alice: TestUser) -> str:
    return new_key(http, alice)


def test_the_key_is_a_bare_uuid4_that_plugins_accept(key: str) -> None:
    import uuid

    assert str(uuid.UUID(key)) == key and uuid.UUID(key).version == 4


@pytest.mark.parametrize("form", ["basic", "basic-with-colon", "bearer", "query"])
def test_every_auth_form_plugins_use_is_accepted(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str, form: str
) -> None:
    headers = {"User-Agent": USER_AGENT}
    params = {}
    if form == "basic":
        headers |= basic(key)
    elif form == "basic-with-colon":
        headers["Authorization"] = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    elif form == "bearer":
        headers["Authorization"] = f"Bearer {key}"
    else:
        params["api_key"] = key
    response = http.post(BULK_URL, json=[beat(NOW, entity=f"/src/{form}.py")], headers=headers, params=params)
    assert response.status_code == 201, response.text
    assert [row["entity"] for row in stored(runtime, alice)] == [f"/src/{form}.py"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b"00000000-0000-4000-8000-000000000000").decode()},
        {"Authorization": "Bearer not-a-uuid"},
        {"Authorization": "Basic %%%"},
    ],
)
def test_missing_wrong_or_malformed_keys_are_401(http: httpx.Client, headers: dict[str, str]) -> None:
    response = http.post(BULK_URL, json=[beat(NOW)], headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_a_new_key_replaces_the_old_one(http: httpx.Client, alice: TestUser, key: str) -> None:
    new = new_key(http, alice)
    assert http.post(BULK_URL, json=[beat(NOW)], headers=basic(key)).status_code == 401
    assert http.post(BULK_URL, json=[beat(NOW)], headers=basic(new)).status_code == 201


def test_body_quirks_are_understood(http: httpx.Client, runtime: Runtime, alice: TestUser, key: str) -> None:
    quirky = beat(NOW, category=None, lineno="12", cursorpos="", dependencies="numpy, pandas", is_write=None)
    quirky["time"] = f"{NOW.timestamp():.6f}"  # some clients send the float as a string
    response = http.post(BULK_URL, json=[quirky], headers={**basic(key), "X-Machine-Name": "laptop"})
    assert response.status_code == 201, response.text
    [row] = stored(runtime, alice)
    assert row["category"] == "coding"
    assert (row["lineno"], row["cursorpos"]) == (12, None)
    assert row["dependencies"] == ["numpy", "pandas"]
    assert (row["editor"], row["operating_system"], row["machine"]) == ("vscode", "Linux", "laptop")
    assert abs(row["time"].timestamp() - NOW.timestamp()) < 1e-5


def test_a_per_item_user_agent_wins_over_the_header(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    item = beat(NOW, user_agent="wakatime/13.0.7 (Darwin-22.1.0-arm64) Python3.11 vim/9.0 vim-wakatime/10.0.0")
    assert http.post(BULK_URL, json=[item], headers=basic(key)).status_code == 201
    [row] = stored(runtime, alice)
    assert (row["editor"], row["operating_system"]) == ("vim", "Darwin")


def test_answers_one_slot_per_item_in_order_and_bad_items_do_not_drop_good_ones(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    items = [
        beat(NOW - timedelta(seconds=30), entity="/a.py"),
        {"entity": "/no-time.py"},
        beat(NOW - timedelta(days=400), entity="/ancient.py"),
        beat(NOW + timedelta(days=2), entity="/future.py"),
        beat(NOW - timedelta(seconds=20), entity="/b.py", type="keyboard"),
        beat(NOW - timedelta(seconds=10), entity="/c.py"),
    ]
    response = http.post(BULK_URL, json=items, headers=basic(key))
    assert response.status_code == 201
    slots = response.json()["responses"]
    assert [status for _, status in slots] == [201, 400, 400, 400, 400, 201]
    assert slots[0][0]["data"]["entity"] == "/a.py"
    assert "time" in slots[1][0]["error"]
    assert "past" in slots[2][0]["error"] and "future" in slots[3][0]["error"]
    assert [row["entity"] for row in stored(runtime, alice)] == ["/a.py", "/c.py"]


def test_duplicates_are_stored_once_and_still_answered_201(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    item = beat(NOW)
    first = http.post(BULK_URL, json=[item, item], headers=basic(key))
    again = http.post(BULK_URL, json=[item], headers=basic(key))
    assert [s for _, s in first.json()["responses"]] == [201, 201]
    assert [s for _, s in again.json()["responses"]] == [201]
    assert len(stored(runtime, alice)) == 1


def test_single_endpoint_takes_an_object_or_an_array(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    one = http.post(SINGLE_URL, json=beat(NOW, entity="/one.py"), headers=basic(key))
    assert one.status_code == 201 and one.json()["data"]["entity"] == "/one.py"
    bad = http.post(SINGLE_URL, json={"entity": "/x.py"}, headers=basic(key))
    assert bad.status_code == 400 and "error" in bad.json()
    many = http.post(SINGLE_URL, json=[beat(NOW, entity="/two.py")], headers=basic(key))
    assert many.status_code == 201 and many.json()["responses"][0][1] == 201
    assert {row["entity"] for row in stored(runtime, alice)} == {"/one.py", "/two.py"}


def test_batches_over_the_cap_are_refused_whole(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    cap = runtime.settings.heartbeat_max_batch_items
    items = [beat(NOW - timedelta(seconds=i), entity=f"/{i}.py") for i in range(cap + 1)]
    response = http.post(BULK_URL, json=items, headers=basic(key))
    assert response.status_code == 413
    assert stored(runtime, alice) == []


def test_statusbar_today_totals_todays_heartbeats(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    tz = ZoneInfo("Asia/Kolkata")
    profiles.update(runtime.db, alice.principal, timezone=tz.key)
    now = datetime.now(UTC)
    midnight = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tzinfo=tz)
    start = max(midnight, now - timedelta(minutes=10))
    times = [start + (now - start) * fraction for fraction in (0, 0.5, 1)]
    # One from yesterday (local) that must not count, far enough back to stand alone.
    items = [beat(t) for t in times] + [beat(midnight - timedelta(hours=2), entity="/old.py")]
    assert http.post(BULK_URL, json=items, headers=basic(key)).status_code == 201

    response = http.get(STATUSBAR_URL, headers=basic(key))
    assert response.status_code == 200
    data = response.json()["data"]
    expected = (times[-1] - times[0]).total_seconds()
    assert data["grand_total"]["total_seconds"] == pytest.approx(expected, abs=0.01)
    assert isinstance(data["grand_total"]["text"], str) and "min" in data["grand_total"]["text"]
    assert data["range"]["timezone"] == "Asia/Kolkata"
    assert [p["name"] for p in data["projects"]] == (["apollo"] if expected > 0 else [])
    assert http.get(STATUSBAR_URL).status_code == 401


def test_the_api_key_in_a_query_string_never_reaches_the_access_log(
    http: httpx.Client, key: str, access_log: list[str]
) -> None:
    assert http.post(BULK_URL, json=[beat(NOW)], params={"api_key": key}).status_code == 201
    assert any(BULK_URL in line for line in access_log)
    assert not any(key in line for line in access_log)
    assert any("api_key=[redacted]" in line for line in access_log)


@pytest.mark.parametrize(
    "name", ["api_key", "API_KEY", "%61pi_key", "api%5Fkey", "%61%70%69%5f%6b%65%79", "api_key%20"]
)
def test_every_spelling_of_the_api_key_parameter_is_redacted(
    http: httpx.Client, key: str, access_log: list[str], name: str
) -> None:
    """The server decodes the parameter's name before reading it, so the log must too."""
    answer = http.post(f"{BULK_URL}?{name}={key}", json=[beat(NOW)])
    assert answer.status_code in (201, 401)  # a trailing-space name is not the parameter, but stays secret
    assert any(BULK_URL in line for line in access_log)
    assert not any(key in line for line in access_log)


def test_values_the_database_cannot_hold_are_400_in_their_slot_not_a_failed_batch(
    http: httpx.Client, runtime: Runtime, alice: TestUser, key: str
) -> None:
    hostile = [
        beat(NOW, entity="/nul\x00.py"),
        beat(NOW, entity="/deps.py", dependencies=["ok", "bad\x00"]),
        beat(NOW, entity="/lone\ud800.py"),  # a lone surrogate: neither text nor UTF-8 can hold it
        beat(NOW, entity="/huge-line.py", lineno=2**40),
        beat(NOW, entity="/far-future.py", time=1e20),
        beat(NOW, entity="/negative.py", cursorpos=-1),
        beat(NOW, entity="/fine.py"),
    ]
    body = json.dumps(hostile).replace("1e+20", "Infinity")  # Python's JSON reader takes Infinity
    response = http.post(BULK_URL, content=body, headers={**basic(key), "Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert [status for _, status in response.json()["responses"]] == [400, 400, 400, 400, 400, 400, 201]
    assert [row["entity"] for row in stored(runtime, alice)] == ["/fine.py"]
