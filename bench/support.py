"""What every benchmark needs: a throwaway embedded database, the real app on loopback,
an account, and a table of figures printed beside the baseline measured in the same run.

Benchmarks print numbers; they never pass or fail on them (tests never time anything).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from api.main import create_app
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import embedded
from timetracker.runtime import Runtime


@dataclass(frozen=True)
class BenchEnv:
    runtime: Runtime
    api_url: str

    def new_user(self, name: str = "bench") -> tuple[Principal, str]:
        """A real account; returns its principal and access token."""
        assert self.runtime.local_auth is not None
        session = self.runtime.local_auth.sign_up(f"{name}-{uuid.uuid4().hex[:8]}@example.com", "bench password 1")
        return self.runtime.authenticator.from_access_token(session.access_token), session.access_token


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def bench_env() -> Iterator[BenchEnv]:
    """A fresh embedded PostgreSQL in a temp folder and the real app served by uvicorn."""
    with tempfile.TemporaryDirectory(prefix="tt-bench-") as tmp:
        data_dir = Path(tmp)
        settings = Settings(_env_file=None, data_dir=data_dir, api_port=_free_port(), supabase_url="", database_url="")
        runtime = Runtime.start(settings)
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, runtime), host="127.0.0.1", port=settings.api_port, log_level="error")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        try:
            yield BenchEnv(runtime, f"http://127.0.0.1:{settings.api_port}")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            runtime.close()
            embedded.stop(data_dir)


class Offsets:
    """Hands out fresh, non-overlapping ranges of event numbers, so every run inserts new rows."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, count: int) -> int:
        offset, self.next = self.next, self.next + count
        return offset


def best_of(runs: int, work: Callable[[], None]) -> float:
    """Median seconds of `runs` calls (the median shrugs off one noisy run on a shared box)."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def print_table(title: str, rows: list[tuple[str, int, float]], baseline: str) -> None:
    """rows: (name, items, seconds). Prints items/s and the ratio to the baseline row."""
    base = next(items / seconds for name, items, seconds in rows if name == baseline)
    print(f"\n{title}")
    print(f"baseline: {baseline}")
    print(f"{'path':<44} {'items':>8} {'seconds':>9} {'items/s':>10} {'vs baseline':>12}")
    for name, items, seconds in rows:
        rate = items / seconds
        print(f"{name:<44} {items:>8} {seconds:>9.3f} {rate:>10.0f} {rate / base:>11.2f}x")
