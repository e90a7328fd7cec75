"""What every benchmark needs: a throwaway embedded database, the real app on loopback,
an account, and a table of figures printed beside the baseline measured in the same run.

Benchmarks print numbers; they never pass or fail on them (tests never time anything).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
import psutil
import psycopg

from bench.load_client import framed
from tests.utils.users import make_user
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import embedded
from timetracker.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
API_SERVER, DATABASE_SERVER = "API", "PostgreSQL"


@dataclass(frozen=True)
class BenchEnv:
    runtime: Runtime
    api_url: str
    servers: dict[str, int]  # what serves the API, by name: the pid whose process tree does the work

    def new_user(self, name: str = "bench") -> tuple[Principal, str]:
        """A real account, made as the tests make theirs; returns its principal and access token."""
        user = make_user(self.runtime, name)
        return user.principal, user.access_token


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_process(
    command: list[str], env: dict[str, str], health_url: str, what: str, *, quiet: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` started from the repo root, until `health_url` answers 200; stopped afterwards.
    Its output goes to ours (where a failed start explains itself) unless `quiet`."""
    sink = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(health_url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def _api_server(settings: Settings) -> Iterator[tuple[str, int]]:
    """The real `uvicorn webhook_server:app` in its own process, as entrypoint.sh runs it,
    so the load generator and the server do not share one interpreter's GIL."""
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir),
        "API_PORT": str(settings.api_port),
        "DATABASE_URL": "",
        "SUPABASE_URL": "",
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
    }
    command = _uvicorn("webhook_server:app", settings.api_port, settings.api_worker_count)
    url = f"http://127.0.0.1:{settings.api_port}"
    with running_process(command, env, f"{url}/api/health", "the API server") as process:
        yield url, process.pid


def _uvicorn(app: str, port: int, workers: int) -> list[str]:
    """The command that serves `app` as entrypoint.sh serves the API, quietly."""
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--workers", str(workers)]
    return [*command, "--log-level", "warning", "--no-access-log"]


@contextmanager
def floor_server(app: str, workers: int) -> Iterator[tuple[str, int]]:
    """`uvicorn <app>` (one of bench/floor_app.py's) served as the API is, on a port of its own;
    yields its URL and pid."""
    from bench.floor_app import HEALTH

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_process(_uvicorn(app, port, workers), dict(os.environ), f"{url}{HEALTH}", app) as process:
        yield url, process.pid


@contextmanager
def bench_env(data_dir: Path | None = None) -> Iterator[BenchEnv]:
    """A fresh embedded PostgreSQL in a temp folder, a Runtime on it for the core paths,
    and the real API server in a separate process on the same database.

    With `data_dir`, the embedded database kept in that folder instead (e.g. a dataset from
    bench/dataset.py `ensure`): it is stopped afterwards but left in place for the next run."""
    with ExitStack() as stack:
        stack.enter_context(_cleaned_up_on_sigterm())
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tt-bench-")))
        settings = Settings(_env_file=None, data_dir=data_dir, api_port=free_port(), supabase_url="", database_url="")
        runtime = Runtime.start(settings)  # also writes the generated secrets the server will read
        try:
            with _api_server(settings) as (url, pid):
                postmaster = int((embedded.pgdata_dir(data_dir) / "postmaster.pid").read_text().split()[0])
                yield BenchEnv(runtime, url, {API_SERVER: pid, DATABASE_SERVER: postmaster})
        finally:
            runtime.close()
            embedded.stop(data_dir)


@contextmanager
def _cleaned_up_on_sigterm() -> Iterator[None]:
    """SIGTERM (a `timeout`, a `kill`) ends the bench through its cleanups, as Ctrl-C does:
    otherwise its API server and database outlive it, and load the next run's machine."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Offsets:
    """Hands out fresh, non-overlapping ranges of event numbers, so every run inserts new rows."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, count: int) -> int:
        offset, self.next = self.next, self.next + count
        return offset


def seconds_of(work: Callable[[], object]) -> float:
    """The wall time of `work()`: for a path that prepares its data first, untimed (a sender's
    own work, such as generating and encoding its items, is no part of what is measured)."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def copy_seconds(admin_url: str, table: str, columns: str, rows: Sequence[Sequence[object]]) -> float:
    """Seconds to COPY `rows`, made in advance, into `table` (`columns`) as the database owner:
    the baseline every ingest table is read against."""

    def copy() -> None:
        with (
            psycopg.connect(admin_url) as conn,
            conn.cursor() as cur,
            cur.copy(f"copy {table} ({columns}) from stdin") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    return seconds_of(copy)


def in_batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` cut into the batches a sender posts, `size` each (the last may be shorter)."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def stored_rows(admin_url: str, table: str) -> int:
    """How many rows `table` holds, read as its owner: a bench's proof that its paths stored
    what they were answered for, not only that they answered."""
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(f"select count(*) from {table}").fetchone()
    assert row is not None
    return row[0]


def in_turns(rounds: int, paths: Sequence[tuple[str, int, Callable[[], float | None]]]) -> list[tuple[str, int, float]]:
    """(name, items, median seconds) of each path over `rounds` rounds, the paths taking turns
    within each round, in the order given. Each path then meets the table at the same sizes
    and the machine in the same moods (checkpoints, autovacuum after a big load): run three
    times before the next path started, the first one (the baseline) always had the emptiest
    table and the quietest minute. A path that measures its own seconds returns them (a load
    sent by another process, timed there without that process's start); otherwise its wall
    time counts."""
    timings: dict[str, list[float]] = {name: [] for name, _, _ in paths}
    for _ in range(rounds):
        for name, _, work in paths:
            started = time.perf_counter()
            measured = work()
            timings[name].append(time.perf_counter() - started if measured is None else measured)
    return [(name, items, statistics.median(timings[name])) for name, items, _ in paths]


def print_table(title: str, rows: list[tuple[str, int, float]], baseline: str) -> None:
    """rows: (name, items, seconds). Prints items/s and the ratio to the baseline row."""
    base = next(items / seconds for name, items, seconds in rows if name == baseline)
    print(f"\n{title}")
    print(f"baseline: {baseline}")
    print(f"{'path':<52} {'items':>8} {'seconds':>9} {'items/s':>10} {'vs baseline':>12}")
    for name, items, seconds in rows:
        rate = items / seconds
        print(f"{name:<52} {items:>8} {seconds:>9.3f} {rate:>10.0f} {rate / base:>11.2f}x")


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]
    cpu_ms: dict[str, float] = field(default_factory=dict)  # server name -> CPU ms per request

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def load(concurrency: int, requests: int, send: Callable[[httpx.Client, int], None], base_url: str) -> LoadResult:
    """`requests` calls of `send(client, n)` (n = 0..requests-1) from `concurrency` threads,
    each with its own keep-alive connection; every call's latency is recorded. These threads
    share one interpreter and spend about 0.6 ms of it per request: fine for reads that take
    milliseconds, not for requests as cheap as a single event (`load_prepared`)."""
    latencies: list[float] = []
    lock = threading.Lock()
    numbers = iter(range(requests))

    def worker() -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base_url, timeout=60) as client:
            while True:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    break
                started = time.perf_counter()
                send(client, n)
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(concurrency, requests, time.perf_counter() - started, latencies)


def post_request(url: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """A complete HTTP/1.1 POST of a JSON `body` to `url` + `path`, as bytes for `load_prepared`."""
    host = httpx.URL(url).netloc.decode()
    lines = [f"POST {path} HTTP/1.1", f"host: {host}", "content-type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) so far of a process and all its descendants alive now: uvicorn
    and its workers, or the postmaster and its backends (the pool keeps theirs open)."""
    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def load_prepared(
    concurrency: int, requests: list[bytes], base_url: str, expect: int, servers: dict[str, int] | None = None
) -> LoadResult:
    """`requests` sent by bench/load_client.py, in a process of its own, over `concurrency`
    keep-alive connections; every answer must have the status `expect`. For requests as cheap
    as a single event, where a client of threads would measure itself (see that module).
    `servers` (name -> pid): whose CPU per request to report, the figure that says what a
    request costs the machine, whoever else shares it."""
    url = httpx.URL(base_url)
    command = [sys.executable, "-m", "bench.load_client", url.host, str(url.port), str(concurrency)]
    servers = servers or {}
    before = {name: cpu_seconds(pid) for name, pid in servers.items()}
    done = subprocess.run(command, cwd=ROOT, input=framed(requests), stdout=subprocess.PIPE, check=True)
    used = {name: (cpu_seconds(pid) - before[name]) * 1000 / len(requests) for name, pid in servers.items()}
    result = json.loads(done.stdout)
    if result["statuses"] != {str(expect): len(requests)}:
        raise RuntimeError(f"expected {len(requests)} answers {expect}, got {result['statuses']}")
    return LoadResult(concurrency, len(requests), result["seconds"], result["latencies"], used)


def send_batches(base_url: str, path: str, bodies: list[bytes], headers: dict[str, str], expect: int) -> float:
    """Seconds to POST each JSON body in turn on one connection (a sender replaying its queue),
    every request built in advance and sent by bench/load_client.py, as the single events are."""
    requests = [post_request(base_url, path, body, headers) for body in bodies]
    return load_prepared(1, requests, base_url, expect=expect).seconds


def median_run(runs: list[LoadResult]) -> LoadResult:
    """Of several runs of the same load, the one with the median throughput."""
    return sorted(runs, key=lambda run: run.per_second)[len(runs) // 2]


def print_latency_table(title: str, rows: list[tuple[str, LoadResult]]) -> None:
    """Load results at each concurrency, each beside the first row's (the floor) at the same one,
    with the CPU each request cost the server and the database where it was measured."""
    print(f"\n{title}")
    columns = f"{'what':<34} {'concurrency':>11} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{columns} {'vs floor':>9} {'CPU ms/req: ' + API_SERVER:>19} {DATABASE_SERVER:>10}")
    floor = {r.concurrency: r.per_second for name, r in rows if name == rows[0][0]}
    for name, r in sorted(rows, key=lambda row: row[1].concurrency):
        used = [f"{r.cpu_ms[server]:.3f}" if server in r.cpu_ms else "" for server in (API_SERVER, DATABASE_SERVER)]
        print(
            f"{name:<34} {r.concurrency:>11} {r.requests:>9} {r.per_second:>8.0f} {r.percentile_ms(50):>8.1f}"
            f" {r.percentile_ms(99):>8.1f} {r.per_second / floor[r.concurrency]:>8.2f}x {used[0]:>19} {used[1]:>10}"
        )
