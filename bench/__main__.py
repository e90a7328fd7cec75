"""Every ingest figure in one run, each beside its baseline measured in the same run.

    python -m bench [--quick]

Reader events (one per request at rising concurrency, and batches) against COPY, the
ActivityWatch webhook against the real aw-server and COPY, WakaTime's heartbeats.bulk against
COPY, timer presses against a plain INSERT, then cold start and memory. The load average is
printed with the figures: on a shared machine, read the ratios. Nothing passes or fails.
"""

from __future__ import annotations

import argparse
import os

from bench import activitywatch_bench, ingest_bench, startup_bench, timer_bench, wakatime_bench
from bench.support import bench_env, print_latency_table, print_table


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a first look")
    args = parser.parse_args()
    scale = 5 if args.quick else 1
    timer_events = 1600 // scale - (1600 // scale) % len(timer_bench.CYCLE)
    # The per-token limit protects a real server; here it would only measure the limit.
    os.environ["TIMER_EVENTS_PER_WINDOW"] = str(30 * timer_events)
    print(f"before: {load_average()}")
    with bench_env() as env, activitywatch_bench.aw_server_for("auto") as aw_server:
        nfc_rows, singles = ingest_bench.run(env, 20_000 // scale, 500, 6_000 // scale, [1, 8, 32])
        aw_rows = activitywatch_bench.run(env, 100_000 // scale, 1_000, aw_server)
        wakatime_rows = wakatime_bench.run(env, 20_000 // scale, 500)
        timer_rows = timer_bench.run(env, timer_events)
    print(f"after the ingest runs: {load_average()}")
    print_table("NFC ingest into device_events (median of 3 runs)", nfc_rows, baseline=ingest_bench.BASELINE)
    print_latency_table(ingest_bench.SINGLES_TITLE, singles)
    aw_title = "ActivityWatch ingest into aw_events (median of 3 runs)"
    print_table(aw_title, aw_rows, baseline=activitywatch_bench.BASELINE)
    print_table("Heartbeat ingest into heartbeats (median of 3 runs)", wakatime_rows, baseline=wakatime_bench.BASELINE)
    print_table("Timer events, applied one at a time (median of 3 runs)", timer_rows, baseline=timer_bench.BASELINE)
    startup_bench.print_startup(startup_bench.measure(2 if args.quick else 3))
    print(f"\nat the end: {load_average()}")


if __name__ == "__main__":
    main()
