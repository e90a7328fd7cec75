"""What a draft rule would match: the source's time in the last days whose field it matches,
per matched value, before anything is stored. The time is the source's own (entries, not the
counted-once timeline): it says what the rule can reach, whichever source wins each second.

A personal draft looks at the caller's time; a team's, at every member's (the caller must
own or administer the team).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.projects.rules import rule_from_row
from timetracker.projects.store import RuleDraft, checked_draft
from timetracker.reports.sources import SOURCES
from timetracker.reports.team_time import members_in, require_admin

PREVIEW_DAYS = 7
TOP_VALUES = 20


@dataclass(frozen=True)
class Preview:
    start: datetime
    end: datetime
    matched_seconds: float
    source_seconds: float
    matches: list[tuple[str, float]]  # (value of the field, seconds), most first


def preview(
    db: Database,
    principal: Principal,
    draft: RuleDraft,
    team_id: UUID | None = None,
    now: datetime | None = None,
    days: int = PREVIEW_DAYS,
) -> Preview:
    rule = rule_from_row(asdict(checked_draft(draft)))
    end = now or datetime.now(UTC)
    start = end - timedelta(days=days)
    read_entries = SOURCES[rule.source]
    matched: dict[str, float] = {}
    total = 0.0
    with db.as_user(principal.db_claims) as conn:
        owners = [principal.user_id]
        if team_id is not None:
            require_admin(conn, team_id)
            owners = [member.user_id for member in members_in(conn, team_id)]
        for owner in owners:
            for entry in read_entries(conn, owner, start, end):
                seconds = (min(entry["ended_at"], end) - max(entry["started_at"], start)).total_seconds()
                if seconds <= 0:
                    continue
                total += seconds
                fields = entry.get("fields") or {}
                if rule.matches(fields):
                    value = fields.get(rule.field) or ""
                    matched[value] = matched.get(value, 0.0) + seconds
    ranked = sorted(matched.items(), key=lambda item: (-item[1], item[0]))
    return Preview(
        start=start,
        end=end,
        matched_seconds=sum(matched.values()),
        source_seconds=total,
        matches=ranked[:TOP_VALUES],
    )
