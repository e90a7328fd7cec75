"""Toggl Track's "Detailed report" CSV export (Reports > Detailed > Export > CSV):

    User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,
    Duration,Tags,Amount (USD)

Dates are ISO, times hh:mm:ss in the exporting account's timezone, Duration h:mm:ss.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from timetracker.imports import detailed_report
from timetracker.imports.entries import Parsed

COLUMNS = detailed_report.Columns(
    origin="toggl",
    tracker="a Toggl Track detailed report (CSV)",
    start_date="Start date",
    start_time="Start time",
    end_date="End date",
    end_time="End time",
    duration="Duration",
    names={"project": "Project", "client": "Client", "task": "Task", "description": "Description", "tags": "Tags"},
)


def entries(data: bytes, tz: ZoneInfo) -> Parsed:
    return detailed_report.read(data, tz, COLUMNS)
