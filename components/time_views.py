"""What "My time" draws from time pieces: the timeline, hours per day, totals, the summary row, the CSV.

Pure functions of the pieces (timetracker.reports.timeline.PIECE_COLUMNS), so they can be
checked without a page run. Every duration a person reads is H:MM (page_parts.hours_text);
colours follow the label (what the time was spent on), the source is in the hover and the
pattern, so a day of one source is not one block of one colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from components.page_parts import hours_text
from timetracker.reports.timeline import daily_totals, totals_by_label

# Entries a person should look at: not dropped, not hidden in the totals.
ATTENTION_STATUSES = {
    "open": "still running (no removal yet), counted up to now",
    "missing_removal": "a second insert came before a removal; ended there",
    "orphan_removal": "a removal with no insert before it",
}
# Any fixed date: the timeline's x axis is the time of day, one row per local day.
CLOCK_DAY = date(2000, 1, 3)
# Hours-per-day bars are never wider than in a week's view, however few days are shown.
MIN_BAR_SLOTS = 7
SOURCE_NAMES = {"nfc": "NFC", "timer": "Timer", "wakatime": "WakaTime", "activitywatch": "ActivityWatch"}
CSV_COLUMNS = ["day", "source", "label", "detail", "start", "end", "duration", "seconds", "status"]


@dataclass(frozen=True)
class Figure:
    """One number of the summary row: a title and its H:MM value."""

    title: str
    value: str
    help: str


def day_name(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


def days_between(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


def counted(pieces: pd.DataFrame) -> pd.DataFrame:
    """Pieces that hold time (flags such as a removal with no insert are zero-length)."""
    return pieces[pieces["seconds"] > 0]


def label_colours(pieces: pd.DataFrame) -> dict[str, str]:
    """One colour per label, the largest first, the same on every chart of the page."""
    palette = px.colors.qualitative.Plotly + px.colors.qualitative.Pastel + px.colors.qualitative.Dark24
    order = totals_by_label(counted(pieces)).groupby("label", sort=False)["seconds"].sum()
    return {label: palette[n % len(palette)] for n, label in enumerate(order.index)}


def on_clock(moment: datetime, day: date) -> datetime:
    """`moment` placed on CLOCK_DAY at its offset from the start of its local `day`."""
    offset = moment.replace(tzinfo=None) - datetime.combine(day, time.min)
    return datetime.combine(CLOCK_DAY, time.min) + offset


def _clock_window(starts: pd.Series, ends: pd.Series) -> list[datetime]:
    """The hours that hold time, an hour either side: a 9-to-5 day fills the width instead of a third of it."""
    midnight = datetime.combine(CLOCK_DAY, time.min)
    if starts.empty:
        return [midnight, midnight + timedelta(days=1)]
    first_hour = max(0, math.floor((min(starts) - midnight).total_seconds() / 3600) - 1)
    last_hour = min(24, math.ceil((max(ends) - midnight).total_seconds() / 3600) + 1)
    return [midnight + timedelta(hours=first_hour), midnight + timedelta(hours=last_hour)]


def timeline_figure(
    pieces: pd.DataFrame, first_day: date, last_day: date, colours: dict[str, str] | None = None
) -> go.Figure:
    """One row per local day of the range (empty days too), the time of day across, a colour per label.

    No text on the bars (short pieces would print over each other): the legend names the
    colours and the hover says label, source, from-to and duration.
    """
    colours = colours or label_colours(pieces)
    frame = pieces.assign(
        day_label=pieces["day"].map(day_name),
        clock_start=[on_clock(s, d) for s, d in zip(pieces["start"], pieces["day"], strict=True)],
        clock_end=[on_clock(e, d) for e, d in zip(pieces["end"], pieces["day"], strict=True)],
        duration=pieces["seconds"].map(hours_text),
        when=[f"{s:%H:%M}–{e:%H:%M}" for s, e in zip(pieces["start"], pieces["end"], strict=True)],
        source_shown=pieces["source"].map(source_name),
        status_shown=pieces["status"].map(lambda status: ATTENTION_STATUSES.get(status, status)),
    )
    bars = counted(frame)
    several_sources = bars["source"].nunique() > 1
    figure = px.timeline(
        bars,
        x_start="clock_start",
        x_end="clock_end",
        y="day_label",
        color="label",
        color_discrete_map=colours,
        category_orders={"label": list(colours)},
        pattern_shape="source_shown" if several_sources else None,
        hover_name="label",
        hover_data={
            "source_shown": True,
            "when": True,
            "duration": True,
            "detail": True,
            "status_shown": True,
            "label": False,
            "day_label": False,
            "clock_start": False,
            "clock_end": False,
        },
        labels={"source_shown": "source", "status_shown": "status", "when": "time", "label": "label"},
    )
    flags = frame[frame["seconds"] == 0]
    if not flags.empty:
        figure.add_scatter(
            x=flags["clock_start"],
            y=flags["day_label"],
            mode="markers",
            marker={"symbol": "x", "size": 11, "color": "crimson"},
            name="needs a look",
            hovertext=flags["label"] + ": " + flags["status_shown"] + " (" + flags["detail"].astype(str) + ")",
            hoverinfo="text",
        )
    days = [day_name(day) for day in days_between(first_day, last_day)]
    # Plotly leaves out categories with no data: an invisible point per day keeps empty days as rows.
    figure.add_scatter(
        x=[datetime.combine(CLOCK_DAY, time.min)] * len(days),
        y=days,
        mode="markers",
        marker={"opacity": 0},
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=days, title=None)
    figure.update_xaxes(
        range=_clock_window(bars["clock_start"], bars["clock_end"]), tickformat="%H:%M", dtick=3_600_000, title=None
    )
    figure.update_layout(
        height=140 + 36 * len(days),
        legend_title_text="label, source" if several_sources else "label",
        margin={"t": 20, "b": 20},
        bargap=0.25,
    )
    return figure


def daily_figure(
    pieces: pd.DataFrame, first_day: date, last_day: date, colours: dict[str, str] | None = None
) -> go.Figure:
    """Hours per local day stacked by label, every day of the range on the axis, the day's total on top."""
    colours = colours or label_colours(pieces)
    days = [day.strftime("%a %m-%d") for day in days_between(first_day, last_day)]
    daily = daily_totals(counted(pieces))
    daily = daily.assign(
        day=daily["day"].map(lambda day: day.strftime("%a %m-%d")),
        hours=daily["seconds"] / 3600,
        time=daily["seconds"].map(hours_text),
        source=daily["source"].map(source_name),
    )
    figure = px.bar(
        daily,
        x="day",
        y="hours",
        color="label",
        color_discrete_map=colours,
        category_orders={"label": list(colours), "day": days},
        hover_data={"time": True, "source": True, "hours": False, "day": True},
        title="Hours per day",
    )
    per_day = daily.groupby("day")["seconds"].sum()
    figure.add_scatter(
        x=list(per_day.index),
        y=per_day / 3600,
        mode="text",
        text=per_day.map(hours_text),
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_layout(barmode="stack", bargap=0.35, legend_title_text="label", margin={"t": 50})
    figure.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=days,
        range=[-0.5, max(len(days), MIN_BAR_SLOTS) - 0.5],
        title=None,
    )
    figure.update_yaxes(title="hours", rangemode="tozero")
    return figure


def totals_table(pieces: pd.DataFrame, column: str) -> pd.DataFrame:
    """H:MM per label, largest first, in a column named for what it totals."""
    totals = totals_by_label(counted(pieces))
    return pd.DataFrame(
        {
            "label": totals["label"],
            "source": totals["source"],
            column: totals["seconds"].map(hours_text),
        }
    )


def total_text(pieces: pd.DataFrame, first_day: date, last_day: date) -> str:
    inside = pieces[(pieces["day"] >= first_day) & (pieces["day"] <= last_day)] if not pieces.empty else pieces
    return hours_text(inside["seconds"].sum() if not inside.empty else 0)


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def summary(
    range_pieces: pd.DataFrame, week_pieces: pd.DataFrame, today: date, first_day: date, last_day: date
) -> list[Figure]:
    """Today and this week (Monday to Sunday around `today`); then, for the chosen dates,
    their total (unless they are this week) and each source's share."""
    monday, sunday = week_of(today)
    figures = [
        Figure("Today", total_text(week_pieces, today, today), f"{today:%a %Y-%m-%d}, all sources"),
        Figure("This week", total_text(week_pieces, monday, sunday), f"{monday} to {sunday}, all sources"),
    ]
    if range_pieces.empty:
        return figures
    if (first_day, last_day) != (monday, sunday):
        total = total_text(range_pieces, first_day, last_day)
        figures.append(Figure("These dates", total, f"{first_day} to {last_day}, all sources"))
    per_source = counted(range_pieces).groupby("source")["seconds"].sum().sort_values(ascending=False)
    figures += [
        Figure(source_name(source), hours_text(seconds), f"{source_name(source)}, {first_day} to {last_day}")
        for source, seconds in per_source.items()
    ]
    return figures


def unlabelled_tags(pieces: pd.DataFrame) -> list[str]:
    """NFC tags shown under their raw id (the source falls back to the tag id when a tag has no label)."""
    nfc = counted(pieces)
    nfc = nfc[nfc["source"] == "nfc"]
    pairs = zip(nfc["label"], nfc["detail"], strict=True)
    return sorted({label for label, detail in pairs if detail.startswith(f"tag {label} ")})


def pieces_csv(pieces: pd.DataFrame) -> str:
    """Every piece with local start and end (ISO, with offset), H:MM and whole seconds: for a spreadsheet."""
    frame = pd.DataFrame(
        {
            "day": pieces["day"].astype(str),
            "source": pieces["source"],
            "label": pieces["label"],
            "detail": pieces["detail"],
            "start": pieces["start"].map(lambda moment: moment.isoformat(timespec="seconds")),
            "end": pieces["end"].map(lambda moment: moment.isoformat(timespec="seconds")),
            "duration": pieces["seconds"].map(hours_text),
            "seconds": pieces["seconds"].round().astype(int),
            "status": pieces["status"],
        },
        columns=CSV_COLUMNS,
    )
    return frame.to_csv(index=False)
