"""The sources "My time" and GET /api/v1/time combine. Each source adds one line here."""

from __future__ import annotations

from timetracker.reports import activitywatch_time, nfc_time, timer_time, wakatime_time
from timetracker.reports.timeline import Source

SOURCES: dict[str, Source] = {
    nfc_time.SOURCE: nfc_time.entries,
    wakatime_time.SOURCE: wakatime_time.entries,
    activitywatch_time.SOURCE: activitywatch_time.entries,
    timer_time.SOURCE: timer_time.entries,
}
