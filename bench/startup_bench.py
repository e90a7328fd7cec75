"""Cold start and memory: `entrypoint.sh` as a deploy runs it, on a database that has data.

    python -m bench.startup_bench [--starts 3]

Cold start is the time from launching `entrypoint.sh` until both front doors answer their
health checks, after a clean stop (SIGTERM) and after a `kill -9` of the whole process tree
(the embedded PostgreSQL then recovers its WAL). Memory is each front door's resident set
once it is up, and the API's again after a load of reader events, timer presses and reports.
Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.support import ROOT, free_port
from tests.utils.devices import BASE_TIME, device_event
from tests.utils.processes import stop_group
from timetracker.db import embedded

READY_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Doors:
    api: str
    dashboard: str


def environment(data_dir: Path, doors_ports: tuple[int, int]) -> dict[str, str]:
    api_port, ui_port = doors_ports
    return {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "API_PORT": str(api_port),
        "UI_PORT": str(ui_port),
        "API_HOST": "127.0.0.1",
        "UI_HOST": "127.0.0.1",
        "DATABASE_URL": "",
        "SUPABASE_URL": "",
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
    }


def ready(doors: Doors) -> bool:
    try:
        api = httpx.get(f"{doors.api}/api/health", timeout=1).status_code == 200
        return api and httpx.get(f"{doors.dashboard}/_stcore/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def started(env: dict[str, str], doors: Doors) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """`entrypoint.sh` in its own process group; yields it and the seconds until both doors answered."""
    began = time.perf_counter()
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(
        [str(ROOT / "entrypoint.sh")], cwd=ROOT, env=env, stdout=quiet, stderr=quiet, start_new_session=True
    )
    try:
        while not ready(doors):
            if process.poll() is not None or time.perf_counter() - began > READY_TIMEOUT_SECONDS:
                raise RuntimeError("entrypoint.sh did not bring both doors up")
            time.sleep(0.05)
        yield process, time.perf_counter() - began
    finally:
        if process.poll() is None:
            stop_group(process, grace_seconds=60)


def kill_hard(process: subprocess.Popen[bytes], data_dir: Path) -> None:
    """SIGKILL the whole tree, the embedded PostgreSQL included (it runs in its own session)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    pid_file = embedded.pgdata_dir(data_dir) / "postmaster.pid"
    if pid_file.exists():
        with suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        time.sleep(1)


def _processes() -> dict[str, tuple[str, str, int]]:
    """pid -> (command line, parent pid, resident KiB) of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, StopIteration, ValueError):
            status = (entry / "status").read_text().splitlines()
            field = {line.split(":")[0]: line.split()[1] if len(line.split()) > 1 else "" for line in status}
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found[entry.name] = (command, field["PPid"], int(field.get("VmRSS", "0") or 0))
    return found


def resident_mib(pattern: str) -> tuple[float, float, int]:
    """Resident memory of the processes whose command line holds `pattern` and of their children
    (uvicorn's workers are spawned processes with a command line of their own): (summed, the
    largest process, how many processes), in MiB."""
    processes = _processes()
    roots = {pid for pid, (command, _, _) in processes.items() if pattern in command}
    tree = roots | {pid for pid, (_, parent, _) in processes.items() if parent in roots}
    sizes = [processes[pid][2] / 1024 for pid in tree]
    return sum(sizes), max(sizes, default=0.0), len(sizes)


def a_days_load(doors: Doors) -> None:
    """What a team's day sends: reader events one by one and in a batch, timer presses, and
    the time report read a few times."""
    with httpx.Client(base_url=doors.api, timeout=60) as client:
        session = client.post(
            "/auth/v1/signup", json={"email": f"load-{time.time_ns()}@example.com", "password": "bench password 1"}
        ).json()
        bearer = {"Authorization": f"Bearer {session['access_token']}"}
        device_id = f"NFC_LOAD_{time.time_ns()}"
        device = client.post("/api/v1/devices", json={"device_id": device_id, "name": "load"}, headers=bearer)
        device.raise_for_status()
        reader = {"X-Device-Id": device_id, "Authorization": f"Bearer {device.json()['device_key']}"}
        start = datetime.now(UTC) - timedelta(days=2)
        # A reader's day around the tests' reference instant, one event every 30 s.
        events = [
            device_event(device_id, 30 * i, event_type="tag_insert" if i % 2 == 0 else "tag_removed")
            for i in range(2500)
        ]
        for event in events[:500]:
            client.post("/api/webhook/device-event", json=event, headers=reader)
        for i in range(500, len(events), 500):
            client.post("/api/webhook/device-events", json=events[i : i + 500], headers=reader)
        for i in range(200):
            press = {"type": "NEXT" if i % 5 else "PAUSE", "timestamp": (start + timedelta(minutes=i)).isoformat()}
            client.post("/api/v1/timer/events", json=press, headers=bearer)
        week = {"start": (BASE_TIME - timedelta(days=3)).date().isoformat(), "end": BASE_TIME.date().isoformat()}
        for _ in range(20):
            client.get("/api/v1/time", params=week, headers=bearer)


@dataclass(frozen=True)
class Startup:
    first: float
    clean: list[float]
    after_kill: list[float]
    memory: dict[str, tuple[float, float, int]]


def compile_app() -> None:
    """The app's bytecode, as the image has it from its build and scripts/run.sh makes it before
    a start: where PYTHONDONTWRITEBYTECODE is set, a start would otherwise compile every module in
    every process, and this would time that instead of the start a deploy makes."""
    command = ". scripts/lib/setup.sh && compile_app"
    bash = shutil.which("bash") or "/bin/bash"
    subprocess.run([bash, "-c", command], cwd=ROOT, env={**os.environ, "PYTHON": sys.executable}, check=True)


def measure(starts: int) -> Startup:
    compile_app()
    ports = (free_port(), free_port())
    doors = Doors(f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
    with tempfile.TemporaryDirectory(prefix="tt-startup-") as folder:
        data_dir = Path(folder)
        env = environment(data_dir, ports)
        try:
            with started(env, doors) as (_, first):
                a_days_load(doors)  # an existing database with data for the timed starts
            clean, after_kill = [], []
            memory: dict[str, tuple[float, float, int]] = {}
            for _ in range(starts):
                with started(env, doors) as (_, seconds):
                    clean.append(seconds)
                    memory = {"API": resident_mib("webhook_server:app"), "dashboard": resident_mib("streamlit run")}
                    a_days_load(doors)
                    memory["API after a day's load"] = resident_mib("webhook_server:app")
            for _ in range(starts):
                with started(env, doors) as (process, _):
                    kill_hard(process, data_dir)
                with started(env, doors) as (_, seconds):
                    after_kill.append(seconds)
        finally:
            embedded.stop(data_dir)
    return Startup(first, clean, after_kill, memory)


def print_startup(result: Startup) -> None:
    print(f"\nCold start of entrypoint.sh until both health checks answer (load average {os.getloadavg()[0]:.2f})")
    print(f"{'start':<34} {'median s':>9} {'max s':>7}")
    print(f"{'first (new database)':<34} {result.first:>9.2f} {result.first:>7.2f}")
    print(f"{'after a clean stop':<34} {statistics.median(result.clean):>9.2f} {max(result.clean):>7.2f}")
    after_kill = result.after_kill
    print(f"{'after kill -9 of the whole tree':<34} {statistics.median(after_kill):>9.2f} {max(after_kill):>7.2f}")
    print("\nResident memory (MiB)")
    print(f"{'door':<34} {'summed':>9} {'largest':>8} {'processes':>10}")
    for name, (summed, largest, count) in result.memory.items():
        print(f"{name:<34} {summed:>9.0f} {largest:>8.0f} {count:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="timed starts of each kind")
    print_startup(measure(parser.parse_args().starts))


if __name__ == "__main__":
    main()
