"""The sources of time the product combines: My time, the Team page, GET /api/v1/time and
every CSV. Each source declares its `SourceKind` beside how its time is read, and adds one
line to KINDS."""

from __future__ import annotations

from timetracker.reports import activitywatch_time, imported_time, manual_time, nfc_time, timer_time, wakatime_time
from timetracker.reports.timeline import CountedSource, Source, SourceKind

# In the default precedence: who gets a second that several sources cover, the most
# specific first: what the person wrote down by hand (here, then in another tracker), an
# explicit task, then a coding project, then the application in front, then presence at
# the desk. A person can reorder it on Profile; pages list the sources in this order.
KINDS: tuple[SourceKind, ...] = (
    manual_time.KIND,
    imported_time.KIND,
    timer_time.KIND,
    wakatime_time.KIND,
    activitywatch_time.KIND,
    nfc_time.KIND,
)

DEFAULT_PRECEDENCE: list[str] = [kind.name for kind in KINDS]
SOURCES: dict[str, Source] = {kind.name: kind.entries for kind in KINDS}
COUNTED_SOURCES: dict[str, CountedSource] = {kind.name: kind.counted for kind in KINDS if kind.counted}
DISPLAY_NAMES: dict[str, str] = {kind.name: kind.display_name for kind in KINDS}
NEEDS_A_LOOK: dict[str, dict[str, str]] = {kind.name: dict(kind.needs_a_look) for kind in KINDS if kind.needs_a_look}
