"""The reader payload model, checked against generated input: whatever a reader
sends is either accepted as exactly the event it means, or refused with the field named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from timetracker.nfc.payload import DeviceEvent, normalise_tag_id

tag_bytes = st.lists(st.integers(0, 255), min_size=1, max_size=16)
# Times a reader's clock can really show: from 2000 (2000-01-02 local is after 2000-01-01 UTC in
# any zone) to a day already past, so none is refused as a clock not set or far ahead.
aware_instants = st.datetimes(datetime(2000, 1, 2), datetime(2025, 12, 31), timezones=st.timezones())
device_ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z")
event_types = st.sampled_from(["tag_insert", "tag_removed"])
# Storable text: a NUL or a lone surrogate cannot go into Postgres text or jsonb, so they are
# refused (tests/api/test_nul_bytes.py); UTF-8 cannot encode a surrogate either.
storable_text = st.characters(codec="utf-8", exclude_characters="\x00")
extra_fields = st.dictionaries(
    st.text(storable_text, min_size=1, max_size=10).filter(lambda key: key not in DeviceEvent.model_fields),
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(storable_text, max_size=20)),
    max_size=3,
)


def spelled(values: list[int], upper: list[bool], gaps: list[str]) -> str:
    """Hex bytes in mixed case with assorted whitespace between them."""
    parts = [f"{value:02x}".upper() if up else f"{value:02x}" for value, up in zip(values, upper, strict=False)]
    return "".join(part + gap for part, gap in zip(parts, gaps + [""] * len(parts), strict=False)).strip()


def payload(**fields: Any) -> dict[str, Any]:
    return {
        "timestamp": "2025-04-11T15:23:42.000Z",
        "event_type": "tag_insert",
        "tag_present": True,
        "tag_id": "dd 54 2a 83",
        "device_id": "NFC_ABC123",
        **fields,
    }


def refused_fields(raw: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        DeviceEvent.model_validate(raw)
    return {str(error["loc"][0]) for error in caught.value.errors()}


@given(moment=aware_instants, kind=event_types, values=tag_bytes, device_id=device_ids, extra=extra_fields)
@example(  # a wall time that does not exist (clocks jumped from 02:00 to 03:00)
    moment=datetime(2013, 3, 31, 2, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
    kind="tag_insert",
    values=[0],
    device_id="0",
    extra={},
)
def test_a_well_formed_event_means_exactly_what_it_says(
    moment: datetime, kind: str, values: list[int], device_id: str, extra: dict[str, Any]
) -> None:
    raw = {
        **extra,
        "timestamp": moment.isoformat(),
        "event_type": kind,
        "tag_present": kind == "tag_insert",
        "tag_id": " ".join(f"{v:02X}" for v in values),
        "device_id": device_id,
    }
    event = DeviceEvent.model_validate(raw)
    # The instant the text names. (Not `moment` itself: a wall time in a DST gap never
    # compares equal across zones, PEP 495.)
    instant = datetime.fromisoformat(raw["timestamp"])
    assert event.occurred_at == instant
    assert event.natural_key == (kind, " ".join(f"{v:02x}" for v in values), instant)
    assert event.device_id == device_id
    assert event.model_extra == extra  # unknown fields are kept, not refused


@given(moment=aware_instants, offset_minutes=st.integers(-14 * 60, 14 * 60))
def test_one_instant_written_in_any_zone_is_one_natural_key(moment: datetime, offset_minutes: int) -> None:
    """Retries that spell the time differently must still be recognised as duplicates."""
    elsewhere = moment.astimezone(UTC).astimezone(timezone(timedelta(minutes=offset_minutes)))
    first = DeviceEvent.model_validate(payload(timestamp=moment.isoformat()))
    again = DeviceEvent.model_validate(payload(timestamp=elsewhere.isoformat()))
    assert first.natural_key == again.natural_key
    assert hash(first.natural_key) == hash(again.natural_key)


@given(
    values=tag_bytes,
    upper=st.lists(st.booleans(), max_size=16),
    gaps=st.lists(st.sampled_from([" ", "  ", "\t", " \t "]), max_size=16),
)
def test_tag_ids_normalise_whatever_the_case_and_spacing(values: list[int], upper: list[bool], gaps: list[str]) -> None:
    canonical = " ".join(f"{v:02x}" for v in values)
    gaps = (gaps + [" "] * len(values))[: len(values) - 1]
    assert normalise_tag_id(spelled(values, upper + [False] * len(values), gaps)) == canonical
    assert normalise_tag_id(canonical) == canonical


@given(text=st.text(max_size=60))
def test_anything_else_as_a_tag_id_is_refused(text: str) -> None:
    words = text.split()
    is_hex_bytes = 1 <= len(words) <= 16 and all(
        len(w) == 2 and all(c in "0123456789abcdefABCDEF" for c in w) for w in words
    )
    if is_hex_bytes:
        assert normalise_tag_id(text) == " ".join(words).lower()
    else:
        with pytest.raises(ValueError, match="hex bytes"):
            normalise_tag_id(text)


@given(naive=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_a_timestamp_without_a_zone_is_refused(naive: datetime) -> None:
    assert refused_fields(payload(timestamp=naive.isoformat())) == {"timestamp"}


@given(value=st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.lists(st.integers())))
def test_a_timestamp_that_is_not_a_string_is_refused(value: Any) -> None:
    assert refused_fields(payload(timestamp=value)) == {"timestamp"}


@given(kind=event_types, present=st.booleans())
def test_tag_present_must_agree_with_the_event_type(kind: str, present: bool) -> None:
    raw = payload(event_type=kind, tag_present=present)
    if present == (kind == "tag_insert"):
        assert DeviceEvent.model_validate(raw).tag_present is present
    else:
        assert refused_fields(raw) == {"tag_present"}


@given(kind=st.text(max_size=20).filter(lambda k: k not in ("tag_insert", "tag_removed")))
def test_only_the_two_event_types_exist(kind: str) -> None:
    assert "event_type" in refused_fields(payload(event_type=kind))


@given(
    device_id=st.text(max_size=80).filter(lambda d: not d.strip() or not d.strip()[0].isalnum() or len(d.strip()) > 64)
)
def test_device_ids_outside_the_pattern_are_refused(device_id: str) -> None:
    assert "device_id" in refused_fields(payload(device_id=device_id))


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_timestamp_that_leaves_the_calendar_in_utc_is_refused(timestamp: str) -> None:
    assert refused_fields(payload(timestamp=timestamp)) == {"timestamp"}


@pytest.mark.parametrize(
    ("timestamp", "why"),
    [
        ("1970-01-01T00:00:05Z", "before 2000-01-01"),  # an ESP32 before NTP answered
        ("0001-01-01T00:00:00Z", "before 2000-01-01"),
        ("1999-12-31T23:59:59.999Z", "before 2000-01-01"),
        ("2100-01-01T10:00:00Z", "more than a day ahead"),
        ("9999-12-31T00:00:00Z", "more than a day ahead"),
    ],
)
def test_a_clock_not_set_or_far_ahead_is_refused_saying_why(timestamp: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DeviceEvent.model_validate(payload(timestamp=timestamp))
    [error] = caught.value.errors()
    assert error["loc"] == ("timestamp",) and why in error["msg"]


def test_the_first_instant_of_2000_and_a_clock_hours_ahead_are_accepted() -> None:
    assert DeviceEvent.model_validate(payload(timestamp="2000-01-01T00:00:00Z")).occurred_at.year == 2000
    ahead = datetime.now(UTC) + timedelta(hours=23)
    assert DeviceEvent.model_validate(payload(timestamp=ahead.isoformat())).occurred_at == ahead
