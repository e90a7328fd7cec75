"""NFC ingest throughput: the real endpoints and the core insert vs raw COPY.

    .venv/bin/python bench/ingest_bench.py [--events 20000] [--batch 500] [--single 6000] [--concurrency 1 4 16]

Single-event POSTs are also measured at a few concurrencies, with p50/p99 latency, beside
the floor: uvicorn with the same workers answering at once, bare and through FastAPI. Their
load comes from bench/load_client.py, a process of its own that costs little per request.

Every path writes the same kind of rows into `device_events` of a fresh embedded
database; the baseline is `COPY` of the same rows into the same table as the database
owner (no auth, no RLS, no validation, no dedup): the floor under any ingest path. Each path's
items are made before its clock starts (COPY's rows with their payloads as JSON, the batches'
bodies encoded, sent by the same light client as the single events): what a sender does to
its own data is not what the server does with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    API_SERVER,
    BenchEnv,
    LoadResult,
    Offsets,
    bench_env,
    copy_seconds,
    floor_server,
    in_batches,
    in_turns,
    load_prepared,
    median_run,
    post_request,
    print_latency_table,
    print_table,
    seconds_of,
    send_batches,
    stored_rows,
)
from tests.utils.devices import device_event
from timetracker import paths
from timetracker.nfc import devices, ingest
from timetracker.nfc.identity import DeviceIdentity

BASELINE = "COPY as the table owner"


def payloads(device_id: str, count: int, offset: int) -> list[dict[str, Any]]:
    """Alternating insert/removal of one tag, one second apart, unique per (offset, i)."""
    return [
        device_event(device_id, i, event_type="tag_insert" if i % 2 == 0 else "tag_removed")
        for i in range(offset, offset + count)
    ]


# The floor under one event per request: uvicorn with the API's workers, answering at once
# (bench/floor_app.py), under the same client.
FLOORS = {"uvicorn, answering at once": "bench.floor_app:bare", "FastAPI, one sync route": "bench.floor_app:framework"}
READER_ROUTE = "the reader route (key check + insert)"
SINGLES_TITLE = f"POST {paths.DEVICE_EVENT}, one event per request, median of 3 runs (client and servers on 2 cores)"


def run(
    env: BenchEnv, total: int, batch: int, single: int, concurrencies: list[int]
) -> tuple[list[tuple[str, int, float]], list[tuple[str, LoadResult]]]:
    principal, _ = env.new_user()
    _, key = devices.register(env.runtime.db, principal, "NFC_BENCH", "bench")
    headers = {"X-Device-Id": "NFC_BENCH", "Authorization": f"Bearer {key}"}
    identity = DeviceIdentity(device_id="NFC_BENCH", owner_id=principal.user_id)
    offsets = Offsets()

    def copy_baseline() -> float:
        owner = principal.user_id
        rows = [
            (owner, "NFC_BENCH", e["event_type"], e["tag_id"], e["tag_present"], e["timestamp"], json.dumps(e))
            for e in payloads("NFC_BENCH", total, offsets.take(total))
        ]
        columns = "owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload"
        return copy_seconds(env.runtime.db.admin_url, "device_events", columns, rows)

    def core_store() -> float:
        chunks = in_batches(payloads("NFC_BENCH", total, offsets.take(total)), batch)
        # What the batch route runs once the key is checked: validate and store, item by item.
        return seconds_of(lambda: [ingest.receive_batch(env.runtime.db, identity, chunk, batch) for chunk in chunks])

    def http_batches(offset: int | None = None) -> float:
        first = offsets.take(total) if offset is None else offset
        bodies = [json.dumps(chunk).encode() for chunk in in_batches(payloads("NFC_BENCH", total, first), batch)]
        return send_batches(env.api_url, paths.DEVICE_EVENTS, bodies, headers, expect=200)

    def http_singles(concurrency: int, url: str, servers: dict[str, int]) -> LoadResult:
        events = payloads("NFC_BENCH", single, offsets.take(single))
        requests = [post_request(url, paths.DEVICE_EVENT, json.dumps(e).encode(), headers) for e in events]
        return load_prepared(concurrency, requests, url, expect=201, servers=servers)

    def http_replay() -> float:
        # The COPY's first events again: every item is a duplicate (a reader retrying after a
        # lost answer).
        return http_batches(offset=0)

    rows = in_turns(
        3,
        [
            (BASELINE, total, copy_baseline),
            (f"core receive_batch (validate+store), batches of {batch}", total, core_store),
            (f"HTTP POST /device-events, batches of {batch}", total, lambda: http_batches()),
            ("HTTP POST /device-events, all duplicates", total, http_replay),
        ],
    )
    # Three rounds of three paths that store new events; the replays store none.
    stored = stored_rows(env.runtime.db.admin_url, "device_events")
    assert stored == 9 * total, f"expected {9 * total} events stored, found {stored}"
    with ExitStack() as floors:
        targets = [
            (name, url, {API_SERVER: pid})
            for name, app in FLOORS.items()
            for url, pid in [floors.enter_context(floor_server(app, env.runtime.settings.api_worker_count))]
        ]
        targets.append((READER_ROUTE, env.api_url, env.servers))
        # Like the batches, the servers take turns, at each concurrency, for three rounds; the
        # median run of each is kept: a single run here swung by a third from one to the next.
        runs: dict[tuple[str, int], list[LoadResult]] = {}
        for _ in range(3):
            for concurrency in concurrencies:
                for name, url, servers in targets:
                    runs.setdefault((name, concurrency), []).append(http_singles(concurrency, url, servers))
    singles = [(name, median_run(results)) for (name, _), results in runs.items()]
    return rows, singles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--single", type=int, default=6_000, help="events sent one request each, per concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    with bench_env() as env:
        rows, singles = run(env, args.events, args.batch, args.single, args.concurrency)
    print_table("NFC ingest into device_events (median of 3 runs)", rows, baseline=BASELINE)
    print_latency_table(SINGLES_TITLE, singles)


if __name__ == "__main__":
    main()
