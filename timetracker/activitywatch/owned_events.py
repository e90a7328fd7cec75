"""SQL for the ActivityWatch events that are a person's, read for one window of time.

A person's events are the rows sent with their own token and the team rows of developer
ids linked to them. Reports, the team summary and "in now" all read them the same way, so
the same indexes serve them all.
"""

from __future__ import annotations

ENDED_AT = "e.started_at + make_interval(secs => e.duration)"
# Events longer than this are found through the partial "long" indexes; every other event
# overlapping a window started at most this long before it, so the time indexes bound the scan.
LONG_EVENT_SECONDS = 3600


def overlapping(start: str = "%(start)s", end: str = "%(end)s") -> str:
    """The condition "event `e` overlaps [start, end)" (SQL expressions), with the lower bound
    on `started_at` that lets a time index bound the scan."""
    return (
        f"e.started_at < {end} and {ENDED_AT} > {start}"
        f" and (e.started_at >= {start} - make_interval(secs => {LONG_EVENT_SECONDS})"
        f" or e.duration > {LONG_EVENT_SECONDS})"
    )


_IN_WINDOW = overlapping()


def owned_events(columns: str, condition: str = "true") -> str:
    """SQL for the events of the people in `%(owners)s` (a uuid array) overlapping
    [start, end) that meet `condition`, with whose they are as `person_id`: the rows sent
    with their own token, then (UNION ALL) the team rows of developer ids linked to them.

    Two branches rather than one `or`, so each uses its own index instead of both
    falling back to a scan of every readable event. RLS still decides what the viewer sees.
    """
    return (
        f"select e.owner_id as person_id, {columns} from aw_events e"
        f" where e.owner_id = any(%(owners)s) and {_IN_WINDOW} and {condition}"
        " union all"
        f" select d.user_id, {columns} from developers d"
        " join aw_events e on e.team_id = d.team_id and e.developer_id = d.developer_id"
        f" where d.user_id = any(%(owners)s) and {_IN_WINDOW} and {condition}"
    )
