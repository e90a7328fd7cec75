"""Clockify's "Detailed report" CSV export (Reports > Detailed > Export > Save as CSV):

    Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,
    End Date,End Time,Duration (h),Duration (decimal),...

Dates and times follow the workspace's settings: 2026-03-16 or 03/16/2026 (or 16/03/2026,
16.03.2026), 14:05:00 or 02:05:00 PM. Duration (h) is h:mm:ss.
"""

from __future__ import annotations

from timetracker.imports import detailed_report

COLUMNS = detailed_report.Columns(
    origin="clockify",
    tracker="a Clockify detailed report (CSV)",
    start_date="Start Date",
    start_time="Start Time",
    end_date="End Date",
    end_time="End Time",
    duration="Duration (h)",
    names={"project": "Project", "client": "Client", "task": "Task", "description": "Description", "tags": "Tags"},
)
