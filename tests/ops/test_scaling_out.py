"""Two API processes on one database are one server to a client: a rate limit counted in one
process holds in the other."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.timer.timer_client import press
from tests.utils.api_process import running_api
from tests.utils.users import TestUser

LIMIT = {"TIMER_EVENTS_PER_WINDOW": "3", "TIMER_RATE_WINDOW_SECONDS": "3600"}


def test_two_api_processes_keep_one_rate_limit(api_url: str, alice: TestUser, tmp_path: Path) -> None:
    with (
        running_api(tmp_path / "first.log", **LIMIT) as first,
        running_api(tmp_path / "second.log", **LIMIT) as second,
        httpx.Client(base_url=first, timeout=30) as one,
        httpx.Client(base_url=second, timeout=30) as other,
    ):
        answers = [
            press(client, alice.headers, "NEXT", seconds).status_code
            for seconds, client in enumerate([one, other, one, other, one], start=1)
        ]
    # Three in the window, wherever they landed; each process alone would have let all five through.
    assert answers == [200, 200, 200, 429, 429]
