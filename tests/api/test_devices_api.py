"""POST/GET /api/v1/devices, rotate and revoke: as the owner (by access token and by API
token), as someone else, and without credentials. A key is made (register, rotate) only with
an access token from a recent login; listing and revoking work with either bearer."""

from __future__ import annotations

import httpx
import pytest

from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.devices import device_event, post_event, register_device, unique_device_id
from tests.utils.users import TestUser

ENDPOINTS = [
    ("POST", "/api/v1/devices"),
    ("GET", "/api/v1/devices"),
    ("POST", "/api/v1/devices/NFC_ANY/rotate"),
    ("DELETE", "/api/v1/devices/NFC_ANY"),
]


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def create(http: httpx.Client, auth: dict[str, str], device_id: str, name: str = "Desk") -> httpx.Response:
    return http.post("/api/v1/devices", json={"device_id": device_id, "name": name}, headers=auth)


def listed(http: httpx.Client, auth: dict[str, str]) -> dict[str, dict]:
    response = http.get("/api/v1/devices", headers=auth)
    assert response.status_code == 200, response.text
    return {device["device_id"]: device for device in response.json()}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Bearer ttp_not_a_real_token"])
def test_without_valid_credentials_it_is_401(
    http: httpx.Client, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = http.request(method, path, json={"device_id": "NFC_ANY", "name": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]


def test_create_answers_the_key_once_and_get_never_shows_it(
    http: httpx.Client, alice: TestUser, auth: dict[str, str]
) -> None:
    device_id = unique_device_id()
    response = create(http, alice.headers, device_id, "  Front door  ")
    assert response.status_code == 201, response.text
    created = response.json()
    key = created["device_key"]
    assert key.startswith("ttd_") and len(key) > 40
    assert created["key_hint"] == "…" + key[-4:]
    assert (created["device_id"], created["name"], created["revoked_at"]) == (device_id, "Front door", None)
    listing = http.get("/api/v1/devices", headers=auth)
    assert key not in listing.text and key[4:-4] not in listing.text
    device = listed(http, auth)[device_id]
    assert "device_key" not in device and "key_hash" not in device
    assert device["key_hint"] == created["key_hint"]


def test_the_list_says_when_a_reader_was_last_heard_from(http: httpx.Client, alice: TestUser) -> None:
    reader = register_device(http, alice)
    assert listed(http, alice.headers)[reader.device_id]["last_seen_at"] is None
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 201
    assert listed(http, alice.headers)[reader.device_id]["last_seen_at"] is not None


@pytest.mark.parametrize(
    ("device_id", "name"),
    [
        ("", "Desk"),
        ("has space", "Desk"),
        ("-leading-dash", "Desk"),
        ("X" * 65, "Desk"),
        ("NFC_OK", "   "),
        ("NFC_OK", "n" * 101),
    ],
)
def test_invalid_registrations_are_422(http: httpx.Client, alice: TestUser, device_id: str, name: str) -> None:
    response = create(http, alice.headers, device_id, name)
    assert response.status_code == 422, response.text
    assert response.json()["details"]


def test_a_device_id_already_registered_is_409(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    reader = register_device(http, alice)
    response = create(http, bob.headers, reader.device_id)
    assert response.status_code == 409
    assert reader.device_id in response.json()["message"]


def test_rotate_issues_a_new_key(http: httpx.Client, alice: TestUser, auth: dict[str, str]) -> None:
    device_id = unique_device_id()
    old = create(http, alice.headers, device_id).json()
    response = http.post(f"/api/v1/devices/{device_id}/rotate", headers=alice.headers)
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["device_key"].startswith("ttd_") and rotated["device_key"] != old["device_key"]
    assert rotated["key_hint"] == "…" + rotated["device_key"][-4:]
    assert rotated["rotated_at"] is not None
    assert listed(http, auth)[device_id]["key_hint"] == rotated["key_hint"]


def test_revoke_keeps_the_reader_listed_as_revoked(http: httpx.Client, alice: TestUser, auth: dict[str, str]) -> None:
    device_id = unique_device_id()
    create(http, alice.headers, device_id)
    response = http.delete(f"/api/v1/devices/{device_id}", headers=auth)
    assert response.status_code == 200, response.text
    revoked_at = response.json()["revoked_at"]
    assert revoked_at is not None
    assert listed(http, auth)[device_id]["revoked_at"] == revoked_at
    # Revoking again changes nothing; a revoked reader cannot get a new key.
    assert http.delete(f"/api/v1/devices/{device_id}", headers=auth).json()["revoked_at"] == revoked_at
    assert http.post(f"/api/v1/devices/{device_id}/rotate", headers=alice.headers).status_code == 404


def test_an_api_token_makes_no_device_keys(http: httpx.Client, alice: TestUser) -> None:
    """A leaked API token must not mint keys that outlive its revocation."""
    reader = register_device(http, alice)
    as_script = bearer_headers(http, alice, "api_token")
    for refused in (
        create(http, as_script, unique_device_id()),
        http.post(f"/api/v1/devices/{reader.device_id}/rotate", headers=as_script),
    ):
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"] == "reauthentication_needed"
        assert "Log in again" in refused.json()["message"]
    assert listed(http, as_script)[reader.device_id]["rotated_at"] is None


def test_unknown_devices_are_404(http: httpx.Client, alice: TestUser) -> None:
    assert http.post("/api/v1/devices/NFC_NOWHERE/rotate", headers=alice.headers).status_code == 404
    assert http.delete("/api/v1/devices/NFC_NOWHERE", headers=alice.headers).status_code == 404


def test_another_persons_reader_is_invisible_and_unchangeable(
    http: httpx.Client, alice: TestUser, bob: TestUser
) -> None:
    reader = register_device(http, alice)
    for kind in BEARER_KINDS:
        as_bob = bearer_headers(http, bob, kind)
        assert reader.device_id not in listed(http, as_bob)
        assert http.post(f"/api/v1/devices/{reader.device_id}/rotate", headers=bob.headers).status_code == 404
        assert http.delete(f"/api/v1/devices/{reader.device_id}", headers=as_bob).status_code == 404
    mine = listed(http, alice.headers)[reader.device_id]
    assert (mine["rotated_at"], mine["revoked_at"]) == (None, None)
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 201  # the key still works
