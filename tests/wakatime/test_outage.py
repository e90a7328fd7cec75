"""A server-side fault is never a 400 (plugins drop 400 items): a database cut is a 503 for the
whole request, nothing is kept, and the plugin's retry stores the batch once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.test_database_outage import assert_unavailable, fragile, fragile_app, proxy, wait_until_healthy
from tests.utils.tcp_proxy import TcpProxy
from tests.utils.users import TestUser
from tests.wakatime.plugins import BULK_URL, basic, beat, new_key
from timetracker.runtime import Runtime

__all__ = ["fragile", "fragile_app", "proxy"]  # fixtures shared with the NFC outage tests


def test_a_database_cut_mid_insert_is_503_and_the_retry_stores_once(
    http: httpx.Client, fragile: httpx.Client, proxy: TcpProxy, runtime: Runtime, alice: TestUser
) -> None:
    key = new_key(http, alice)
    now = datetime.now(UTC)
    batch = [beat(now - timedelta(seconds=i), entity=f"/{i}.py") for i in range(5)]
    proxy.cut_before_commit_after(b"insert into heartbeats")
    response = fragile.post(BULK_URL, json=batch, headers=basic(key))
    assert_unavailable(response)
    assert key not in response.text
    assert not proxy.armed
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from heartbeats").fetchone()["n"] == 0

    wait_until_healthy(fragile)
    retried = fragile.post(BULK_URL, json=batch, headers=basic(key))
    assert [status for _, status in retried.json()["responses"]] == [201] * 5
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from heartbeats").fetchone()["n"] == 5
