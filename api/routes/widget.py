"""Serve the timer userscript, filled in with this server's URL and the pages it runs on.

Opening /widget/timer.user.js in a browser with Tampermonkey or Violentmonkey offers to
install it. `@match` lines come from CORS_ORIGINS (the pages the API lets call it); updates come from here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import SettingsDep
from timetracker import paths

router = APIRouter(tags=["timer widget"])
WIDGET_PATH = paths.WIDGET
SCRIPT = Path(__file__).resolve().parents[2] / "widget" / "timer.user.js"


@cache
def _template() -> str:
    return SCRIPT.read_text()


def header_lines(origins: list[str], script_url: str) -> str:
    """@match per configured origin (every page without any), and where updates come from."""
    patterns = [f"{origin}/*" for origin in origins] or ["*://*/*"]
    lines = [f"// @match        {pattern}" for pattern in patterns]
    lines += [f"// @downloadURL  {script_url}", f"// @updateURL    {script_url}"]
    return "\n".join(lines)


@router.get(
    WIDGET_PATH,
    summary="The timer widget as a userscript",
    response_class=Response,
    responses={200: {"description": "The userscript", "content": {"text/javascript": {}}}},
)
def timer_userscript(settings: SettingsDep) -> Response:
    script = (
        _template()
        .replace("/*__HEADER__*/", header_lines(settings.cors_origin_list, settings.api_base_url + WIDGET_PATH))
        .replace('/*__SERVER_URL__*/ ""', json.dumps(settings.api_base_url))
    )
    return Response(script, media_type="text/javascript; charset=utf-8")
