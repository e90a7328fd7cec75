"""PUT/GET /api/v1/tags and DELETE /api/v1/tags/{tag_id}: labels for tag ids, per person."""

from __future__ import annotations

import httpx
import pytest

from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.users import TestUser


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def put(http: httpx.Client, auth: dict[str, str], labels: dict[str, str]) -> httpx.Response:
    return http.put("/api/v1/tags", json={"labels": labels}, headers=auth)


def labels(http: httpx.Client, auth: dict[str, str]) -> dict[str, str]:
    response = http.get("/api/v1/tags", headers=auth)
    assert response.status_code == 200, response.text
    return {tag["tag_id"]: tag["label"] for tag in response.json()}


def test_label_relabel_and_forget_tags(http: httpx.Client, auth: dict[str, str]) -> None:
    response = put(http, auth, {"DD 54 2A 83": " Project Apollo ", "04 a2 19 7f": "Office"})
    assert response.status_code == 200, response.text
    expected = {"dd 54 2a 83": "Project Apollo", "04 a2 19 7f": "Office"}
    assert {tag["tag_id"]: tag["label"] for tag in response.json()} == expected
    assert labels(http, auth) == expected
    # PUT creates or replaces; tags it does not mention stay.
    assert put(http, auth, {"dd 54 2a 83": "Project Gemini"}).status_code == 200
    assert labels(http, auth) == {"dd 54 2a 83": "Project Gemini", "04 a2 19 7f": "Office"}
    assert http.delete("/api/v1/tags/04 A2 19 7F", headers=auth).status_code == 204
    assert labels(http, auth) == {"dd 54 2a 83": "Project Gemini"}
    assert http.delete("/api/v1/tags/04 a2 19 7f", headers=auth).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [{"zz 54": "x"}, {"dd542a83": "x"}, {"": "x"}, {"dd 54": ""}, {"dd 54": "   "}, {"dd 54": "l" * 101}],
    ids=["not hex", "no spaces", "empty id", "empty label", "blank label", "long label"],
)
def test_invalid_labels_are_422_and_change_nothing(http: httpx.Client, alice: TestUser, bad: dict[str, str]) -> None:
    assert put(http, alice.headers, {"01 02": "Kept"}).status_code == 200
    response = put(http, alice.headers, {"03 04": "Fine", **bad})
    assert response.status_code == 422, response.text
    assert response.json()["message"]
    assert labels(http, alice.headers) == {"01 02": "Kept"}


def test_a_bad_tag_id_in_the_path_is_422(http: httpx.Client, alice: TestUser) -> None:
    assert http.delete("/api/v1/tags/not-a-tag", headers=alice.headers).status_code == 422


def test_labels_are_per_person(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    assert put(http, alice.headers, {"dd 54 2a 83": "Alice's project"}).status_code == 200
    for kind in BEARER_KINDS:
        as_bob = bearer_headers(http, bob, kind)
        assert labels(http, as_bob) == {}
        assert http.delete("/api/v1/tags/dd 54 2a 83", headers=as_bob).status_code == 404
    # Bob labelling the same physical tag makes his own label, not a change to Alice's.
    assert put(http, bob.headers, {"dd 54 2a 83": "Bob's project"}).status_code == 200
    assert labels(http, alice.headers) == {"dd 54 2a 83": "Alice's project"}
    assert labels(http, bob.headers) == {"dd 54 2a 83": "Bob's project"}
