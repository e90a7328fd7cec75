"""Serve the timer userscript, filled in with this server's URL and the pages it runs on.

Opening /widget/timer.user.js in a browser with Tampermonkey or Violentmonkey offers to
install it. `@match` lines come from CORS_ORIGINS (the pages the API lets call it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import SettingsDep

router = APIRouter(tags=["timer widget"])
SCRIPT = Path(__file__).resolve().parents[2] / "widget" / "timer.user.js"


@cache
def _template() -> str:
    return SCRIPT.read_text()


def match_lines(origins: list[str]) -> str:
    patterns = [f"{origin}/*" for origin in origins] or ["*://*/*"]
    return "\n".join(f"// @match        {pattern}" for pattern in patterns)


@router.get("/widget/timer.user.js", summary="The timer widget as a userscript", response_class=Response)
def timer_userscript(settings: SettingsDep) -> Response:
    script = (
        _template()
        .replace("/*__MATCHES__*/", match_lines(settings.cors_origin_list))
        .replace('/*__SERVER_URL__*/ ""', json.dumps(settings.api_base_url))
    )
    return Response(script, media_type="text/javascript; charset=utf-8")
