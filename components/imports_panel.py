"""The Integrations page's import panel: history from Toggl Track or Clockify, previewed
first, imported on Confirm.

What was read waits in the session between the preview and Confirm, so Confirm imports
exactly what was shown; a Toggl API token is read once, for the preview, and its field is
cleared when the form is sent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from components.page_parts import done, hours_text, plural, reported_errors, when
from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.imports import importing, toggl_api
from timetracker.imports.entries import Parsed
from timetracker.imports.toggl_api import TogglRequest

FORMATS = {
    "toggl_csv": "Toggl Track: a Detailed report exported as CSV",
    "clockify_csv": "Clockify: a Detailed report exported as CSV",
    "toggl_api": "Toggl Track: read with your API token",
}
# What the last preview read (a Parsed), kept for Confirm.
PENDING_KEY = "import_pending"


def imports_panel(db: Database, settings: Settings, principal: Principal, tz: ZoneInfo) -> None:
    st.header("Toggl Track and Clockify")
    st.caption(
        "Bring your history from another tracker: its entries count as “Imported” time, right after time you add"
        " by hand. Each entry is imported once, so importing the same export again adds nothing. Rules on"
        " Projects can name it by its project, client or description."
    )
    chosen = st.radio("Import from", list(FORMATS), format_func=FORMATS.get, key="import_format")
    if chosen == "toggl_api":
        _toggl_form(db, settings, principal, tz)
    else:
        _file_form(db, settings, principal, tz, "clockify_csv" if chosen == "clockify_csv" else "toggl_csv")
    _pending(db, principal, tz)
    _remove_all(db, principal)


def _file_form(
    db: Database, settings: Settings, principal: Principal, tz: ZoneInfo, file_format: importing.FileFormat
) -> None:
    upload = st.file_uploader(
        "Exported CSV", type=["csv"], key=f"import_file_{file_format}", help="Export a report of your own time only."
    )
    zones = profiles.timezone_names()
    zone = st.selectbox(
        "Timezone of the file's times",
        zones,
        index=zones.index(tz.key) if tz.key in zones else 0,
        key="import_timezone",
        help="These exports carry no timezone: the one your account there is set to.",
    )
    if st.button("Preview", key="import_preview_file", disabled=upload is None) and upload is not None:
        with reported_errors():
            data = upload.getvalue()
            _preview(db, principal, importing.read_file(settings, file_format, data, ZoneInfo(zone)))


def _toggl_form(db: Database, settings: Settings, principal: Principal, tz: ZoneInfo) -> None:
    today = datetime.now(tz).date()
    with st.form("import_toggl", clear_on_submit=True):
        token = st.text_input(
            "Toggl API token",
            type="password",
            help="Toggl: Profile settings > API Token. Used for this preview only; never stored.",
            key="import_toggl_token",
        )
        workspace = st.number_input(
            "Workspace id (0: your default workspace)", min_value=0, step=1, value=0, key="import_toggl_workspace"
        )
        days = st.date_input(
            "Days", value=(today - timedelta(days=29), today), max_value=today, key="import_toggl_days"
        )
        sent = st.form_submit_button("Preview")
    if sent:
        first_day, last_day = _days(days, today)
        with reported_errors():
            request = TogglRequest(token, first_day, last_day, int(workspace) or None)
            _preview(db, principal, toggl_api.entries(settings, request))


def _days(chosen: object, today: date) -> tuple[date, date]:
    if isinstance(chosen, tuple | list) and chosen:
        return chosen[0], chosen[-1]
    return (chosen, chosen) if isinstance(chosen, date) else (today, today)


def _preview(db: Database, principal: Principal, parsed: Parsed) -> None:
    st.session_state[PENDING_KEY] = (parsed, importing.preview(db, principal, parsed))


def _pending(db: Database, principal: Principal, tz: ZoneInfo) -> None:
    pending = st.session_state.get(PENDING_KEY)
    if not pending:
        return
    parsed, seen = pending
    st.subheader("Preview")
    to_import, skipped = st.columns(2)
    to_import.metric("Entries to import", seen.new)
    skipped.metric("Already imported (skipped)", seen.duplicate)
    if seen.rows:
        st.markdown(
            f"{_entries(seen.rows)} in the file, {hours_text(seen.seconds)} hours,"
            f" from {when(seen.first_start, tz)} to {when(seen.last_end, tz)}."
        )
        projects = pd.DataFrame(
            {
                "project": [p.name or "(no project)" for p in seen.projects],
                "entries": [p.entries for p in seen.projects],
                "hours": [hours_text(p.seconds) for p in seen.projects],
            }
        )
        st.dataframe(projects, hide_index=True)
    if seen.invalid:
        st.caption(
            f"{plural(seen.invalid, 'row')} left out: no time to import here (of zero length, or from Toggl's API"
            " still running or over 24 hours)."
        )
    confirm, cancel = st.columns(2)
    if confirm.button("Confirm import", type="primary", key="import_confirm", disabled=not seen.new):
        with reported_errors():
            outcome = importing.store(db, principal, parsed)
            del st.session_state[PENDING_KEY]
            done(f"Imported {_entries(outcome.created)} ({outcome.duplicate} already there)")
    if cancel.button("Cancel", key="import_cancel"):
        del st.session_state[PENDING_KEY]
        st.rerun()


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _remove_all(db: Database, principal: Principal) -> None:
    with st.expander("Remove imported time"):
        st.caption("Removes every entry you imported (to import again, e.g. read in another timezone).")
        sure = st.checkbox("Yes, remove all my imported time", key="import_remove_sure")
        if st.button("Remove imported time", key="import_remove", disabled=not sure):
            with reported_errors():
                done(f"Removed {_entries(importing.remove_all(db, principal))} of imported time")
