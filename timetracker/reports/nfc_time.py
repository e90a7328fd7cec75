"""NFC presence time as timeline entries, from the `nfc_intervals` view.

The pairing of inserts and removals is SQL (the view); an open interval (no removal yet)
runs until now, and a removal with no insert is a zero-length flag. An open interval that
starts after now (a reader whose clock runs ahead) is a zero-length flag too, not dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pandas as pd
from psycopg import Connection

from timetracker.reports.timeline import entries_frame

SOURCE = "nfc"


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(
        "select %s as source, label, 'tag ' || tag_id || ' on ' || device_id as detail,"
        " started_at, greatest(coalesce(ended_at, now()), started_at) as ended_at, status"
        " from nfc_intervals"
        " where owner_id = %s and started_at < %s and greatest(coalesce(ended_at, now()), started_at) >= %s"
        " order by started_at",
        (SOURCE, owner_id, end, start),
    ).fetchall()
    return entries_frame(rows)
