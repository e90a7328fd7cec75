"""ActivityWatch ingest throughput: the webhook and the core bulk path vs raw COPY.

    .venv/bin/python bench/activitywatch_bench.py [--events 100000] [--batch 1000] [--aw-server URL|auto|none]

Every path writes the same kind of rows (currentwindow events of a realistic size) into
`aw_events` of a fresh embedded database. The baseline is `COPY` of the same rows into the
same table as the database owner (no auth, no RLS, no validation, no upsert): the floor
under any ingest path. The same events are also POSTed to a real aw-server's
/api/0/buckets/<id>/events in the same run: by default (`auto`) one started here from
AW_SERVER_BIN or .venv-aw (scripts/test.sh installs it), `--testing` with its usual SQLite
storage in a throwaway home; or a running one given by URL; `none` leaves it out. Each
path's events are made before its clock starts (COPY's rows, the webhook's and aw-server's
bodies encoded): a watcher's own work is not the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    ROOT,
    BenchEnv,
    Offsets,
    bench_env,
    copy_seconds,
    free_port,
    in_batches,
    in_turns,
    print_table,
    running_process,
    seconds_of,
    send_batches,
    stored_rows,
)
from timetracker import teams
from timetracker.activitywatch import batch as aw_batch
from timetracker.activitywatch import ingest
from timetracker.activitywatch.developer_tokens import TokenKeys

START = datetime(2025, 1, 1, tzinfo=UTC)
BASELINE = "COPY as the table owner"
APPS = ["Code", "Firefox", "Terminal", "Slack", "Zoom"]
WEBHOOK = "/api/v1/activitywatch/webhook"
BUCKET = {"id": "aw-watcher-window_bench", "type": "currentwindow", "client": "aw-watcher-window", "hostname": "bench"}


def events(count: int, offset: int) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "timestamp": (START + timedelta(seconds=5 * i)).isoformat(),
            "duration": 4.5,
            "data": {"app": APPS[i % len(APPS)], "title": f"file_{i % 97}.py - project {i % 13} - Visual Studio Code"},
        }
        for i in range(offset, offset + count)
    ]


def run(env: BenchEnv, total: int, size: int, aw_server: str | None) -> list[tuple[str, int, float]]:
    db = env.runtime.db
    principal, _ = env.new_user()
    team_id = teams.create(db, principal, "bench")["id"]
    dev_id = "bench_dev_0123abcd"
    token = TokenKeys.from_settings(env.runtime.settings).issue(team_id, dev_id)
    headers = {"Developer-ID": dev_id, "Authorization": f"Bearer {token}"}
    offsets = Offsets()
    sent_as_developer: list[int] = []

    def copy_baseline() -> float:
        bucket = ("bench", BUCKET["id"], "currentwindow", BUCKET["client"])
        rows = [
            (principal.user_id, *bucket, e["timestamp"], e["duration"], json.dumps(e["data"]))
            for e in events(total, offsets.take(total))
        ]
        columns = "owner_id, host, bucket_id, bucket_type, client, started_at, duration, data"
        return copy_seconds(db.admin_url, "aw_events", columns, rows)

    def core_store() -> float:
        chunks = in_batches(events(total, offsets.take(total)), size)
        sender = ingest.Sender(principal=principal)

        def store_all() -> None:
            for chunk in chunks:
                # As the webhook does: each event validated as the store takes it.
                received = aw_batch.Received()
                received.record(
                    ingest.store(db, sender, aw_batch.each_row({"bucket": BUCKET, "events": chunk}, received))
                )

        return seconds_of(store_all)

    def http_batches(replay_offset: int | None = None) -> float:
        offset = offsets.take(total) if replay_offset is None else replay_offset
        sent_as_developer.append(offset)
        chunks = in_batches(events(total, offset), size)
        bodies = [json.dumps({"bucket": BUCKET, "events": chunk}).encode() for chunk in chunks]
        return send_batches(env.api_url, WEBHOOK, bodies, headers, expect=200)

    def http_replay() -> float:
        return http_batches(replay_offset=sent_as_developer[0])

    rows = in_turns(
        3,
        [
            (BASELINE, total, copy_baseline),
            (f"core validate + ingest.store (bulk upsert), batches of {size}", total, core_store),
            (f"HTTP webhook, developer token, batches of {size}", total, lambda: http_batches()),
            ("HTTP webhook, all duplicates (a retry)", total, http_replay),
        ],
    )
    # Three rounds of three paths that store new events (the upsert keeps each once); the
    # replays store none.
    stored = stored_rows(db.admin_url, "aw_events")
    assert stored == 9 * total, f"expected {9 * total} events stored, found {stored}"

    if aw_server:
        api = aw_server.rstrip("/") + "/api/0"

        def aw_post() -> float:
            bucket_id = f"bench-{uuid.uuid4().hex[:8]}"
            bucket = {"type": "currentwindow", "client": "bench", "hostname": "bench"}
            httpx.post(f"{api}/buckets/{bucket_id}", json=bucket, timeout=60).raise_for_status()
            batch = [{k: v for k, v in e.items() if k != "id"} for e in events(total, offsets.take(total))]
            bodies = [json.dumps(chunk).encode() for chunk in in_batches(batch, size)]
            # httpx here: aw-server's development server does not keep a connection alive the way
            # bench/load_client.py expects.
            with httpx.Client(base_url=api, headers={"content-type": "application/json"}, timeout=600) as client:
                url = f"/buckets/{bucket_id}/events"
                return seconds_of(lambda: [client.post(url, content=body).raise_for_status() for body in bodies])

        rows.append((f"aw-server POST /events, batches of {size} (1 run)", total, aw_post()))
    return rows


def aw_server_binary() -> str | None:
    local = ROOT / ".venv-aw" / "bin" / "aw-server"
    return os.environ.get("AW_SERVER_BIN") or (str(local) if local.exists() else shutil.which("aw-server"))


@contextmanager
def started_aw_server(binary: str) -> Iterator[str]:
    """A real aw-server on a free loopback port, with its data in a folder deleted afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="aw-bench-") as home:
        env = {**os.environ, "HOME": home, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
        command = [binary, "--testing", "--host", "127.0.0.1", "--port", str(port)]
        url = f"http://127.0.0.1:{port}"
        with running_process(command, env, f"{url}/api/0/info", "aw-server", quiet=True):  # it narrates every request
            yield url


@contextmanager
def aw_server_for(choice: str) -> Iterator[str | None]:
    if choice == "none":
        yield None
    elif choice != "auto":
        yield choice
    elif (binary := aw_server_binary()) is None:
        print("no aw-server found (AW_SERVER_BIN or .venv-aw): its row is left out", file=sys.stderr)
        yield None
    else:
        with started_aw_server(binary) as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument(
        "--aw-server", default="auto", help="'auto' (start one), 'none', or the URL of a running aw-server"
    )
    args = parser.parse_args()
    with bench_env() as env, aw_server_for(args.aw_server) as aw_server:
        rows = run(env, args.events, args.batch, aw_server)
    print_table("ActivityWatch ingest into aw_events (median of 3 runs)", rows, baseline=BASELINE)


if __name__ == "__main__":
    main()
