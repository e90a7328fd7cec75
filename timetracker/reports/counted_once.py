"""Every second counted once: the union of all sources, and who gets each second.

Pure functions over *spans* (start and end as UTC epoch instants in any one unit, a source
and a label; person_time uses whole microseconds, so its sums are exact),
so the rules can be checked exhaustively without a database:

- a source's own time is the union of its spans (two tags at once, two ActivityWatch
  hosts at once count once within the source);
- *tracked* time is the union of every source's spans;
- the *attributed* timeline gives each tracked second to exactly one source and label:
  the covering span of the source highest in the person's precedence; within one source,
  the span that started last (the window brought to the front, the tag tapped last).

Days are cut at the viewer's local midnights, given as UTC instants, so 23- and 25-hour
daylight-saving days are as long as they really are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one source's time: [start, end) as UTC epoch instants (one unit throughout)."""

    start: float
    end: float
    source: str
    label: str
    # The project the rules name it for (an id), or "" when none does.
    project: str = ""

    @property
    def seconds(self) -> float:
        return self.end - self.start


def merged(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of intervals as sorted, disjoint, non-touching intervals (empty ones dropped)."""
    union: list[tuple[float, float]] = []
    for start, end in sorted(interval for interval in intervals if interval[1] > interval[0]):
        if union and start <= union[-1][1]:
            if end > union[-1][1]:
                union[-1] = (union[-1][0], end)
        else:
            union.append((start, end))
    return union


def seconds_per_day(union: Sequence[tuple[float, float]], midnights: Sequence[float]) -> list[float]:
    """Seconds of disjoint `union` inside each day [midnights[i], midnights[i + 1])."""
    days = [0.0] * (len(midnights) - 1)
    for start, end in union:
        for day, begin, finish in day_parts(start, end, midnights):
            days[day] += finish - begin
    return days


def day_parts(start: float, end: float, midnights: Sequence[float]) -> Iterable[tuple[int, float, float]]:
    """(day index, start, end) of [start, end) cut at `midnights`, only inside the window they span."""
    start, end = max(start, midnights[0]), min(end, midnights[-1])
    day = bisect_right(midnights, start) - 1
    while start < end:
        cut = min(end, midnights[day + 1])
        yield day, start, cut
        start, day = cut, day + 1


def attribute(
    spans: Iterable[Span], precedence: Sequence[str], unions: Mapping[str, Sequence[tuple[float, float]]] | None = None
) -> list[Span]:
    """The attributed timeline: sorted, non-overlapping spans covering exactly the union of
    `spans`, each second given to the highest-precedence source covering it (sources not in
    `precedence` share the place after those that are). Touching spans of one source and label merge.

    Source by source, best first: settle the source's own overlaps (latest start wins), then
    keep what the sources before it have not covered. Each step is a walk over sorted lists,
    so a month of tens of thousands of spans takes milliseconds, not a sweep per edge.

    A source may give its whole time as `unions[source]` and, as spans, only what the sources
    before it leave free (the database can do that subtraction): later sources then still
    yield to all of its time.
    """
    unions = unions or {}
    rank = {source: position for position, source in enumerate(precedence)}
    unlisted = len(rank)  # every source not in `precedence` shares the last place
    groups: dict[int, list[Span]] = {rank.get(source, unlisted): [] for source in unions}
    for span in spans:
        if span.end > span.start:
            groups.setdefault(rank.get(span.source, unlisted), []).append(span)
    pieces: list[Piece] = []
    covered: list[tuple[float, float]] = []  # what the better sources hold: sorted, disjoint
    for place in sorted(groups):
        own = latest_start_wins(groups[place])
        pieces += uncovered(own, covered)
        whole = [
            interval for source, union in unions.items() if rank.get(source, unlisted) == place for interval in union
        ]
        covered = merged([*covered, *((piece[0], piece[1]) for piece in own), *whole])
    pieces.sort()
    timeline: list[Span] = []
    for start, end, source, label, project in pieces:
        _extend(timeline, Span(start, end, source, label, project))
    return timeline


# (start, end, source, label, project): a stretch of one span, before it joins the timeline.
Piece = tuple[float, float, str, str, str]


def latest_start_wins(spans: Sequence[Span]) -> list[Piece]:
    """Spans of one place in the precedence as sorted, disjoint (start, end, source, label,
    project) pieces: at each moment the covering span that started last (on a tie, the first label in
    alphabetical order)."""
    # Sorted by start; among equal starts the first label comes last, so it ends on top.
    ordered = sorted(sorted(spans, key=lambda span: span.label, reverse=True), key=lambda span: span.start)
    pieces: list[Piece] = []
    covering: list[Span] = []  # a stack: the latest start on top; spans that ended are dropped lazily
    cursor = ordered[0].start if ordered else 0.0

    def emit_until(moment: float | None) -> None:
        nonlocal cursor
        while covering:
            top = covering[-1]
            if top.end <= cursor:
                covering.pop()
                continue
            if moment is not None and moment <= cursor:
                return
            stop = top.end if moment is None else min(top.end, moment)
            pieces.append((cursor, stop, top.source, top.label, top.project))
            cursor = stop
            if stop < top.end:
                return

    for span in ordered:
        emit_until(span.start)
        cursor = max(cursor, span.start)
        covering.append(span)
    emit_until(None)
    return pieces


def uncovered(pieces: Sequence[Piece], covered: Sequence[tuple[float, float]]) -> list[Piece]:
    """The parts of sorted, disjoint `pieces` that sorted, disjoint `covered` leaves free."""
    free: list[Piece] = []
    first = 0
    for start, end, source, label, project in pieces:
        while first < len(covered) and covered[first][1] <= start:
            first += 1
        cursor, index = start, first
        while index < len(covered) and covered[index][0] < end and cursor < end:
            if covered[index][0] > cursor:
                free.append((cursor, covered[index][0], source, label, project))
            cursor = max(cursor, covered[index][1])
            index += 1
        if cursor < end:
            free.append((cursor, end, source, label, project))
    return free


def _extend(timeline: list[Span], span: Span) -> None:
    last = timeline[-1] if timeline else None
    if (
        last
        and last.end == span.start
        and (last.source, last.label, last.project)
        == (
            span.source,
            span.label,
            span.project,
        )
    ):
        timeline[-1] = Span(last.start, span.end, last.source, last.label, last.project)
    else:
        timeline.append(span)


def cut_at_midnights(timeline: Iterable[Span], midnights: Sequence[float]) -> list[tuple[int, Span]]:
    """(day index, piece) of each attributed span, cut at the local midnights."""
    return [
        (day, Span(begin, finish, span.source, span.label, span.project))
        for span in timeline
        for day, begin, finish in day_parts(span.start, span.end, midnights)
    ]


@dataclass(frozen=True)
class CountedDays:
    """Per local day: tracked seconds, each source's own seconds, and the attributed pieces."""

    tracked: list[float]
    by_source: dict[str, list[float]]
    segments: list[tuple[int, Span]]


def count_once(
    spans: Sequence[Span],
    precedence: Sequence[str],
    midnights: Sequence[float],
    sources: Iterable[str],
    unions: Mapping[str, Sequence[tuple[float, float]]] | None = None,
    excluded: Iterable[tuple[float, float]] = (),
) -> CountedDays:
    """Everything a report needs from one person's spans, for the days between `midnights`.

    `sources` names every source the report shows (a source with nothing gets zeros);
    `unions` holds the whole time of sources whose spans leave out what better sources cover
    (see `attribute`); `excluded` stretches (marked as not work) count for no source at all."""
    excluded = merged(excluded)
    unions = unions or {}
    # Not clipped to the window: a span keeps its real start, so "the span that started last"
    # is decided the same whichever days are asked for; day_parts drops what lies outside.
    inside = [span for span in spans if span.end > midnights[0] and span.start < midnights[-1]]
    by_source = {
        source: seconds_per_day(
            without(merged(unions[source] if source in unions else _of(inside, source)), excluded), midnights
        )
        for source in sources
    }
    # Exclusions come off the attributed timeline, not off the spans before attribution: a
    # span cut by an exclusion would resume with a later start and take seconds after the
    # exclusion from the span that really started last.
    timeline = [
        Span(start, end, span.source, span.label, span.project)
        for span in attribute(inside, precedence, unions)
        for start, end in without([(span.start, span.end)], excluded)
    ]
    segments = cut_at_midnights(timeline, midnights)
    tracked = [0.0] * (len(midnights) - 1)
    for day, segment in segments:
        tracked[day] += segment.seconds
    return CountedDays(tracked=tracked, by_source=by_source, segments=segments)


def without(
    intervals: Sequence[tuple[float, float]], excluded: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Sorted, disjoint `intervals` less sorted, disjoint `excluded`."""
    if not excluded:
        return list(intervals)
    return [(piece[0], piece[1]) for piece in uncovered([(a, b, "", "", "") for a, b in intervals], excluded)]


def _of(spans: Iterable[Span], source: str) -> Iterable[tuple[float, float]]:
    return ((span.start, span.end) for span in spans if span.source == source)


def ordered_precedence(chosen: Sequence[str], default: Sequence[str]) -> list[str]:
    """A person's order of the known sources (unknown names dropped). A source they have not
    placed yet (one added since they chose, such as time added by hand) goes above every one
    of their sources that the default puts below it, or last when there is none."""
    order = [source for source in dict.fromkeys(chosen) if source in default]
    for position, source in enumerate(default):
        if source in order:
            continue
        below = [order.index(placed) for placed in default[position + 1 :] if placed in order]
        order.insert(min(below) if below else len(order), source)
    return order
