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

import heapq
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one source's time: [start, end) as UTC epoch instants (one unit throughout)."""

    start: float
    end: float
    source: str
    label: str

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


def attribute(spans: Iterable[Span], precedence: Sequence[str]) -> list[Span]:
    """The attributed timeline: sorted, non-overlapping spans covering exactly the union of
    `spans`, each second given to the highest-precedence source covering it (sources not in
    `precedence` come after those that are). Touching spans of one source and label merge."""
    rank = {source: position for position, source in enumerate(precedence)}
    edges: list[tuple[float, int, int]] = []  # (time, 0 = ends / 1 = starts, span index)
    items = [span for span in spans if span.end > span.start]
    for index, span in enumerate(items):
        edges.append((span.start, 1, index))
        edges.append((span.end, 0, index))
    edges.sort()
    # The covering spans, best first: by rank, then the latest start, then the label (stable).
    covering: list[tuple[int, float, str, int]] = []
    ended: set[int] = set()
    timeline: list[Span] = []
    position = 0
    while position < len(edges):
        moment = edges[position][0]
        while position < len(edges) and edges[position][0] == moment:
            _, starts, index = edges[position]
            span = items[index]
            if starts:
                heapq.heappush(covering, (rank.get(span.source, len(rank)), -span.start, span.label, index))
            else:
                ended.add(index)
            position += 1
        while covering and covering[0][3] in ended:
            heapq.heappop(covering)
        if not covering or position == len(edges):
            continue
        winner = items[covering[0][3]]
        following = edges[position][0]
        _extend(timeline, Span(moment, following, winner.source, winner.label))
    return timeline


def _extend(timeline: list[Span], span: Span) -> None:
    last = timeline[-1] if timeline else None
    if last and last.end == span.start and (last.source, last.label) == (span.source, span.label):
        timeline[-1] = Span(last.start, span.end, last.source, last.label)
    else:
        timeline.append(span)


def cut_at_midnights(timeline: Iterable[Span], midnights: Sequence[float]) -> list[tuple[int, Span]]:
    """(day index, piece) of each attributed span, cut at the local midnights."""
    return [
        (day, Span(begin, finish, span.source, span.label))
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
    spans: Sequence[Span], precedence: Sequence[str], midnights: Sequence[float], sources: Iterable[str]
) -> CountedDays:
    """Everything a report needs from one person's spans, for the days between `midnights`.

    `sources` names every source the report shows (a source with nothing gets zeros)."""
    # Not clipped to the window: a span keeps its real start, so "the span that started last"
    # is decided the same whichever days are asked for; day_parts drops what lies outside.
    inside = [span for span in spans if span.end > midnights[0] and span.start < midnights[-1]]
    by_source = {source: seconds_per_day(merged(_of(inside, source)), midnights) for source in sources}
    segments = cut_at_midnights(attribute(inside, precedence), midnights)
    tracked = [0.0] * (len(midnights) - 1)
    for day, segment in segments:
        tracked[day] += segment.seconds
    return CountedDays(tracked=tracked, by_source=by_source, segments=segments)


def _of(spans: Iterable[Span], source: str) -> Iterable[tuple[float, float]]:
    return ((span.start, span.end) for span in spans if span.source == source)


def ordered_precedence(chosen: Sequence[str], default: Sequence[str]) -> list[str]:
    """A person's order of the known sources: theirs first, then any source they have not
    placed yet (a source added later) in the default order; unknown names are dropped."""
    known = [source for source in dict.fromkeys(chosen) if source in default]
    return known + [source for source in default if source not in known]
