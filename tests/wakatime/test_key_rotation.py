"""Rotating FERNET_KEYS: put a new key first, and the stored tokens move under it at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet

from tests.utils.users import make_user
from tests.wakatime.oauth_trip import token_grant
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime
from timetracker.wakatime import connections

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW, GONE = (Fernet.generate_key().decode() for _ in range(3))


def stored(runtime: Runtime, owner_id: object) -> tuple[str, str]:
    with psycopg.connect(runtime.db.admin_url) as conn:
        row = conn.execute(
            "select access_token_encrypted, refresh_token_encrypted from wakatime_connections where owner_id = %s",
            (owner_id,),
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_new_first_key_takes_over_every_readable_token_once(runtime: Runtime) -> None:
    ada, bo = make_user(runtime, "ada"), make_user(runtime, "bo")
    connections.save_grant(runtime.db, ada.id, token_grant("ada"), TokenCipher(OLD))
    connections.save_grant(runtime.db, bo.id, token_grant("bo"), TokenCipher(GONE))  # a key since removed
    bo_before = stored(runtime, bo.id)

    rotated = connections.reencrypt_under_first_key(runtime.db, TokenCipher(f"{NEW},{OLD}"))
    assert rotated["rotated"] >= 1 and rotated["unreadable"] >= 1  # other tests' rows may be there too

    # The old key can go now: the new one alone opens Ada's tokens.
    access, refresh = stored(runtime, ada.id)
    alone = TokenCipher(NEW)
    assert (alone.decrypt(access), alone.decrypt(refresh)) == ("ada-access", "ada-refresh")
    assert stored(runtime, bo.id) == bo_before  # unreadable: left as it was (Bo reconnects)

    again = connections.reencrypt_under_first_key(runtime.db, TokenCipher(f"{NEW},{OLD}"))
    assert stored(runtime, ada.id) == (access, refresh)  # nothing rewritten the second time
    assert again["rotated"] == 0


def test_a_single_key_has_nothing_to_rotate(runtime: Runtime) -> None:
    assert connections.reencrypt_under_first_key(runtime.db, TokenCipher(NEW)) == {"rotated": 0, "unreadable": 0}


def test_db_up_rotates_at_start_up(tmp_path: Path) -> None:
    # The entrypoint's first step, as an operator runs it after putting a new key first.
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": "", "FERNET_KEYS": f"{NEW},{OLD}"}
    try:
        up = subprocess.run(
            [sys.executable, "-m", "timetracker", "db", "up"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert up.returncode == 0, up.stderr
        assert "WakaTime tokens re-encrypted under the first FERNET_KEYS key: 0" in up.stdout
    finally:
        subprocess.run([sys.executable, "-m", "timetracker", "db", "down"], cwd=ROOT, env=env, capture_output=True)
