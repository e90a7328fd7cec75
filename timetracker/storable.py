"""What Postgres cannot store, refused while validating, so it is a 422 in its own slot.

Without these the value reaches the database and the whole request fails with a 500:
psycopg will not send a NUL character in text, jsonb rejects "\\u0000" in keys and strings
and Infinity/NaN (Python's json reads 1e400 as inf), and a timestamp whose UTC form falls
outside year 1..9999 cannot be converted at all.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime

NUL = "\x00"


def text_without_nul(text: str) -> str:
    if NUL in text:
        raise ValueError("must not contain NUL characters")
    return text


def storable_json(value: Any, where: str = "") -> Any:
    """Any JSON value; the error names the first key path jsonb would refuse, e.g. "data.title"."""
    if isinstance(value, str):
        if NUL in value:
            raise ValueError(f"{where or 'value'} must not contain NUL characters")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where or 'value'} must be a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                raise ValueError(f"key {path!r} must not contain NUL characters")
            storable_json(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            storable_json(item, f"{where}[{index}]")
    return value


def representable_in_utc(value: datetime) -> datetime:
    # 0001-01-01T00:00+05:00 parses, but is year 0 in UTC: Python cannot convert it (an
    # OverflowError, which pydantic does not turn into a validation error) and Postgres
    # would hand it back as a year psycopg cannot read.
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp is out of range") from exc
    return value


NoNul = AfterValidator(text_without_nul)
StorableDatetime = Annotated[AwareDatetime, AfterValidator(representable_in_utc)]
