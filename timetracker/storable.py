"""What Postgres cannot store, refused while validating, so it is a 422 in its own slot.

Without these the value reaches the database and the whole request fails with a 500:
psycopg will not send a NUL character in text, jsonb rejects "\\u0000" in keys and strings
and Infinity/NaN (Python's json reads 1e400 as inf), a lone surrogate ("\\ud800", which
Python's json reads into a str) is not Unicode, so neither text (UTF-8) nor jsonb can hold
it, and a timestamp whose UTC form falls outside year 1..9999 cannot be converted at all.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime

NUL = "\x00"
HAS_NUL = "must not contain NUL characters"


def encodable(text: str) -> bool:
    """Whether `text` is valid Unicode: strict UTF-8 fails on exactly one thing, a lone surrogate
    (which neither Postgres nor a JSON answer can carry). ASCII, most text, needs no encoding."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_text(text: str) -> str | None:
    """Why Postgres cannot hold `text` (as text or in jsonb), or None when it can."""
    if NUL in text:
        return HAS_NUL
    if not encodable(text):
        return "must not contain unpaired surrogates (not valid Unicode)"
    return None


def storable_text(text: str) -> str:
    problem = unstorable_text(text)
    if problem:
        raise ValueError(problem)
    return text


def storable_json(value: Any, where: str = "") -> Any:
    """Any JSON value; the error names the first key path jsonb would refuse, e.g. "data.title"."""
    if isinstance(value, str):
        problem = unstorable_text(value)
        if problem:
            raise ValueError(f"{where or 'value'} {problem}")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where or 'value'} must be a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            problem = unstorable_text(str(key))
            if problem:
                # repr() of a lone surrogate is an escape, so the message itself stays storable.
                raise ValueError(f"key {path!r} {problem}")
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


# Text Postgres can hold: no NUL, no lone surrogate (the name predates the second rule).
NoNul = AfterValidator(storable_text)
StorableDatetime = Annotated[AwareDatetime, AfterValidator(representable_in_utc)]
