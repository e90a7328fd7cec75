"""The API as an operator runs it: `uvicorn webhook_server:app` in a process of its own, with
the suite's environment (so it attaches to the suite's database) plus any settings given."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.utils.net import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 90


def wait_until_ok(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer 200 in time:\n{log.read_text(errors='replace')[-4000:]}")


@contextmanager
def running_api(log: Path, *extra_args: str, **settings: str) -> Iterator[str]:
    """One uvicorn process (more with `--workers`) on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "webhook_server:app", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--log-level", "warning", *extra_args],
            cwd=ROOT,
            env={**os.environ, "API_PORT": str(port), **settings},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ok(f"{url}/api/health", process, log)
            yield url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
