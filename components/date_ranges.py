"""Ranges of local days people ask for by name (this week, last month, ...), and a date picker with them beside it.

`preset_range` is pure, so any page (Team, My time) can offer the same presets and get the
same days for them. Weeks run Monday to Sunday; months are whole calendar months.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

PRESETS = ["Today", "This week", "Last week", "This month", "Last month", "Last 30 days"]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_end(first_of_month: date) -> date:
    # Day 28 plus four days is always in the next month, whatever the month's length.
    return (first_of_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def preset_range(name: str, today: date) -> tuple[date, date]:
    """(first day, last day) of the preset `name` (one of PRESETS), both inclusive, around `today`."""
    monday = _monday(today)
    first_of_month = today.replace(day=1)
    ranges: dict[str, Callable[[], tuple[date, date]]] = {
        "Today": lambda: (today, today),
        "This week": lambda: (monday, monday + timedelta(days=6)),
        "Last week": lambda: (monday - timedelta(days=7), monday - timedelta(days=1)),
        "This month": lambda: (first_of_month, _month_end(first_of_month)),
        "Last month": lambda: ((first_of_month - timedelta(days=1)).replace(day=1), first_of_month - timedelta(days=1)),
        "Last 30 days": lambda: (today - timedelta(days=29), today),
    }
    if name not in ranges:
        raise ValueError(f"unknown preset {name!r}; expected one of {PRESETS}")
    return ranges[name]()


def range_picker(key: str, today: date, default: str = "This week") -> tuple[date, date]:
    """A date-range input (key `key`) with the presets beside it; the chosen (first day, last day).

    The dates live in session state under `key`, so a preset can set them before the input is
    drawn; typing dates clears the preset, which then no longer describes them.
    """
    preset_key = f"{key}:preset"
    st.session_state.setdefault(key, preset_range(default, today))
    st.session_state.setdefault(preset_key, default)

    def apply_preset() -> None:
        if st.session_state[preset_key]:
            st.session_state[key] = preset_range(st.session_state[preset_key], today)

    def forget_preset() -> None:
        st.session_state[preset_key] = None

    dates_column, presets_column = st.columns([1, 2], vertical_alignment="bottom")
    with dates_column:
        chosen = st.date_input("Dates", help="In your profile's timezone.", key=key, on_change=forget_preset)
    with presets_column:
        st.pills("Presets", PRESETS, key=preset_key, on_change=apply_preset, label_visibility="collapsed")
    return _as_range(chosen, today)


def _as_range(chosen: object, today: date) -> tuple[date, date]:
    """The picker's value as (first, last): halfway through picking a range it holds one day."""
    if isinstance(chosen, tuple | list):
        if len(chosen) == 2:
            return chosen[0], chosen[1]
        if len(chosen) == 1:
            return chosen[0], chosen[0]
        return today, today
    return (chosen, chosen) if isinstance(chosen, date) else (today, today)
