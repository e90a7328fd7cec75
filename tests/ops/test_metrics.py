"""GET /metrics: shut without METRICS_TOKEN, counts requests by route template and status,
events by source and the pool; and with several workers, one scrape adds them all up."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from tests.utils.api_process import running_api
from tests.utils.devices import device_event, post_event, register_device
from tests.utils.net import free_port, serve
from tests.utils.users import TestUser
from timetracker.config import Settings
from timetracker.runtime import Runtime

TOKEN = "m" * 40
TEAM_ONE, TEAM_TWO = "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value in a scrape (0 when the series does not exist yet)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(key) == value for key, value in labels.items()):
                return found.value
    return 0.0


def scrape(client: httpx.Client) -> str:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


@pytest.fixture(scope="module")
def metered(runtime: Runtime, settings: Settings) -> Iterator[httpx.Client]:
    """The app with a METRICS_TOKEN, on the suite's database."""
    from api.main import create_app

    with_token = settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
    own = Runtime.start(with_token, run_migrations=False)
    try:
        with serve(create_app(with_token, own), free_port()) as url, httpx.Client(base_url=url, timeout=30) as client:
            yield client
    finally:
        own.close()


def test_without_a_token_setting_metrics_do_not_exist(http: httpx.Client) -> None:
    answer = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_need_the_token(metered: httpx.Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = metered.get("/metrics", headers=headers)
    assert answer.status_code == 401
    assert TOKEN not in answer.text


def test_requests_are_counted_by_route_template_and_status(metered: httpx.Client, alice: TestUser) -> None:
    before = scrape(metered)
    assert metered.get("/api/health").status_code == 200
    teams = [metered.get(f"/api/v1/teams/{team}/time", headers=alice.headers) for team in (TEAM_ONE, TEAM_TWO)]
    assert metered.get("/no/such/page").status_code == 404
    metered.request("PROPFIND", "/api/health")  # a method the API has no use for
    after = scrape(metered)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    requests = "timetracker_http_requests_total"
    assert delta(requests, method="GET", route="/api/health", status="200") == 1
    # Two team ids, one series: the template, never the path asked for.
    status = str(teams[0].status_code)
    assert [answer.status_code for answer in teams] == [teams[0].status_code] * 2
    assert delta(requests, method="GET", route="/api/v1/teams/{team_id}/time", status=status) == 2
    assert delta(requests, route="unmatched", status="404") == 1
    assert delta("timetracker_http_request_duration_seconds_count", method="GET", route="/api/health") == 1
    assert delta(requests, method="other", route="/api/health") == 1
    assert TEAM_ONE not in after and "/no/such/page" not in after and "PROPFIND" not in after


def test_events_are_counted_by_source(metered: httpx.Client, alice: TestUser) -> None:
    device = register_device(metered, alice)
    before = scrape(metered)
    assert post_event(metered, device, device_event(device.device_id)).status_code == 201
    assert post_event(metered, device, {"event_type": "tag_insert"}).status_code == 422
    after = scrape(metered)
    for name in ("timetracker_events_ingested_total", "timetracker_events_refused_total"):
        assert sample(after, name, source="nfc") - sample(before, name, source="nfc") == 1


def test_the_pool_is_described(metered: httpx.Client, settings: Settings) -> None:
    text = scrape(metered)
    # The request pool, and the connections single reader events use from the event loop.
    loop_connections = min(settings.api_threads, settings.db_pool_max_size)
    assert sample(text, "timetracker_db_pool_max_connections") == settings.db_pool_max_size + loop_connections
    assert sample(text, "timetracker_db_pool_connections", state="idle") >= 1


def test_several_workers_answer_one_sum(tmp_path: Path, api_url: str) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    pools = {"DB_POOL_MAX_SIZE": "4", "API_THREADS": "2"}
    settings = {"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(folder), **pools}
    with (
        running_api(tmp_path / "api.log", "--workers", "2", **settings) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        # Each worker's pools may open 4 + 2 (for single reader events): the sum of both live
        # workers is what the database sees (once the second worker has started too).
        deadline = time.monotonic() + 90
        while sample(before := scrape(client), "timetracker_db_pool_max_connections") < 12:
            assert time.monotonic() < deadline, "the second worker's pool never showed"
            time.sleep(0.5)
        for _ in range(20):  # a new connection each, so either worker may answer
            assert httpx.get(f"{url}/api/health", timeout=30).status_code == 200
        after = scrape(client)
    health = {"method": "GET", "route": "/api/health", "status": "200"}
    assert (
        sample(after, "timetracker_http_requests_total", **health)
        - sample(before, "timetracker_http_requests_total", **health)
        == 20
    )
    assert sample(after, "timetracker_db_pool_max_connections") == 12
