"""Storing a grant when two connects of one person race (two tabs finishing at once)."""

from __future__ import annotations

import threading
import time

import psycopg

from tests.utils.users import make_user
from tests.wakatime.oauth_trip import token_grant
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime
from timetracker.wakatime import connections


def waiting_on_a_lock(runtime: Runtime, query_start: str) -> bool:
    with psycopg.connect(runtime.db.admin_url) as conn:
        row = conn.execute(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like %s",
            (query_start + "%",),
        ).fetchone()
    return bool(row and row[0])


def test_a_connect_that_loses_the_race_to_insert_updates_instead(runtime: Runtime) -> None:
    ada = make_user(runtime, "ada")
    cipher = TokenCipher.from_settings(runtime.settings)
    errors: list[BaseException] = []
    with psycopg.connect(runtime.db.admin_url) as first:
        # The other connect has inserted but not committed: ours finds nothing to update and
        # its insert waits on the owner's unique key until that one commits.
        first.execute(
            "insert into wakatime_connections (owner_id, scope, access_token_encrypted) values (%s, '', %s)",
            (ada.id, cipher.encrypt("first-access")),
        )

        def second() -> None:
            try:
                connections.save_grant(runtime.db, ada.id, token_grant("second"), cipher)
            except BaseException as exc:  # reported to the test below
                errors.append(exc)

        racer = threading.Thread(target=second)
        racer.start()
        deadline = time.monotonic() + 30
        while not waiting_on_a_lock(runtime, "insert into wakatime_connections"):
            assert time.monotonic() < deadline, "the second connect never reached its insert"
            time.sleep(0.05)
        first.commit()
    racer.join(timeout=30)
    assert errors == []
    with psycopg.connect(runtime.db.admin_url) as conn:
        [(stored,)] = conn.execute(
            "select access_token_encrypted from wakatime_connections where owner_id = %s", (ada.id,)
        ).fetchall()
    assert cipher.decrypt(stored) == "second-access"  # one row, holding the newer grant
