"""The sources "My time", the Team page and GET /api/v1/time combine. Each source adds one line here."""

from __future__ import annotations

from timetracker.reports import activitywatch_time, imported_time, manual_time, nfc_time, timer_time, wakatime_time
from timetracker.reports.timeline import CountedSource, Source

SOURCES: dict[str, Source] = {
    manual_time.SOURCE: manual_time.entries,
    imported_time.SOURCE: imported_time.entries,
    nfc_time.SOURCE: nfc_time.entries,
    wakatime_time.SOURCE: wakatime_time.entries,
    activitywatch_time.SOURCE: activitywatch_time.entries,
    timer_time.SOURCE: timer_time.entries,
}

# Sources whose counting is done in the database (see timeline.CountedSource); their
# entries above are read only when a report shows each piece.
COUNTED_SOURCES: dict[str, CountedSource] = {
    activitywatch_time.SOURCE: activitywatch_time.counted,
}

# What people read for each source, in the default precedence's order (pages list them so).
DISPLAY_NAMES: dict[str, str] = {
    module.SOURCE: module.DISPLAY_NAME
    for module in (manual_time, imported_time, timer_time, wakatime_time, activitywatch_time, nfc_time)
}

# Per source, the statuses of its pieces a person should look at, and what each means.
NEEDS_A_LOOK: dict[str, dict[str, str]] = {
    nfc_time.SOURCE: nfc_time.NEEDS_A_LOOK,
    timer_time.SOURCE: timer_time.NEEDS_A_LOOK,
}

# Who gets a second that several sources cover, the most specific first: what the person
# wrote down by hand (here, then in another tracker), an explicit task, then a coding project, then the application in
# front, then presence at the desk. A person can reorder it on Profile.
DEFAULT_PRECEDENCE: list[str] = [
    manual_time.SOURCE,
    imported_time.SOURCE,
    timer_time.SOURCE,
    wakatime_time.SOURCE,
    activitywatch_time.SOURCE,
    nfc_time.SOURCE,
]
