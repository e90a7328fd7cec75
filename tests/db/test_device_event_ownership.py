"""A reader event belongs to a reader of its owner, whoever writes it, and goes with them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from tests.utils.devices import unique_device_id
from tests.utils.users import TestUser
from timetracker.nfc import devices
from timetracker.runtime import Runtime

EVENT = (
    "insert into device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload)"
    " values (%s, %s, 'tag_insert', 'aa', true, '2030-01-01T00:00Z', '{}')"
)


@pytest.fixture
def admin(runtime: Runtime) -> Iterator[psycopg.Connection[Any]]:
    """The tables' owner: no RLS, so only the schema's own constraints decide."""
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        yield conn


def reader_of(runtime: Runtime, user: TestUser) -> str:
    device_id = unique_device_id()
    devices.register(runtime.db, user.principal, device_id, "Desk")
    return device_id


def events_of(admin: psycopg.Connection[Any], owner_id: UUID) -> int:
    row = admin.execute("select count(*) from device_events where owner_id = %s", (owner_id,)).fetchone()
    assert row is not None
    return row[0]


def test_an_event_on_someone_elses_reader_is_refused_even_past_rls(
    runtime: Runtime, admin: psycopg.Connection[Any], alice: TestUser, bob: TestUser
) -> None:
    alices_reader = reader_of(runtime, alice)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        admin.execute(EVENT, (bob.id, alices_reader))
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        admin.execute(EVENT, (alice.id, unique_device_id()))  # no such reader
    assert events_of(admin, bob.id) == 0


def test_a_persons_readers_and_their_events_go_with_their_account(
    runtime: Runtime, admin: psycopg.Connection[Any], alice: TestUser, bob: TestUser
) -> None:
    admin.execute(EVENT, (alice.id, reader_of(runtime, alice)))
    admin.execute(EVENT, (bob.id, reader_of(runtime, bob)))
    admin.execute("delete from auth.users where id = %s", (alice.id,))
    assert events_of(admin, alice.id) == 0
    assert admin.execute("select count(*) from devices where owner_id = %s", (alice.id,)).fetchone() == (0,)
    assert events_of(admin, bob.id) == 1
