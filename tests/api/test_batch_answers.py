"""Our own batch protocols (NFC readers, ActivityWatch) answer in one shape, the one their
OpenAPI operations declare: the same counts, then a result per item."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel

from tests.activitywatch.aw_data import bucket, event
from tests.activitywatch.conftest import api_token_headers
from tests.utils.devices import BATCH_URL, device_event, post_batch, register_device
from tests.utils.users import TestUser
from timetracker import paths
from timetracker.runtime import Runtime

COUNTS = {"created", "updated", "duplicate", "invalid", "rejected"}


def declared_model(http: httpx.Client, path: str) -> str:
    """The name of the schema the operation declares for its 200 answer."""
    operation = http.get("/openapi.json").json()["paths"][path]["post"]
    return operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]


def conforms(body: dict[str, Any], model: type[BaseModel]) -> bool:
    """`body` is exactly an instance of `model`: nothing missing, nothing more, nothing retyped."""
    return model.model_validate(body).model_dump(exclude_unset=True) == body


def test_a_reader_batch_answers_in_its_declared_shape(http: httpx.Client, alice: TestUser) -> None:
    from api.schemas import DeviceBatchAnswer

    reader = register_device(http, alice)
    good = device_event(reader.device_id, 0)
    body = post_batch(http, reader, [good, good, {"tag_id": 1}, device_event("NFC_OTHER", 5)]).json()

    assert declared_model(http, BATCH_URL) == DeviceBatchAnswer.__name__
    assert conforms(body, DeviceBatchAnswer)
    assert {key: body[key] for key in COUNTS} == {
        "created": 1,
        "updated": 0,
        "duplicate": 1,
        "invalid": 1,
        "rejected": 1,
    }


def test_an_activitywatch_batch_answers_in_its_declared_shape(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    from api.schemas import ActivityWatchAnswer

    payload = [bucket("currentwindow", [event(0, 10, app="Code", title="x"), {"duration": 5}]), "not a bucket"]
    body = http.post(paths.ACTIVITYWATCH_WEBHOOK, json=payload, headers=api_token_headers(runtime, alice)).json()

    assert declared_model(http, paths.ACTIVITYWATCH_WEBHOOK) == ActivityWatchAnswer.__name__
    assert conforms(body, ActivityWatchAnswer)
    assert {key: body[key] for key in COUNTS} == {
        "created": 1,
        "updated": 0,
        "duplicate": 0,
        "invalid": 2,
        "rejected": 0,
    }
    assert [item["status"] for item in body["buckets"][0]["results"]] == ["created", "invalid"]
