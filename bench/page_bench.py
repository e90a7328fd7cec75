"""My time and Team in Debian's chromium on a team's six months: how long a week and a
month take to render, from the dates being entered to the charts drawn.

The real API and the real dashboard (`streamlit run`) on the generated dataset
(bench/dataset.py), a real login, Playwright typing the dates as a person would. Figures
only: nothing here passes or fails.

    python -m bench.page_bench --scale 1.0 --data-dir /tmp/tt-dataset-1.0
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench import dataset
from bench.support import bench_env
from tests.utils.browser import CHROMIUM, CHROMIUM_ARGS, log_in, open_page, running_dashboard, settle

WAIT_MS = 120_000


@contextmanager
def dashboard_for(data_dir: Path, api_port: int) -> Iterator[str]:
    """The dashboard wired to the dataset's database and the bench's API server."""
    saved = dict(os.environ)
    os.environ.update(
        {
            "DATA_DIR": str(data_dir),
            "API_PORT": str(api_port),
            "DATABASE_URL": "",
            "SUPABASE_URL": "",
            "ENVIRONMENT": "development",
        }
    )
    try:
        with running_dashboard(Path(tempfile.gettempdir()) / "tt-page-bench-streamlit.log") as url:
            yield url
    finally:
        os.environ.clear()
        os.environ.update(saved)


# Set when the app starts a run after this is installed, so a quick run is not missed.
WATCH_RUNS = """() => {
  window.__ranSince = false;
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    if (app.dataset.testScriptState === 'running') window.__ranSince = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
RUN_DONE = """() => window.__ranSince
  && document.querySelector("[data-testid='stApp']").dataset.testScriptState === 'notRunning'"""


def show_dates(page: Page, key: str, first: date, last: date) -> float:
    """Type the range into the date input `key` as a person would (year, month and day of
    each end) and leave the field; then wait for the run and its charts. Seconds from
    leaving the field."""
    widget = page.locator(f".st-key-{key}")
    for which, day in (("start", first), ("end", last)):
        widget.get_by_role("spinbutton", name=f"year, Dates {which} date").click()
        page.keyboard.type(f"{day:%Y%m%d}")
    page.evaluate(WATCH_RUNS)
    started = time.perf_counter()
    page.locator("h1").first.click()  # leaving the field sends the dates
    page.wait_for_function(RUN_DONE, timeout=WAIT_MS)
    # The charts, or the note that these dates hold no time (a week of holiday).
    page.locator(".js-plotly-plot, [data-testid='stAlert']").first.wait_for(timeout=WAIT_MS)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / f"tt-dataset-{args.scale}"
    _, info = dataset.ensure(data_dir, args.scale)
    heavy = info.heavy
    owner = next(m for m in info.owners if m.team_id == heavy.team_id)
    monday = info.last_day - timedelta(days=info.last_day.weekday() + 28)
    month_start = (info.last_day - timedelta(days=40)).replace(day=1)
    ranges = {
        "week": (monday, monday + timedelta(days=6)),
        "month": (month_start, (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)),
    }
    with (
        bench_env(data_dir) as env,
        dashboard_for(data_dir, env.runtime.settings.api_port) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"\n{'page':<34} {'range':<7} {'median s':>9} {'runs':>30}")
        for who, page_title, key in ((heavy, "My time", "dates"), (owner, "Team", "team_dates")):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(WAIT_MS)
            page = context.new_page()
            page.goto(url)
            log_in(page, who.email, info.password)
            settle(page)
            open_page(page, page_title)
            for name, (first, last) in ranges.items():
                runs = []
                for run in range(args.runs):
                    # Alternate with another range so every run really reads and draws again.
                    show_dates(page, key, first - timedelta(days=7 * (run + 1)), last - timedelta(days=7 * (run + 1)))
                    runs.append(show_dates(page, key, first, last))
                shown = " ".join(f"{seconds:.2f}" for seconds in runs)
                print(f"{page_title + ' (' + who.kind + ')':<34} {name:<7} {statistics.median(runs):>9.2f} {shown:>30}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
