"""Heartbeat ingest throughput: heartbeats.bulk and the core insert vs raw COPY.

    .venv/bin/python bench/wakatime_bench.py [--heartbeats 20000] [--batch 500]

Every path writes the same kind of rows into `heartbeats` of a fresh embedded database;
the baseline is `COPY` of the same rows into the same table as the database owner (no
auth, no RLS, no validation, no dedup hash check): the floor under any ingest path. Each
path's items are made before its clock starts (COPY's rows validated and hashed, the bulk
bodies encoded, sent by bench/load_client.py): a plugin's own work is not the server's.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    BenchEnv,
    bench_env,
    copy_seconds,
    in_batches,
    in_turns,
    print_table,
    seconds_of,
    send_batches,
    stored_rows,
)
from timetracker.wakatime import heartbeats, ingest, keys, wire

BASELINE = "COPY as the table owner"
USER_AGENT = "wakatime/v1.90.0 (linux-6.1) go1.22 vscode/1.90.0 vscode-wakatime/24.6.0"
URL = "/api/compat/wakatime/v1/users/current/heartbeats.bulk"


class Clock:
    """Hands out fresh, non-overlapping times (recent, inside the age cap) so every run inserts new rows."""

    def __init__(self) -> None:
        self.start = datetime.now(UTC) - timedelta(days=1)
        self.next = 0

    def items(self, count: int) -> list[dict[str, Any]]:
        first, self.next = self.next, self.next + count
        return [
            {
                "time": (self.start + timedelta(milliseconds=10 * i)).timestamp(),
                "entity": f"/home/dev/project/src/module_{i % 50}.py",
                "type": "file",
                "category": "coding",
                "project": "apollo",
                "branch": "main",
                "language": "Python",
                "is_write": i % 7 == 0,
                "lines": 200,
                "lineno": str(i % 200),
                "cursorpos": str(i % 80),
                "dependencies": ["fastapi", "pydantic"],
            }
            for i in range(first, first + count)
        ]


def run(env: BenchEnv, total: int, batch: int) -> list[tuple[str, int, float]]:
    principal, _ = env.new_user()
    key, _ = keys.issue_key(env.runtime.db, principal)
    headers = {"Authorization": "Basic " + base64.b64encode(key.encode()).decode(), "User-Agent": USER_AGENT}
    clock = Clock()
    max_age = timedelta(days=30)

    def copy_baseline() -> float:
        beats = [wire.to_heartbeat(wire.HeartbeatIn.model_validate(i), USER_AGENT, None) for i in clock.items(total)]
        rows = [
            (principal.user_id, b.time, b.entity, b.type, b.category, b.project, b.branch, b.language, b.is_write,
             b.lines, b.lineno, b.cursorpos, list(b.dependencies), b.editor, b.operating_system, b.machine,
             b.user_agent, b.hash)
            for b in beats
        ]  # fmt: skip
        columns = "owner_id, time, entity, type, category, project, branch, language, is_write, lines, lineno,"
        columns += " cursorpos, dependencies, editor, operating_system, machine, user_agent, hash"

        return copy_seconds(env.runtime.db.admin_url, "heartbeats", columns, rows)

    def core_ingest() -> float:
        chunks = in_batches(clock.items(total), batch)
        plugin = wire.Plugin(principal.user_id, USER_AGENT, None)
        return seconds_of(lambda: [ingest.receive(env.runtime.db, plugin, c, max_age=max_age) for c in chunks])

    def core_store_only() -> float:
        beats = [wire.to_heartbeat(wire.HeartbeatIn.model_validate(i), USER_AGENT, None) for i in clock.items(total)]
        chunks = in_batches(beats, batch)
        return seconds_of(lambda: [heartbeats.store(env.runtime.db, principal.user_id, c) for c in chunks])

    def http_bulk() -> float:
        bodies = [json.dumps(chunk).encode() for chunk in in_batches(clock.items(total), batch)]
        return send_batches(env.api_url, URL, bodies, headers, expect=201)

    rows = in_turns(
        3,
        [
            (BASELINE, total, copy_baseline),
            (f"core heartbeats.store, batches of {batch}", total, core_store_only),
            (f"core ingest (validate+store), batches of {batch}", total, core_ingest),
            (f"HTTP POST heartbeats.bulk, batches of {batch}", total, http_bulk),
        ],
    )

    # Three rounds of four paths that store new heartbeats (heartbeats.bulk answers 201 even
    # for refused items, so its answers alone would not show it).
    stored = stored_rows(env.runtime.db.admin_url, "heartbeats")
    assert stored == 12 * total, f"expected {12 * total} heartbeats stored, found {stored}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heartbeats", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with bench_env() as env:
        rows = run(env, args.heartbeats, args.batch)
    print_table("Heartbeat ingest into heartbeats (median of 3 runs)", rows, baseline=BASELINE)


if __name__ == "__main__":
    main()
