"""The embedded PostgreSQL after a crash: killed with no shutdown, it leaves its lock file
(postmaster.pid) behind, and the next start must start a server, not attach to a dead one.

A container restart may hand the dead server's pid to another, live process (a new
container numbers its processes from 1 again); these tests make that case on purpose.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from timetracker.db import embedded

ROOT = Path(__file__).resolve().parents[2]
GONE_TIMEOUT_SECONDS = 60
START_TIMEOUT_SECONDS = 120


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    # pgserver stops a server it cannot stop by killing the pid in the lock file: never pid 1.
    lock_file = _lock_file(tmp_path)
    if not lock_file.exists() or lock_file.read_text().split()[0] != "1":
        embedded.stop(tmp_path)


def _lock_file(data_dir: Path) -> Path:
    return embedded.pgdata_dir(data_dir) / "postmaster.pid"


def _kill_the_server(data_dir: Path) -> None:
    """SIGKILL the postmaster and every process of its server, and wait until none is left
    running: as the kernel's out-of-memory killer or a power cut leaves it."""
    postmaster = psutil.Process(int(_lock_file(data_dir).read_text().split()[0]))
    server = [postmaster, *postmaster.children(recursive=True)]
    for process in server:
        process.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + GONE_TIMEOUT_SECONDS
    while any(_still_running(p) for p in server):
        assert time.monotonic() < deadline, "the killed server's processes did not end"
        time.sleep(0.1)


def _still_running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _name_another_process(data_dir: Path, pid: int, started_at: int | None = None) -> int:
    """Put `pid` (and the server's start time, if given) in the lock file; returns the pid it named."""
    lock_file = _lock_file(data_dir)
    named, *lines = lock_file.read_text().splitlines()
    if started_at is not None:
        lines[1] = str(started_at)
    lock_file.write_text("\n".join([str(pid), *lines]) + "\n")
    return int(named)


def _answers(url: str) -> bool:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute("select 1").fetchone() == (1,)


def test_after_a_crash_whose_pid_another_process_has_now_the_server_starts_again(data_dir: Path) -> None:
    url = embedded.ensure_running(data_dir)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table kept (n int)")
        conn.execute("insert into kept values (42)")
    _kill_the_server(data_dir)
    _name_another_process(data_dir, 1)

    # The next start is a new process, as `entrypoint.sh` runs it.
    started = subprocess.run(
        [sys.executable, "-m", "timetracker", "db", "up"],
        cwd=ROOT,
        env={**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": "", "SUPABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_SECONDS,
    )

    assert started.returncode == 0, started.stderr
    url = embedded.running_url(data_dir)
    assert url is not None and _answers(url)
    with psycopg.connect(url) as conn:  # what was committed before the crash, recovered from the WAL
        assert conn.execute("select n from kept").fetchall() == [(42,)]


def test_stopping_after_a_crash_signals_no_process_that_has_the_servers_pid_now(data_dir: Path) -> None:
    embedded.ensure_running(data_dir)
    _kill_the_server(data_dir)
    with subprocess.Popen(["sleep", "120"]) as bystander:
        try:
            # A process of ours with the dead server's pid, started long after that server.
            _name_another_process(data_dir, bystander.pid, started_at=int(time.time()) - 3600)

            assert embedded.stop(data_dir) is False  # nothing was running
            assert bystander.poll() is None  # and nothing was signalled
            assert not _lock_file(data_dir).exists()
        finally:
            bystander.kill()


def test_a_running_servers_lock_file_is_kept_whatever_pid_it_names(data_dir: Path) -> None:
    url = embedded.ensure_running(data_dir)
    # As a server in another container sharing the data folder looks from here: its pid means
    # nothing in this one. It answers on its socket, so it is still the server.
    server_pid = _name_another_process(data_dir, 1)
    try:
        assert embedded.ensure_running(data_dir) == url
        assert _lock_file(data_dir).read_text().split()[0] == "1"
        assert _answers(url)
    finally:
        _name_another_process(data_dir, server_pid)  # so that stopping it stops this server
