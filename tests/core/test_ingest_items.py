"""The shared ingest path: each item validated on its own, refusals in one format, results in order."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, Field

from timetracker.errors import TooManyItems
from timetracker.ingest.items import Refused, check_cap, validate_each
from timetracker.ingest.table import Column, OwnedTable


class Item(BaseModel):
    name: str = Field(min_length=1)
    size: int = 0


def parse(raw: Any) -> Item:
    item = Item.model_validate(raw)
    if item.name == "theirs":
        raise Refused("name", "not yours to send", status="rejected")
    return item


def test_a_bad_item_fails_only_itself_and_results_keep_input_order() -> None:
    batch = validate_each([{"name": "a"}, {"size": "big"}, "text", {"name": "theirs"}, {"name": "b"}], parse)

    assert [item.name for item in batch.items] == ["a", "b"]
    assert [result.index for result in batch.results] == [0, 1, 2, 3, 4]
    batch.record(["created", "duplicate"])
    assert [result.status for result in batch.results] == ["created", "invalid", "invalid", "rejected", "duplicate"]
    assert batch.results[1].errors == [
        {"field": "name", "message": "Field required"},
        {"field": "size", "message": "Input should be a valid integer, unable to parse string as an integer"},
    ]
    assert batch.results[2].errors[0]["field"] == "(item)"  # not an object at all
    assert batch.results[3].errors == [{"field": "name", "message": "not yours to send"}]
    assert batch.counts() == {"created": 1, "updated": 0, "duplicate": 1, "invalid": 2, "rejected": 1}
    assert batch.answer()["results"][0] == {"index": 0, "status": "created"}  # no empty errors list


def test_recording_statuses_for_other_items_than_were_accepted_is_an_error() -> None:
    batch = validate_each([{"name": "a"}], parse)
    with pytest.raises(ValueError):
        batch.record(["created", "created"])


def test_a_batch_over_its_cap_is_refused_whole() -> None:
    check_cap(500, 500, "events")
    with pytest.raises(TooManyItems, match="At most 500 events per request"):
        check_cap(501, 500, "events")


def test_an_owned_table_inserts_its_rows_as_json_records_and_returns_its_key() -> None:
    table = OwnedTable(
        name="things",
        batch_columns=("owner_id", "device_id"),
        columns=(Column("at", "timestamptz"), Column("tags", "text[]")),
        natural_key="things_key",
        key_columns=("at",),
    )
    assert table.insert_sql == (
        "insert into things (owner_id, device_id, at, tags)"
        " select %s, %s, r.at, r.tags"
        " from json_to_recordset(%s::json) as r(at timestamptz, tags text[])"
        " on conflict on constraint things_key do nothing returning at"
    )
    at = datetime(2026, 1, 1, 9, 30, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    assert json.loads(table.records([(at, ("a", "b")), (at, ())])) == [
        {"at": "2026-01-01T09:30:00.250000+02:00", "tags": ["a", "b"]},
        {"at": "2026-01-01T09:30:00.250000+02:00", "tags": []},
    ]
    assert table.key_of((at, ())) == (at,)
