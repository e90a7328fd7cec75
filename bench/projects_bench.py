"""What project rules cost a report: the summary by project with 50 rules beside none.

On the generated dataset (bench/dataset.py), through the real API server on loopback, as the
heavy person (ActivityWatch window switching every ~20 s: ~33k events a month, ~5k WakaTime
heartbeats): GET /api/v1/reports/summary?group_by=project for a whole month,

- with no rules at all (the baseline: the counted-once report as it was);
- with 50 rules of the person's own: exact apps, regexes on window titles (each distinct
  title is asked about once), coding projects with a language condition, and tag labels;

p50/p95 of each in one run, and the ratio. The rules are removed afterwards, so the dataset
is left as it was found.

    python -m bench.projects_bench --scale 0.02 --data-dir /tmp/tt-dataset-0.02

Figures only: nothing here passes or fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from bench.reports_bench import dataset_from_arguments, log_in, percentiles, row, timed, whole_month
from bench.support import bench_env

RULE_COUNT = 50
APPS = ("Slack", "Thunderbird", "zoom", "Nautilus", "gnome-terminal-server")
TITLE_WORDS = ("GitHub", "Jira", "Stack Overflow", "Grafana", "Confluence", "MDN", "Calendar", "YouTube")
CODING = ("billing-api", "web-dashboard", "mobile-app", "data-pipeline", "infra", "search-service", "design-system")
TAGS = ("Desk", "Office", "Lab", "Workshop", "Meeting room")


def rule_bodies(projects: list[str]) -> list[dict[str, Any]]:
    """RULE_COUNT rules over `projects`, most of them on ActivityWatch (the many pieces), the
    title regexes ahead of the app rules so every title is tried against many patterns."""
    rules: list[dict[str, Any]] = []
    for n, word in enumerate(TITLE_WORDS * 3):
        pattern = f"(?i){word}.*#{n}|{word} · acme" if n >= len(TITLE_WORDS) else f"(?i){word}"
        rules.append({"source": "activitywatch", "field": "title", "match": "regex", "pattern": pattern})
    rules += [{"source": "activitywatch", "field": "app", "pattern": app} for app in APPS]
    rules += [{"source": "activitywatch", "field": "domain", "pattern": "github.com"}]
    rules += [
        {"source": "wakatime", "field": "project", "pattern": name, "extra_field": "language", "extra_pattern": "Go"}
        for name in CODING
    ]
    rules += [{"source": "wakatime", "field": "project", "match": "regex", "pattern": f"^{name}$"} for name in CODING]
    rules += [{"source": "nfc", "field": "tag_label", "pattern": tag} for tag in TAGS]
    while len(rules) < RULE_COUNT:
        rules.append({"source": "activitywatch", "field": "title", "match": "regex", "pattern": f"never-{len(rules)}"})
    return [{**body, "project_id": projects[n % len(projects)]} for n, body in enumerate(rules[:RULE_COUNT])]


@contextmanager
def fifty_rules(http: httpx.Client, headers: dict[str, str]) -> Iterator[None]:
    """Ten projects and RULE_COUNT rules of the person's, deleted afterwards with their rules."""
    projects = []
    try:
        for n in range(10):
            answer = http.post("/api/v1/projects", json={"name": f"bench project {n}"}, headers=headers)
            answer.raise_for_status()
            projects.append(answer.json()["id"])
        for body in rule_bodies(projects):
            http.post("/api/v1/project-rules", json=body, headers=headers).raise_for_status()
        yield
    finally:
        for project_id in projects:
            http.delete(f"/api/v1/projects/{project_id}", headers=headers)


def main() -> None:
    args, data_dir, info = dataset_from_arguments(__doc__.splitlines()[0], 0.02)
    heavy = info.heavy
    month = whole_month(info)
    query = {"start": month[0].isoformat(), "end": month[1].isoformat(), "group_by": "project"}

    with bench_env(data_dir) as env, httpx.Client(base_url=env.api_url, timeout=120) as http:
        _, headers = log_in(env, heavy.email, info.password)
        print(f"\nheavy person {heavy.email}; month {month[0]}..{month[1]}; {args.runs} runs each")
        print(f"{'path':<58} {'p50 ms':>9} {'p95 ms':>9} {'vs none':>8}")

        def summary() -> httpx.Response:
            answer = http.get("/api/v1/reports/summary", params=query, headers=headers)
            answer.raise_for_status()
            return answer

        summary()  # warm the server's caches and connections
        none_timings, plain = timed(args.runs, summary)
        row("summary by project, month, no rules (baseline)", none_timings)
        with fifty_rules(http, headers):
            summary()
            ruled_timings, named = timed(args.runs, summary)
        groups = named.json()["groups"]
        assigned = sum(g["tracked_seconds"] for g in groups if g["project_id"]) / named.json()["tracked_seconds"]
        extra = f"{len(groups)} groups, {assigned:.0%} of the time named"
        row(f"summary by project, month, {RULE_COUNT} rules", ruled_timings, percentiles(none_timings)[0], extra)
        same_total = plain.json()["tracked_seconds"] == named.json()["tracked_seconds"]
        ratio = percentiles(ruled_timings)[0] / percentiles(none_timings)[0]
        print(f"\nratio of p50s (50 rules / none): {ratio:.2f}; same tracked total: {same_total}")


if __name__ == "__main__":
    main()
