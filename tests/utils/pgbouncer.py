"""Debian's PgBouncer in transaction mode in front of the embedded PostgreSQL, on a free
loopback port: what Supabase's pooler (port 6543) is to a project's database.

Every transaction may land on another server connection, and `server_reset_query_always`
runs DISCARD ALL after each one, so a statement prepared in one transaction is gone in the
next, deterministically: what a busy transaction pooler does now and then.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.utils.net import free_port

PGBOUNCER = os.environ.get("PGBOUNCER_PATH", "/usr/sbin/pgbouncer")
START_TIMEOUT_SECONDS = 30

CONFIG = """[databases]
* = host={socket_dir} port={server_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {auth_file}
pool_mode = transaction
default_pool_size = 4
max_client_conn = 100
server_reset_query = DISCARD ALL
server_reset_query_always = 1
ignore_startup_parameters = extra_float_digits,options
"""


def available() -> bool:
    return Path(PGBOUNCER).is_file()


@contextmanager
def pgbouncer_in_front_of(admin_url: str) -> Iterator[str]:
    """Run PgBouncer for the block; yield `admin_url` re-pointed at it (same user and database)."""
    target = conninfo_to_dict(admin_url)
    socket_dir = str(target["host"])
    with psycopg.connect(admin_url) as conn:
        server_port = conn.execute("show port").fetchone()[0]
    port = free_port()
    # PgBouncer refuses to run as root; it runs as whoever owns the server's socket directory
    # (the only user besides root that can reach it). Its files must be readable by that user.
    owner = pwd.getpwuid(Path(socket_dir).stat().st_uid).pw_name
    workdir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    workdir.chmod(0o755)
    auth_file = workdir / "userlist.txt"
    auth_file.write_text('"postgres" ""\n"authenticator" ""\n')
    config = workdir / "pgbouncer.ini"
    config.write_text(CONFIG.format(socket_dir=socket_dir, server_port=server_port, port=port, auth_file=auth_file))
    for path in (auth_file, config):
        path.chmod(0o644)
    as_owner = ["-u", owner] if os.geteuid() == 0 else []
    log = (workdir / "pgbouncer.log").open("w")
    process = subprocess.Popen([PGBOUNCER, *as_owner, str(config)], stdout=log, stderr=subprocess.STDOUT)
    url = make_conninfo(admin_url, host="127.0.0.1", port=str(port))
    try:
        _wait_until_it_answers(url, process, workdir / "pgbouncer.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_it_answers(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2, prepare_threshold=None) as conn:
                conn.execute("select 1")
            return
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pgbouncer did not start: {log.read_text()}") from None
            time.sleep(0.1)
