"""Corrections on My time: what needs a look with its fix in place, time added by hand and
stretches excluded (each with a form, a list, and a way to change or delete one).

Only the person corrects their own time; a lead looking at a member's time reads the lists
(the notes only when the member shares them) and no form is drawn. Every change goes through
timetracker.corrections (RLS decides); the page then reruns and reads its totals again from
the core. A fix never makes up a device event: ending a forgotten tag is an exclusion from
the end the person gives, and a missing insert is time added by hand.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import streamlit as st

from components.corrections_views import (
    ENDED_BY_HAND,
    EXCLUDED_BY_HAND,
    Attention,
    Kind,
    corrections_table,
    exclusion_end,
    item_when,
    local_moment,
    row_name,
    stretch_of,
)
from components.page_parts import done, hours_text, plural, reported_errors
from components.time_views import day_name
from timetracker import corrections
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.projects import store as project_store

TIMER_PAGE = "components/timer.py"
# Items drawn with their fix at once; the rest wait (fixing some shortens the list).
ITEMS_SHOWN = 12
STEP_SECONDS = 300
NOTE_OF: dict[Kind, str] = {"entry": "note", "exclusion": "reason"}
# How many times each add form has been sent: part of its fields' keys, so a form that did
# its work comes back empty (a browser keeps a field's value while its key stays the same).
SENT_KEY = "corrections_sent"


def form_key(form: str, field: str, default_day: date) -> str:
    """A field's key: new once the form is sent, or when the range moves the day it starts on."""
    return f"{form}_{field}:{default_day}.{st.session_state.get(SENT_KEY, {}).get(form, 0)}"


def sent(form: str) -> None:
    counts = st.session_state.setdefault(SENT_KEY, {})
    counts[form] = counts.get(form, 0) + 1


def short(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%a %m-%d %H:%M}"


# --- Needs a look ---------------------------------------------------------------------------


def show_needs_a_look(
    db: Database, principal: Principal, items: list[Attention], tz: ZoneInfo, cap_hours: int | None
) -> None:
    """Each item with its fix beside it; `cap_hours` is None for someone else's time (read only)."""
    if not items:
        return
    editable = cap_hours is not None
    st.subheader("Needs a look")
    if editable:
        st.caption(
            "Time that did not pair up cleanly: shown, never dropped. Fix it here; the fix is kept as a"
            " correction (listed under Corrections below) and the reader's events stay as they were."
        )
    else:
        st.caption("Time that did not pair up cleanly: shown, never dropped. Only they can fix it.")
    if any(item.status == "capped" for item in items):
        cap = f"{cap_hours} hours" if editable else "the hours they set"
        where = "under “How your time is counted” on the Profile page" if editable else "on their Profile page"
        st.caption(
            f"**Capped**: a tag left in a reader with no removal counts for at most {cap} from when it went in,"
            f" then stops (the cap is set {where}). If it was forgotten, say when it really ended."
        )
    for item in items[:ITEMS_SHOWN]:
        with st.container(border=True):
            show_item(db, principal, item, tz, cap_hours)
    if len(items) > ITEMS_SHOWN:
        st.caption(f"{plural(len(items) - ITEMS_SHOWN, 'more item')} after these; each fix makes room for the next.")


def show_item(db: Database, principal: Principal, item: Attention, tz: ZoneInfo, cap_hours: int | None) -> None:
    text, fix = st.columns([2, 3], vertical_alignment="center")
    text.markdown(f"**{item.label}** · {item_when(item, tz)}")
    text.caption(f"{item.what} · {item.detail}")
    if cap_hours is None:
        return
    with fix:
        if item.endable:
            end_item(db, principal, item, tz, cap_hours)
        elif item.completable:
            complete_item(db, principal, item, tz)
        elif item.source == "timer":
            st.page_link(TIMER_PAGE, label="Stop it on the Timer page", icon=":material/timer:")


def end_item(db: Database, principal: Principal, item: Attention, tz: ZoneInfo, cap_hours: int) -> None:
    """The fixes of an interval with no end of its own: it ended at a time the person picks (an
    exclusion from then to the item's end), or none of it was work (an exclusion of all of it)."""
    day_column, time_column, end_column, exclude_column = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
    day = day_column.date_input("Day", value=item.start.date(), key=f"{item.key}:day")
    clock = time_column.time_input("Ended at", value=None, step=STEP_SECONDS, key=f"{item.key}:time")
    until = exclusion_end(item, cap_hours)
    if end_column.button("Save the end", key=f"{item.key}:end", type="primary", width="stretch"):
        if clock is None:
            st.error("Pick when it ended.")
            return
        ended = local_moment(day, clock, tz)
        if not item.start < ended < item.end:
            st.error(f"Pick a time after {short(item.start, tz)} and before {short(item.end, tz)}.")
            return
        with reported_errors():
            corrections.add(db, principal, "exclusion", ended, until, ENDED_BY_HAND)
            done(f"{item.label} ended at {short(ended, tz)}; the rest is excluded")
    if exclude_column.button(
        "Exclude it",
        key=f"{item.key}:exclude",
        width="stretch",
        help="Not work: none of it counts. The reader's events are kept.",
    ):
        with reported_errors():
            corrections.add(db, principal, "exclusion", item.start, until, EXCLUDED_BY_HAND)
            done(f"Excluded {item.label} from {short(item.start, tz)}")


def complete_item(db: Database, principal: Principal, item: Attention, tz: ZoneInfo) -> None:
    """The fix of a removal whose insert is missing: the stay, added by hand from the start the
    person gives to the removal."""
    day_column, time_column, add_column = st.columns([3, 2, 4], vertical_alignment="bottom")
    day = day_column.date_input("Day", value=item.start.date(), key=f"{item.key}:day")
    clock = time_column.time_input("Started at", value=None, step=STEP_SECONDS, key=f"{item.key}:time")
    if add_column.button(
        "Add the stay",
        key=f"{item.key}:stay",
        type="primary",
        help=f"Adds {item.label} by hand from this start to the removal.",
    ):
        if clock is None:
            st.error("Pick when it started.")
            return
        started = local_moment(day, clock, tz)
        if not started < item.start:
            st.error(f"Pick a time before the removal ({short(item.start, tz)}).")
            return
        with reported_errors():
            corrections.add(
                db, principal, "entry", started, item.start, "the reader missed the insert", label=item.label
            )
            done(f"Added {item.label} from {short(started, tz)} by hand")


# --- Corrections: time added by hand, stretches excluded ------------------------------------


def show_corrections(
    db: Database,
    principal: Principal,
    tz: ZoneInfo,
    added: list[dict[str, Any]],
    excluded: list[dict[str, Any]],
    default_day: date,
    labels: list[str],
    whose: str | None,
) -> None:
    """The range's entries and exclusions; with a form for each when they are the viewer's own
    (`whose` is None), read only when they are `whose`."""
    st.subheader("Corrections")
    if whose is None:
        st.caption(
            "Time added by hand counts as a source of its own (“By hand”, first in your source order on"
            " Profile). Excluded stretches count for no source, though each source's own lane on the"
            " timeline still shows what it saw. Team owners and admins see these times; your notes and"
            " reasons only if you share them on Profile."
        )
    else:
        private = any(row["note"] is None for row in [*added, *excluded])
        notes = " Their notes and reasons are private: they can share them on their Profile." if private else ""
        st.caption(f"What {whose} added by hand or excluded; only they can change it.{notes}")
    added_tab, excluded_tab = st.tabs([f"Added by hand ({len(added)})", f"Excluded ({len(excluded)})"])
    with added_tab:
        show_list(added, "entry", tz)
        if whose is None:
            form_column, change_column = st.columns(2)
            with form_column:
                add_entry_form(db, principal, tz, default_day, labels)
            with change_column:
                change_form(db, principal, tz, added, "entry")
    with excluded_tab:
        show_list(excluded, "exclusion", tz)
        if whose is None:
            form_column, change_column = st.columns(2)
            with form_column:
                add_exclusion_form(db, principal, tz, default_day)
            with change_column:
                change_form(db, principal, tz, excluded, "exclusion")


def show_list(rows: list[dict[str, Any]], kind: Kind, tz: ZoneInfo) -> None:
    if not rows:
        what = "No time added by hand" if kind == "entry" else "Nothing excluded"
        st.caption(f"{what} in these dates.")
        return
    readable = all(row["note"] is not None for row in rows)
    st.dataframe(corrections_table(rows, kind, tz, readable), hide_index=True, width="stretch", key=f"{kind}_list")


def stretch_fields(form: str, default_day: date) -> tuple[date, time | None, time | None]:
    """A form's day, start and end (the end may be on the next day)."""
    day = st.date_input("Day", value=default_day, key=form_key(form, "day", default_day))
    start_column, end_column = st.columns(2)
    start = start_column.time_input("Start", value=None, step=STEP_SECONDS, key=form_key(form, "start", default_day))
    end = end_column.time_input(
        "End",
        value=None,
        step=STEP_SECONDS,
        help="An end before the start is the next day.",
        key=form_key(form, "end", default_day),
    )
    return day, start, end


def add_entry_form(db: Database, principal: Principal, tz: ZoneInfo, default_day: date, labels: list[str]) -> None:
    with st.form("add_entry"):
        st.markdown("**Add time by hand**")
        day, start, end = stretch_fields("add_entry", default_day)
        used = f" Used in these dates: {', '.join(labels[:8])}." if labels else ""
        label = st.text_input(
            "Label",
            max_chars=corrections.LABEL_MAX,
            placeholder="what it was, e.g. a project",
            help=f"Colours and totals go by label, as for a tag's.{used}",
            key=form_key("add_entry", "label", default_day),
        )
        projects = {"": "No project"} | {
            str(p["id"]): p["path"] for p in project_store.list_projects(db, principal) if not p["archived"]
        }
        project = st.selectbox(
            "Project (optional)",
            list(projects),
            format_func=projects.get,
            help="What this time counts for when your time is totalled by project.",
            key=form_key("add_entry", "project", default_day),
        )
        note = st.text_input(
            "Note (optional)",
            max_chars=corrections.NOTE_MAX,
            help="Yours; your team's owners and admins read it only if you share notes on Profile.",
            key=form_key("add_entry", "note", default_day),
        )
        if st.form_submit_button("Add time", type="primary"):
            if start is None or end is None:
                st.error("Give a start and an end.")
                return
            first, last = stretch_of(day, start, end, tz)
            with reported_errors():
                project_id = UUID(project) if project else None
                corrections.add(db, principal, "entry", first, last, note, label=label, project_id=project_id)
                sent("add_entry")
                done(f"Added {hours_text((last - first).total_seconds())} of {label.strip()} on {day_name(day)}")


def add_exclusion_form(db: Database, principal: Principal, tz: ZoneInfo, default_day: date) -> None:
    with st.form("add_exclusion"):
        st.markdown("**Exclude time**")
        day, start, end = stretch_fields("add_exclusion", default_day)
        reason = st.text_input(
            "Reason",
            max_chars=corrections.NOTE_MAX,
            placeholder="e.g. lunch, tag left in the reader",
            help="Yours; your team's owners and admins read it only if you share notes on Profile.",
            key=form_key("add_exclusion", "reason", default_day),
        )
        if st.form_submit_button("Exclude", type="primary"):
            if start is None or end is None:
                st.error("Give a start and an end.")
                return
            first, last = stretch_of(day, start, end, tz)
            with reported_errors():
                corrections.add(db, principal, "exclusion", first, last, reason)
                sent("add_exclusion")
                done(f"Excluded {first:%H:%M}–{last:%H:%M} on {day_name(day)}")


def change_form(db: Database, principal: Principal, tz: ZoneInfo, rows: list[dict[str, Any]], kind: Kind) -> None:
    """Pick one of `rows`, change its times and words, or delete it."""
    if not rows:
        return
    noun = kind
    by_id = {str(row["id"]): row for row in rows}
    st.markdown(f"**Change or delete an {noun}**")
    chosen = st.selectbox(
        noun.capitalize(), list(by_id), format_func=lambda key: row_name(by_id[key], kind, tz), key=f"change_{kind}"
    )
    row = by_id[chosen]
    # Widget keys carry the id: picking another one draws its own values.
    with st.form(f"change_{kind}_form"):
        start_column, end_column = st.columns(2)
        start = start_column.datetime_input(
            "From", value=naive(row["started_at"], tz), step=STEP_SECONDS, key=f"change_{kind}_from:{chosen}"
        )
        end = end_column.datetime_input(
            "To", value=naive(row["ended_at"], tz), step=STEP_SECONDS, key=f"change_{kind}_to:{chosen}"
        )
        label = None
        if kind == "entry":
            label = st.text_input(
                "Label", value=row["label"], max_chars=corrections.LABEL_MAX, key=f"change_entry_label:{chosen}"
            )
        note = st.text_input(
            NOTE_OF[kind].capitalize(),
            value=row["note"] or "",
            max_chars=corrections.NOTE_MAX,
            key=f"change_{kind}_note:{chosen}",
        )
        if st.form_submit_button("Save changes"):
            if start is None or end is None:
                st.error("Give a start and an end.")
                return
            with reported_errors():
                corrections.update(
                    db,
                    principal,
                    kind,
                    UUID(chosen),
                    start=start.replace(tzinfo=tz),
                    end=end.replace(tzinfo=tz),
                    note=note,
                    label=label,
                )
                done(f"Saved the {noun} of {short(start.replace(tzinfo=tz), tz)}")
    with st.popover(f"Delete this {noun}", icon=":material/delete:"):
        st.caption(f"{row_name(row, kind, tz)}: it stops counting at once.")
        if st.button(f"Yes, delete the {noun}", key=f"delete_{kind}:{chosen}", type="primary"):
            with reported_errors():
                corrections.delete(db, principal, kind, UUID(chosen))
                done(f"Deleted the {noun} of {short(row['started_at'], tz)}")


def naive(moment: datetime, tz: ZoneInfo) -> datetime:
    """An instant as a picker shows it: the wall clock in `tz`."""
    return moment.astimezone(tz).replace(tzinfo=None)
