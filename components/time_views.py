"""What "My time" draws from a person's counted-once time: the timeline, hours per day,
totals, the summary row, the CSV.

Pure functions of the core's results (`person_time.PersonTime`: its attributed segments
and each source's raw pieces), so they can be checked without a page run. Every total is
the core's; these functions only lay it out. Every duration a person reads is H:MM
(page_parts.hours_text); colours follow the label (what the time was spent on), the source
is in the hover and the pattern, so a day of one source is not one block of one colour.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from components.page_parts import hours_text, signed_hours
from timetracker.projects.rules import UNASSIGNED, Naming
from timetracker.reports.person_time import PersonTime, Segment
from timetracker.reports.sources import DISPLAY_NAMES, NEEDS_A_LOOK
from timetracker.reports.timeline import PIECE_COLUMNS

# Any fixed date: the timeline's x axis is the time of day, one row per local day.
CLOCK_DAY = date(2000, 1, 3)
# Hours-per-day bars are never wider than in a week's view, however few days are shown.
MIN_BAR_SLOTS = 7
MANUAL = "manual"
CSV_COLUMNS = [
    "person",
    "day",
    "source",
    "label",
    "project",
    "detail",
    "start",
    "end",
    "duration",
    "seconds",
    "status",
]
SEGMENT_COLUMNS = ["day", "source", "label", "start", "end", "seconds", "project"]
COUNTED_ONCE = "counted once"
TRACKED_MEANS = (
    "Tracked time is every second at least one source covers (time added by hand included, excluded"
    " stretches left out), counted once however many overlap. Each source's own time is beside it,"
    " so those can add up to more."
)
# Beside a day whose time a correction (time added by hand, an excluded stretch) touched.
EDITED_MARK = "✎"
EXCLUDED = "excluded"
EXCLUDED_FILL = "rgba(141, 153, 166, 0.22)"
EXCLUDED_LINES = "#8d99a6"
# Longer ranges are drawn per week (and past about six months per month), not one row per day.
DAILY_UP_TO_DAYS = 35
WEEKLY_UP_TO_DAYS = 183
# A timeline lane per source under the counted-once lane, for ranges this short.
SOURCE_LANES_UP_TO_DAYS = 7
TOTAL = "Total"
SOURCE_GREYS = ["#8d99a6", "#b3bcc6", "#6b7785", "#a3aab3", "#c7ced6"]


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
    return DISPLAY_NAMES.get(source, source)


def counted(pieces: pd.DataFrame) -> pd.DataFrame:
    """Pieces that hold time (flags such as a removal with no insert are zero-length)."""
    return pieces[pieces["seconds"] > 0]


def segments_frame(segments: list[Segment], naming: Naming | None = None) -> pd.DataFrame:
    """The attributed timeline as a frame (SEGMENT_COLUMNS), one row per segment, with the
    name of the project `naming` gives it."""
    naming = naming or Naming()
    return pd.DataFrame(
        [(s.day, s.source, s.label, s.start, s.end, s.seconds, naming.name(s.project)) for s in segments],
        columns=SEGMENT_COLUMNS,
    )


def by_project(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments with their project in place of their label: every chart and table of the
    page then colours and totals by project."""
    return segments.assign(label=segments["project"])


def label_totals(segments: pd.DataFrame) -> pd.DataFrame:
    """Attributed seconds per (source, label), largest first."""
    if segments.empty:
        return pd.DataFrame(columns=["source", "label", "seconds"])
    totals = segments.groupby(["source", "label"], as_index=False)["seconds"].sum()
    return totals.sort_values("seconds", ascending=False, kind="stable").reset_index(drop=True)


def label_colours(segments: pd.DataFrame) -> dict[str, str]:
    """One colour per label, the largest first, the same on every chart of the page."""
    palette = px.colors.qualitative.Plotly + px.colors.qualitative.Pastel + px.colors.qualitative.Dark24
    order = label_totals(segments).groupby("label", sort=False)["seconds"].sum().index
    return {label: palette[n % len(palette)] for n, label in enumerate(order)}


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


def lane_name(day: date, name: str) -> str:
    return f"{day_name(day)} · {name}"


def given_to(source: str) -> str:
    """What the counted-once lane's hover says of a segment's source."""
    return "added by hand" if source == MANUAL else f"given to {source_name(source)}"


def own_time_of(source: str) -> str:
    """What a source's own lane (and its summary figure) holds."""
    return "Time added by hand" if source == MANUAL else f"{source_name(source)}'s own time"


def day_label(day: date, corrected: Mapping[date, float]) -> str:
    """A day as the timeline's rows name it, marked when corrections touched it (with how much
    they changed its tracked time)."""
    if day not in corrected:
        return day_name(day)
    return f"{day_name(day)} {EDITED_MARK} {signed_hours(corrected[day])}"


def lanes(segments: pd.DataFrame, source_time: pd.DataFrame | None) -> pd.DataFrame:
    """The timeline's bars: per day a "counted once" lane of the attributed segments (coloured
    by label), then (when `source_time` is given) a lane per source with all of that source's
    own time (coloured by source): where each source saw the person, overlaps and all."""
    once = segments.assign(
        lane=[lane_name(day, COUNTED_ONCE) for day in segments["day"]],
        detail=segments["source"].map(given_to),
    )
    if source_time is None or source_time.empty:
        return once
    own = source_time.assign(
        lane=[
            lane_name(day, source_name(source))
            for day, source in zip(source_time["day"], source_time["source"], strict=True)
        ],
        label=source_time["source"].map(source_name),
        detail=source_time["source"].map(own_time_of),
    )
    return pd.concat([frame for frame in (once, own) if not frame.empty], ignore_index=True)


def lane_order(
    first_day: date, last_day: date, sources: list[str] | None, corrected: Mapping[date, float] | None = None
) -> list[str]:
    """Every day of the range (empty days too), its counted-once lane first. Given `corrected`,
    the names a reader sees: the counted-once lane of a corrected day carries the mark."""
    names = [COUNTED_ONCE] + [source_name(source) for source in sources or []]
    if corrected is None:
        return [lane_name(day, name) for day in days_between(first_day, last_day) for name in names]
    return [
        f"{day_label(day, corrected) if name == COUNTED_ONCE else day_name(day)} · {name}"
        for day in days_between(first_day, last_day)
        for name in names
    ]


def clock_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A frame's `column` of local instants placed on CLOCK_DAY (see on_clock)."""
    return pd.Series([on_clock(moment, day) for moment, day in zip(frame[column], frame["day"], strict=True)])


def excluded_bars(excluded: pd.DataFrame) -> go.Bar:
    """Excluded stretches as light hatched bars in the counted-once lane: there, but counting nothing."""
    starts, ends = clock_column(excluded, "start"), clock_column(excluded, "end")
    return go.Bar(
        base=list(starts),
        # A date axis measures a bar's length in milliseconds, as px.timeline's bars do.
        x=[(end - start).total_seconds() * 1000 for start, end in zip(starts, ends, strict=True)],
        y=[lane_name(day, COUNTED_ONCE) for day in excluded["day"]],
        orientation="h",
        name=EXCLUDED,
        marker={
            "color": EXCLUDED_FILL,
            "line": {"color": EXCLUDED_LINES, "width": 1},
            "pattern": {"shape": "/", "fgcolor": EXCLUDED_LINES, "size": 6, "solidity": 0.25},
        },
        customdata=[
            [f"{start:%H:%M}–{end:%H:%M}", hours_text(seconds)]
            for start, end, seconds in zip(excluded["start"], excluded["end"], excluded["seconds"], strict=True)
        ],
        hovertemplate="<b>excluded</b><br>time=%{customdata[0]}<br>duration=%{customdata[1]}"
        "<br>counts for no source<extra></extra>",
    )


def timeline_figure(
    segments: pd.DataFrame,
    source_time: pd.DataFrame | None,
    first_day: date,
    last_day: date,
    colours: dict[str, str] | None = None,
    flags: pd.DataFrame | None = None,
    excluded: pd.DataFrame | None = None,
    corrected: Mapping[date, float] | None = None,
) -> go.Figure:
    """One row per local day (empty days too), the time of day across: the counted-once lane
    coloured by label and, given `source_time` (SEGMENT_COLUMNS), each source's own lane under
    it. `flags` (zero-length pieces, e.g. a removal with no insert) are marked on their lane.
    `excluded` stretches (SEGMENT_COLUMNS) are drawn greyed in the counted-once lane, where
    they count nothing; the sources' own lanes still show what each source saw there. Days in
    `corrected` (day -> how much corrections changed its tracked seconds) are marked.

    No text on the bars (short pieces would print over each other): the legend names the
    colours and the hover says label, source, from-to and duration.
    """
    colours = {**(colours or label_colours(segments)), **source_colours(source_time)}
    bars = lanes(segments, source_time)
    bars = bars.assign(
        clock_start=[on_clock(s, d) for s, d in zip(bars["start"], bars["day"], strict=True)],
        clock_end=[on_clock(e, d) for e, d in zip(bars["end"], bars["day"], strict=True)],
        duration=bars["seconds"].map(hours_text),
        when=[f"{s:%H:%M}–{e:%H:%M}" for s, e in zip(bars["start"], bars["end"], strict=True)],
        source_shown=bars["source"].map(source_name),
    )
    figure = px.timeline(
        bars,
        x_start="clock_start",
        x_end="clock_end",
        y="lane",
        color="label",
        color_discrete_map=colours,
        category_orders={"label": list(colours)},
        hover_name="label",
        hover_data={
            "source_shown": True,
            "when": True,
            "duration": True,
            "detail": True,
            "label": False,
            "lane": False,
            "clock_start": False,
            "clock_end": False,
        },
        labels={"source_shown": "source", "when": "time", "label": "label"},
    )
    excluded = excluded if excluded is not None else pd.DataFrame(columns=SEGMENT_COLUMNS)
    if not excluded.empty:
        figure.add_trace(excluded_bars(excluded))
    # Lanes asked for: a flag gets its source's lane even on a day that source holds no time
    # (a removal with no insert is all there is to see).
    with_lanes = source_time is not None
    flags = flags if flags is not None and with_lanes else pd.DataFrame(columns=PIECE_COLUMNS)
    if not flags.empty:
        figure.add_scatter(
            x=[on_clock(s, d) for s, d in zip(flags["start"], flags["day"], strict=True)],
            y=[lane_name(d, source_name(s)) for d, s in zip(flags["day"], flags["source"], strict=True)],
            mode="markers",
            marker={"symbol": "x", "size": 11, "color": "crimson"},
            name="needs a look",
            hovertext=[
                f"{label}: {NEEDS_A_LOOK.get(source, {}).get(status, status)}"
                for label, source, status in zip(flags["label"], flags["source"], flags["status"], strict=True)
            ],
            hoverinfo="text",
        )
    sources = sorted(set(source_time["source"]) | set(flags["source"]), key=source_name) if with_lanes else []
    rows = lane_order(first_day, last_day, sources)
    # Plotly leaves out categories with no data: an invisible point per row keeps empty days.
    figure.add_scatter(
        x=[datetime.combine(CLOCK_DAY, time.min)] * len(rows),
        y=rows,
        mode="markers",
        marker={"opacity": 0},
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_yaxes(
        autorange="reversed",
        type="category",
        categoryorder="array",
        categoryarray=rows,
        tickmode="array",
        tickvals=rows,
        ticktext=lane_order(first_day, last_day, sources, corrected or {}),
        title=None,
    )
    starts = pd.concat([bars["clock_start"], clock_column(excluded, "start")], ignore_index=True)
    ends = pd.concat([bars["clock_end"], clock_column(excluded, "end")], ignore_index=True)
    figure.update_xaxes(range=_clock_window(starts, ends), tickformat="%H:%M", dtick=3_600_000, title=None)
    figure.update_layout(
        height=140 + (36 if not sources else 24) * len(rows),
        legend_title_text="label (counted once), source (own time)" if sources else "label",
        margin={"t": 20, "b": 20},
        bargap=0.25,
    )
    return figure


def source_colours(source_time: pd.DataFrame | None) -> dict[str, str]:
    """Greys for the sources' own lanes: they say where a source saw the person, while the
    colours stay with the labels of the counted-once lane."""
    if source_time is None or source_time.empty:
        return {}
    names = sorted({source_name(source) for source in source_time["source"]})
    return {name: SOURCE_GREYS[n % len(SOURCE_GREYS)] for n, name in enumerate(names)}


def period_of(first_day: date, last_day: date) -> str:
    """How a range's hours are grouped: by day up to five weeks, then by week, past six months by month."""
    length = (last_day - first_day).days + 1
    return "day" if length <= DAILY_UP_TO_DAYS else "week" if length <= WEEKLY_UP_TO_DAYS else "month"


def period_name(day: date, period: str) -> str:
    if period == "day":
        return day.strftime("%a %m-%d")
    if period == "week":
        return "week of " + week_of(day)[0].strftime("%Y-%m-%d")
    return day.strftime("%b %Y")


def periods_between(first_day: date, last_day: date, period: str) -> list[str]:
    return list(dict.fromkeys(period_name(day, period) for day in days_between(first_day, last_day)))


def daily_figure(
    segments: pd.DataFrame,
    first_day: date,
    last_day: date,
    colours: dict[str, str] | None = None,
    corrected: Collection[date] = (),
) -> go.Figure:
    """Counted-once hours per local day (per week or month for long ranges), stacked by label,
    every period of the range on the axis, its total on top, marked when it holds a `corrected`
    day (one whose time a correction touched)."""
    colours = colours or label_colours(segments)
    period = period_of(first_day, last_day)
    columns = periods_between(first_day, last_day, period)
    per_label = segments.assign(period=segments["day"].map(lambda day: period_name(day, period)))
    per_label = per_label.groupby(["period", "source", "label"], as_index=False)["seconds"].sum()
    per_label = per_label.assign(
        hours=per_label["seconds"] / 3600,
        time=per_label["seconds"].map(hours_text),
        source=per_label["source"].map(source_name),
    )
    figure = px.bar(
        per_label,
        x="period",
        y="hours",
        color="label",
        color_discrete_map=colours,
        category_orders={"label": list(colours), "period": columns},
        hover_data={"time": True, "source": True, "hours": False, "period": True},
        title=f"Hours per {period}, counted once",
    )
    per_period = per_label.groupby("period")["seconds"].sum()
    marked = {period_name(day, period) for day in corrected if first_day <= day <= last_day}
    # A corrected period with nothing left (all of it excluded) still says so: 0:00 and the mark.
    per_period = per_period.reindex(sorted(set(per_period.index) | marked, key=columns.index), fill_value=0.0)
    figure.add_scatter(
        x=list(per_period.index),
        y=per_period / 3600,
        mode="text",
        text=[
            f"{hours_text(seconds)} {EDITED_MARK}" if name in marked else hours_text(seconds)
            for name, seconds in per_period.items()
        ],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_layout(barmode="stack", bargap=0.35, legend_title_text="label", margin={"t": 50})
    figure.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=columns,
        range=[-0.5, max(len(columns), MIN_BAR_SLOTS) - 0.5],
        title=None,
    )
    figure.update_yaxes(title="hours", rangemode="tozero")
    return figure


def totals_table(segments: pd.DataFrame, column: str, by: str = "label") -> pd.DataFrame:
    """H:MM per label (attributed, counted once), largest first, with a total row, in a
    column named for what it totals. By project, each project's time from every source is
    one row."""
    if by == "project":
        per_project = segments.groupby("label", as_index=False)["seconds"].sum()
        per_project = per_project.sort_values("seconds", ascending=False, kind="stable")
        return pd.DataFrame(
            {
                "project": [*per_project["label"], TOTAL],
                column: [*per_project["seconds"].map(hours_text), hours_text(per_project["seconds"].sum())],
            }
        )
    totals = label_totals(segments)
    return pd.DataFrame(
        {
            "label": [*totals["label"], TOTAL],
            "source": [*totals["source"].map(source_name), ""],
            column: [*totals["seconds"].map(hours_text), hours_text(totals["seconds"].sum())],
        }
    )


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def summary(range_time: PersonTime, week_time: PersonTime, today: date) -> list[Figure]:
    """Tracked time today and this week (Monday to Sunday around `today`); then, for the
    chosen dates, their tracked total (unless they are this week) and each source's own time."""
    monday, sunday = week_of(today)
    first_day, last_day = range_time.first_day, range_time.last_day
    figures = [
        Figure("Today", hours_text(week_time.tracked_between(today, today)), f"{today:%a %Y-%m-%d}, tracked"),
        Figure("This week", hours_text(week_time.tracked_between(monday, sunday)), f"{monday} to {sunday}, tracked"),
    ]
    if (first_day, last_day) != (monday, sunday):
        total = hours_text(range_time.tracked_seconds)
        figures.append(Figure("These dates", total, f"{first_day} to {last_day}, tracked"))
    own = sorted(range_time.source_seconds().items(), key=lambda item: -item[1])
    figures += [
        Figure(source_name(source), hours_text(seconds), f"{own_time_of(source)}, {first_day} to {last_day}")
        for source, seconds in own
        if seconds > 0
    ]
    return figures


def unlabelled_tags(pieces: pd.DataFrame) -> list[str]:
    """NFC tags shown under their raw id (the source falls back to the tag id when a tag has no label)."""
    nfc = counted(pieces)
    nfc = nfc[nfc["source"] == "nfc"]
    pairs = zip(nfc["label"], nfc["detail"], strict=True)
    return sorted({label for label, detail in pairs if detail.startswith(f"tag {label} ")})


def pieces_csv(pieces: pd.DataFrame, person: str, naming: Naming | None = None) -> str:
    """Every piece with local start and end (ISO, with offset), H:MM and whole seconds, whose
    time it is and the project the rules give it: for a spreadsheet."""
    naming = naming or Naming()
    projects = pieces["project"] if "project" in pieces else pd.Series([UNASSIGNED] * len(pieces), index=pieces.index)
    frame = pd.DataFrame(
        {
            "person": person,
            "day": pieces["day"].astype(str),
            "source": pieces["source"],
            "label": pieces["label"],
            "project": projects.fillna(UNASSIGNED).map(naming.name),
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


def file_slug(text: str) -> str:
    """A person's or team's name as a safe part of a file name."""
    slug = "".join(c if c.isalnum() else "-" for c in text.split("@")[0].lower()).strip("-")
    return "-".join(part for part in slug.split("-") if part) or "time"
