"""Read paths at a team's real size, each beside the same totals in hand-written SQL.

On the generated six-month dataset (bench/dataset.py; ~10 M events at --scale 1), through
the real API server on loopback, as real accounts:

- GET /api/v1/time for the heavy person's week and month (p50/p95, bytes);
- the same per-day tracked totals from one hand-written SQL query (the baseline), read as
  the same person through RLS, and how far the two answers are apart (a cross-check);
- GET /api/v1/teams/{id}/time for a team of 50 for a week, beside the baseline per member;
- the ActivityWatch team summary of that team;
- eight people reading their own week at once, against one alone.

    python -m bench.reports_bench --scale 1.0 --data-dir /tmp/tt-dataset-1.0

Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench import dataset
from bench.support import BenchEnv, bench_env, load
from timetracker.auth.principal import Principal

# Per person and local day: every second some source covers, counted once. The same rules as
# the product (not-AFK ActivityWatch time, heartbeats joined under the person's timeout,
# imported WakaTime durations, timer active time, NFC tag stays), written out by hand.
TRACKED_PER_DAY = """
with days as (
  select g::date as day,
         tstzrange(g::date::timestamp at time zone %(tz)s, (g::date + 1)::timestamp at time zone %(tz)s) as r
  from generate_series(%(first)s::date, %(last)s::date, interval '1 day') g
),
win as (select min(lower(r)) as s, max(upper(r)) as e from days),
timeout as (
  select make_interval(mins => coalesce(
    (select timeout_minutes from heartbeat_settings where owner_id = %(person)s), 15)) as t
),
beats as (
  select h.time, lead(h.time) over (order by h.time) as next_time
  from heartbeats h, win, timeout
  where h.owner_id = %(person)s and h.time >= win.s - timeout.t and h.time < win.e + timeout.t
),
stays as (
  select d.event_type, d.occurred_at, lead(d.occurred_at) over w as next_at
  from device_events d, win
  where d.owner_id = %(person)s
    and d.occurred_at >= win.s - interval '1 day' and d.occurred_at < win.e + interval '1 day'
  window w as (partition by d.device_id, d.tag_id order by d.occurred_at, d.event_type)
),
spans as (
  select tstzrange(e.started_at, e.started_at + make_interval(secs => e.duration)) as r
  from aw_events e, win
  where e.owner_id = %(person)s and e.bucket_type = 'afkstatus' and e.afk_status = 'not-afk'
    and e.started_at >= win.s - interval '1 day' and e.started_at < win.e
  union all
  select tstzrange(e.started_at, e.started_at + make_interval(secs => e.duration))
  from developers v join aw_events e on e.team_id = v.team_id and e.developer_id = v.developer_id, win
  where v.user_id = %(person)s and e.bucket_type = 'afkstatus' and e.afk_status = 'not-afk'
    and e.started_at >= win.s - interval '1 day' and e.started_at < win.e
  union all
  select tstzrange(b.time, b.next_time) from beats b, timeout where b.next_time - b.time < timeout.t
  union all
  select tstzrange(w.started_at, w.started_at + make_interval(secs => w.duration_seconds))
  from wakatime_durations w, win
  where w.owner_id = %(person)s and w.started_at >= win.s - interval '1 day' and w.started_at < win.e
  union all
  select tstzrange(q.started_at, q.started_at + make_interval(secs => q.active_seconds))
  from timer_questions q, win
  where q.owner_id = %(person)s and q.started_at >= win.s - interval '1 day' and q.started_at < win.e
  union all
  select tstzrange(s.occurred_at, s.next_at) from stays s where s.event_type = 'tag_insert' and s.next_at is not null
),
tracked as (select coalesce(range_agg(r), '{}') as ranges from spans)
select d.day, coalesce((select sum(extract(epoch from upper(p) - lower(p)))
                        from unnest(t.ranges * tstzmultirange(d.r)) p), 0)::float8 as seconds
from days d, tracked t order by d.day
"""


def percentiles(timings: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    return statistics.median(timings) * 1000, cuts[18] * 1000


def timed(runs: int, work: Callable[[], Any]) -> tuple[list[float], Any]:
    timings, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        timings.append(time.perf_counter() - started)
    return timings, answer


def row(name: str, timings: list[float], baseline_ms: float | None = None, extra: str = "") -> None:
    p50, p95 = percentiles(timings)
    ratio = f"{p50 / baseline_ms:>7.1f}x" if baseline_ms else f"{'':>8}"
    print(f"{name:<58} {p50:>9.1f} {p95:>9.1f} {ratio} {extra}")


def log_in(env: BenchEnv, email: str, password: str) -> tuple[Principal, dict[str, str]]:
    assert env.runtime.local_auth is not None
    session = env.runtime.local_auth.password_grant(email, password, "127.0.0.1")
    principal = env.runtime.authenticator.from_access_token(session.access_token)
    return principal, {"Authorization": f"Bearer {session.access_token}"}


def hand_written(env: BenchEnv, viewer: Principal, person: Any, first: date, last: date, tz: str) -> list[float]:
    params = {"person": person, "first": first, "last": last, "tz": tz}
    with env.runtime.db.as_user(viewer.db_claims) as conn:
        return [r["seconds"] for r in conn.execute(TRACKED_PER_DAY, params).fetchall()]


def dataset_from_arguments(description: str, default_scale: float) -> tuple[argparse.Namespace, Path, Any]:
    """(arguments, data folder, DatasetInfo) of a read benchmark: --scale, --data-dir, --runs;
    the dataset generated the first time only."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=default_scale)
    parser.add_argument("--data-dir", type=Path, help="where the dataset is kept between runs")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / f"tt-dataset-{args.scale}"
    _, info = dataset.ensure(data_dir, args.scale)
    return args, data_dir, info


def whole_month(info: Any) -> tuple[date, date]:
    """A whole calendar month well inside the dataset's six months."""
    month_start = (info.last_day - timedelta(days=40)).replace(day=1)
    return month_start, (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def main() -> None:
    args, data_dir, info = dataset_from_arguments(__doc__.splitlines()[0], 1.0)
    heavy = info.heavy
    # A whole week and a whole month well inside the dataset's six months.
    monday = info.last_day - timedelta(days=info.last_day.weekday() + 28)
    week = (monday, monday + timedelta(days=6))
    month = whole_month(info)

    with bench_env(data_dir) as env, httpx.Client(base_url=env.api_url, timeout=120) as http:
        principal, headers = log_in(env, heavy.email, info.password)
        tz = http.get("/api/v1/profile", headers=headers).json()["timezone"]
        print(f"\nheavy person {heavy.email} ({tz}); week {week[0]}..{week[1]}, month {month[0]}..{month[1]}")
        print(f"{'path':<58} {'p50 ms':>9} {'p95 ms':>9} {'vs SQL':>8}")

        for name, (first, last) in (("week", week), ("month", month)):
            sql_timings, by_hand = timed(
                args.runs, lambda f=first, la=last: hand_written(env, principal, heavy.user_id, f, la, tz)
            )
            row(f"hand-written SQL, tracked per day, {name} (baseline)", sql_timings)
            query = {"start": first.isoformat(), "end": last.isoformat()}
            api_timings, answer = timed(args.runs, lambda q=query: http.get("/api/v1/time", params=q, headers=headers))
            body = answer.json()
            apart = max(abs(d["tracked_seconds"] - s) for d, s in zip(body["days"], by_hand, strict=True))
            extra = f"{len(answer.content) / 1024:.0f} KiB, {len(body['segments'])} segments, ±{apart:.0f} s vs SQL"
            row(f"GET /api/v1/time, {name}", api_timings, percentiles(sql_timings)[0], extra)

        team_owner = next(m for m in info.owners if m.team_id == heavy.team_id)
        owner, owner_headers = log_in(env, team_owner.email, info.password)
        owner_tz = str(ZoneInfo(team_owner.timezone))
        members = [m for m in info.members if m.team_id == heavy.team_id]
        runs = max(3, args.runs // 4)
        sql_timings, _ = timed(
            runs, lambda: [hand_written(env, owner, m.user_id, week[0], week[1], owner_tz) for m in members]
        )
        row(f"hand-written SQL, {len(members)} members' week (baseline)", sql_timings)
        query = {"start": week[0].isoformat(), "end": week[1].isoformat()}
        team_timings, _ = timed(
            runs, lambda: http.get(f"/api/v1/teams/{heavy.team_id}/time", params=query, headers=owner_headers)
        )
        row(f"GET /api/v1/teams/{{id}}/time, {len(members)} members, week", team_timings, percentiles(sql_timings)[0])
        summary_query = {"team_id": str(heavy.team_id), "day": week[1].isoformat()}
        summary_timings, _ = timed(
            runs, lambda: http.get("/api/v1/activitywatch/team-summary", params=summary_query, headers=owner_headers)
        )
        row("GET /api/v1/activitywatch/team-summary, a week", summary_timings)

        # Eight people (the heavy or busiest person of eight teams) read their own week at once.
        readers = [next(m for m in info.members if m.team_id == t and m.kind != "light") for t in info.team_ids[:8]]
        reader_headers = [log_in(env, m.email, info.password)[1] for m in readers]

        def read_week(client: httpx.Client, n: int) -> None:
            client.get("/api/v1/time", params=query, headers=reader_headers[n % len(reader_headers)]).raise_for_status()

        alone = load(1, 8 * 4, read_week, env.api_url)
        together = load(len(readers), len(readers) * 4, read_week, env.api_url)
        print(f"\n{len(readers)} people reading their week: alone p50 {alone.percentile_ms(50):.0f} ms,")
        print(
            f"  at once p50 {together.percentile_ms(50):.0f} ms p95 {together.percentile_ms(95):.0f} ms"
            f" ({together.percentile_ms(50) / alone.percentile_ms(50):.1f}x the time alone)"
        )


if __name__ == "__main__":
    main()
