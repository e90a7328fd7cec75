"""The API as an operator runs it: `uvicorn webhook_server:app` in a process of its own, with
the suite's environment (so it attaches to the suite's database) plus any settings given."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.utils.net import free_port
from tests.utils.processes import stop_group, wait_until_ok

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 90


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
            wait_until_ok(f"{url}/api/health", process, log, START_TIMEOUT_SECONDS)
            yield url
        finally:
            stop_group(process, grace_seconds=30)
