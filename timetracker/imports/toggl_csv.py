"""Toggl Track's "Detailed report" CSV export (Reports > Detailed > Export > CSV):

    User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,
    Duration,Tags,Amount (USD)

Dates are ISO, times hh:mm:ss in the exporting account's timezone, Duration h:mm:ss.
"""

from __future__ import annotations

from timetracker.imports import detailed_report

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
