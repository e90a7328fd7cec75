"""A reader's key is looked up once per API process, then recalled for its next events, each
stored from the event loop in one round trip. Memory never outlives the database's word: a
key rotated or a device revoked since is refused on the very next event, with nothing
invalidated in memory, and a recalled reader's refused payload is answered only once its key
is looked up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest

from tests.utils.devices import (
    TestDevice,
    device_event,
    kept_attempts,
    post_event,
    register_device,
    stored_payloads,
)
from tests.utils.users import TestUser
from timetracker import credentials
from timetracker.nfc import ingest
from timetracker.nfc.identity import DeviceIdentity
from timetracker.nfc.remembered_keys import RememberedKeys
from timetracker.runtime import Runtime


@pytest.fixture
def reader(http: httpx.Client, alice: TestUser) -> TestDevice:
    return register_device(http, alice)


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The device ids whose credentials the API looks up (the server runs in this process)."""
    looked_up: list[str] = []
    real = ingest.authenticate_device

    def counting(db: Any, device_id: str, key_digest: str) -> DeviceIdentity:
        looked_up.append(device_id)
        return real(db, device_id, key_digest)

    monkeypatch.setattr(ingest, "authenticate_device", counting)
    yield looked_up


def kept_reasons(http: httpx.Client, device: TestDevice) -> list[tuple[int, str]]:
    return [(a["status"], a["reason"]) for a in kept_attempts(http, device)]


def stored_count(runtime: Runtime, device: TestDevice) -> int:
    return len(stored_payloads(runtime.db, device.owner, device.device_id))


def rotated(http: httpx.Client, device: TestDevice) -> TestDevice:
    answer = http.post(f"/api/v1/devices/{device.device_id}/rotate", headers=device.owner.headers)
    assert answer.status_code == 200, answer.text
    return TestDevice(device.device_id, answer.json()["device_key"], device.owner)


def test_a_reader_is_looked_up_once_and_recalled_for_its_next_events(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, lookups: list[str]
) -> None:
    statuses = [post_event(http, reader, device_event(reader.device_id, n)).status_code for n in range(3)]
    assert statuses == [201, 201, 201]
    assert lookups == [reader.device_id]
    assert reader.device_id in runtime.reader_keys
    assert stored_count(runtime, reader) == 3


def test_a_wrong_key_is_looked_up_every_time_and_never_remembered(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, lookups: list[str]
) -> None:
    assert post_event(http, reader, device_event(reader.device_id, 0)).status_code == 201
    impostor = TestDevice(reader.device_id, "ttd_" + "W" * 43, reader.owner)
    assert [post_event(http, impostor, device_event(reader.device_id, n)).status_code for n in (1, 2)] == [401, 401]
    assert lookups == [reader.device_id] * 3
    # The reader itself is still recalled: a stranger's wrong key does not evict it.
    assert post_event(http, reader, device_event(reader.device_id, 3)).status_code == 201
    assert len(lookups) == 3
    assert stored_count(runtime, reader) == 2


def test_a_key_rotated_after_it_was_remembered_is_refused_on_the_next_event(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    assert post_event(http, reader, device_event(reader.device_id, 0)).status_code == 201
    renewed = rotated(http, reader)
    assert reader.device_id in runtime.reader_keys  # nothing told this process of the rotation
    refused = post_event(http, reader, device_event(reader.device_id, 1))
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    assert kept_reasons(http, reader) == [(401, "bad_key")]
    assert post_event(http, renewed, device_event(reader.device_id, 2)).status_code == 201
    assert post_event(http, reader, device_event(reader.device_id, 3)).status_code == 401
    assert stored_count(runtime, reader) == 2


def test_a_device_revoked_after_it_was_remembered_is_refused_on_the_next_event(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    assert post_event(http, reader, device_event(reader.device_id, 0)).status_code == 201
    assert http.delete(f"/api/v1/devices/{reader.device_id}", headers=reader.owner.headers).status_code == 200
    refused = post_event(http, reader, device_event(reader.device_id, 1))
    assert refused.status_code == 403 and "revoked" in refused.json()["message"]
    assert kept_reasons(http, reader) == [(403, "revoked")]
    assert reader.device_id not in runtime.reader_keys
    assert stored_count(runtime, reader) == 1


@pytest.mark.parametrize(
    "payload",
    [
        lambda device_id: device_event(device_id, 1, timestamp="not a time"),
        lambda device_id: device_event("NFC_SOMEONE_ELSE", 1),
    ],
    ids=["invalid", "another reader's id"],
)
def test_a_rotated_key_still_remembered_learns_nothing_of_the_payload_rules(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, payload: Callable[[str], dict[str, Any]]
) -> None:
    assert post_event(http, reader, device_event(reader.device_id, 0)).status_code == 201
    rotated(http, reader)
    answer = post_event(http, reader, payload(reader.device_id))
    assert answer.status_code == 401, answer.text
    assert kept_reasons(http, reader) == [(401, "bad_key")]


def test_a_refused_payload_from_a_remembered_reader_is_answered_as_before(
    http: httpx.Client, reader: TestDevice, lookups: list[str]
) -> None:
    assert post_event(http, reader, device_event(reader.device_id, 0)).status_code == 201
    assert post_event(http, reader, device_event(reader.device_id, 1, timestamp="not a time")).status_code == 422
    assert post_event(http, reader, device_event(reader.device_id, 2)).status_code == 201
    # Looked up first, then again to confirm the key before telling why the payload was refused.
    assert lookups == [reader.device_id] * 2
    assert kept_reasons(http, reader) == [(422, "invalid_payload")]


def test_the_write_refuses_a_digest_that_is_not_the_device_s_current_key(
    runtime: Runtime, reader: TestDevice, bob: TestUser
) -> None:
    store = "select internal.store_device_event(%s, %s, 'tag_insert', 'aa', true, now(), '{}') as created"
    right, wrong = credentials.digest(reader.key), credentials.digest(reader.key + "x")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        runtime.db.one_as_person(reader.owner.id, store, (reader.device_id, wrong))
    assert runtime.db.one_as_person(reader.owner.id, store, (reader.device_id, right)) == {"created": True}
    # Only a device's owner can learn whether a digest is its key.
    ask = "select internal.is_current_device_key(%s, %s) as current"
    assert runtime.db.one_as_person(reader.owner.id, ask, (reader.device_id, right)) == {"current": True}
    assert runtime.db.one_as_person(bob.id, ask, (reader.device_id, right)) == {"current": False}


def test_memory_keeps_the_most_recently_used_readers_up_to_its_capacity() -> None:
    memory = RememberedKeys(capacity=2)
    keys = {name: f"ttd_{name}" for name in ("A", "B", "C")}
    for name, key in keys.items():
        memory.remember(DeviceIdentity(name, uuid4(), credentials.digest(key)))
        if name == "B":
            assert memory.recall("A", keys["A"]) is not None  # A is now the more recent
    assert (len(memory), "A" in memory, "B" in memory, "C" in memory) == (2, True, False, True)
    recalled = memory.recall("C", keys["C"])
    assert recalled is not None and recalled.device_id == "C"
    assert memory.recall("C", keys["A"]) is None
    memory.forget("C")
    assert memory.recall("C", keys["C"]) is None
