"""NFC presence time as timeline entries, from the `nfc_intervals` view.

The pairing of inserts and removals is SQL (the view); an open interval (no removal yet)
runs until now, and a removal with no insert is a zero-length flag.
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
        " started_at, coalesce(ended_at, now()) as ended_at, status"
        " from nfc_intervals"
        " where owner_id = %s and started_at < %s and coalesce(ended_at, now()) >= %s"
        " order by started_at",
        (SOURCE, owner_id, end, start),
    ).fetchall()
    return entries_frame(rows)
