"""Every second counted once (`reports.counted_once`), checked against a brute-force reference.

Spans here start and end on whole seconds, so who covers what is constant on each
one-second cell [t, t + 1): the reference simply walks the cells. Random spans over
several sources and labels (touching, nested, identical, empty, reversed, outside the
window), a random precedence and random midnights; then corrections (time added by hand,
stretches excluded as not work); then the hand examples the rules are easiest to read from.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timetracker.reports.counted_once import (
    Span,
    attribute,
    count_once,
    cut_at_midnights,
    merged,
    ordered_precedence,
    seconds_per_day,
)
from timetracker.reports.person_time import local_midnights
from timetracker.reports.sources import DEFAULT_PRECEDENCE

# The product's four sources, and one no precedence names (it must still be counted, last).
SOURCES = [*DEFAULT_PRECEDENCE, "toggl"]
LABELS = ["a", "b", "c"]
LOW, HIGH = 0, 120

spans_st = st.lists(
    st.builds(
        Span,
        start=st.integers(LOW, HIGH),
        end=st.integers(LOW, HIGH),  # end <= start too: such a span holds no time
        source=st.sampled_from(SOURCES),
        label=st.sampled_from(LABELS),
    ),
    max_size=25,
)
precedence_st = st.permutations(DEFAULT_PRECEDENCE).flatmap(
    lambda order: st.integers(0, len(order)).map(lambda keep: list(order[:keep]))
)
# Midnights may start before the first span and end before the last one: spans are clipped.
midnights_st = st.lists(st.integers(LOW - 10, HIGH + 10), min_size=2, max_size=6, unique=True).map(sorted)


@dataclass(frozen=True)
class Cell:
    """Who covers one second [t, t + 1), by brute force."""

    covering: tuple[Span, ...]

    def winners(self, precedence: Sequence[str]) -> set[tuple[str, str]]:
        """The (source, label) pairs this second may be given to: among the covering spans of
        the best-ranked source, those that started last. More than one pair only on a tie (the
        same start), or when sources no precedence names share the last rank."""
        rank = {source: position for position, source in enumerate(precedence)}
        best = min(rank.get(span.source, len(rank)) for span in self.covering)
        ranked = [span for span in self.covering if rank.get(span.source, len(rank)) == best]
        latest = max(span.start for span in ranked)
        return {(span.source, span.label) for span in ranked if span.start == latest}


def cells(spans: Sequence[Span], start: int, end: int) -> dict[int, Cell]:
    """The covered seconds in [start, end), each with the spans covering it."""
    found: dict[int, Cell] = {}
    for second in range(start, end):
        covering = tuple(span for span in spans if span.start <= second and span.end >= second + 1)
        if covering:
            found[second] = Cell(covering)
    return found


def day_of(second: float, midnights: Sequence[int]) -> int:
    return max(index for index, midnight in enumerate(midnights[:-1]) if midnight <= second)


def covered_seconds(intervals: Sequence[tuple[float, float]]) -> set[int]:
    return {second for start, end in intervals for second in range(int(start), int(end))}


# -- the properties --------------------------------------------------------------------------


@settings(max_examples=400)
@given(spans_st, precedence_st, midnights_st)
def test_tracked_time_is_the_union_counted_once_per_day(
    spans: list[Span], precedence: list[str], midnights: list[int]
) -> None:
    counted = count_once(spans, precedence, midnights, SOURCES)
    covered = cells(spans, midnights[0], midnights[-1])
    assert len(counted.tracked) == len(midnights) - 1
    for day in range(len(midnights) - 1):
        in_day = [second for second in covered if midnights[day] <= second < midnights[day + 1]]
        assert counted.tracked[day] == len(in_day)
    assert sum(counted.tracked) == len(covered)
    assert sum(segment.seconds for _, segment in counted.segments) == len(covered)


@settings(max_examples=400)
@given(spans_st, precedence_st, midnights_st)
def test_segments_are_sorted_disjoint_inside_their_day_and_cover_exactly_the_union(
    spans: list[Span], precedence: list[str], midnights: list[int]
) -> None:
    segments = count_once(spans, precedence, midnights, SOURCES).segments
    for day, segment in segments:
        assert segment.end > segment.start
        assert midnights[day] <= segment.start and segment.end <= midnights[day + 1]
    for (day, earlier), (next_day, later) in pairwise(segments):
        assert earlier.end <= later.start  # sorted, never overlapping
        assert day <= next_day
        if earlier.end == later.start and (earlier.source, earlier.label) == (later.source, later.label):
            # The same source and label touching again is one segment, unless a midnight cuts it.
            assert earlier.end in midnights
    assert covered_seconds([(s.start, s.end) for _, s in segments]) == set(cells(spans, midnights[0], midnights[-1]))


@settings(max_examples=400)
@given(spans_st, precedence_st, midnights_st)
def test_each_second_goes_to_the_highest_precedence_source_covering_it(
    spans: list[Span], precedence: list[str], midnights: list[int]
) -> None:
    covered = cells(spans, midnights[0], midnights[-1])
    for _, segment in count_once(spans, precedence, midnights, SOURCES).segments:
        middle = (segment.start + segment.end) / 2
        assert (segment.source, segment.label) in covered[int(middle)].winners(precedence), (segment, middle)
        # Not only the midpoint: every second of the segment has this winner.
        for second in range(int(segment.start), int(segment.end)):
            assert (segment.source, segment.label) in covered[second].winners(precedence), (segment, second)


@settings(max_examples=400)
@given(spans_st, precedence_st, midnights_st)
def test_each_sources_own_time_is_its_union_per_day_and_lies_inside_the_tracked_time(
    spans: list[Span], precedence: list[str], midnights: list[int]
) -> None:
    counted = count_once(spans, precedence, midnights, SOURCES)
    tracked_seconds = covered_seconds([(s.start, s.end) for _, s in counted.segments])
    assert set(counted.by_source) == set(SOURCES)
    for source in SOURCES:
        own = cells([span for span in spans if span.source == source], midnights[0], midnights[-1])
        assert set(own) <= tracked_seconds
        per_day = [0] * (len(midnights) - 1)
        for second in own:
            per_day[day_of(second, midnights)] += 1
        assert counted.by_source[source] == per_day
        assert all(mine <= total for mine, total in zip(per_day, counted.tracked, strict=True))


@settings(max_examples=300)
@given(spans_st, precedence_st, midnights_st, st.data())
def test_a_days_figures_do_not_depend_on_the_range_asked_for(
    spans: list[Span], precedence: list[str], midnights: list[int], data: st.DataObject
) -> None:
    """Asking for some of the days gives those days exactly as a longer range does: the
    same seconds, and the same source and label for each of them."""
    first = data.draw(st.integers(0, len(midnights) - 2))
    last = data.draw(st.integers(first + 1, len(midnights) - 1))
    whole = count_once(spans, precedence, midnights, SOURCES)
    part = count_once(spans, precedence, midnights[first : last + 1], SOURCES)
    assert part.tracked == whole.tracked[first:last]
    assert all(part.by_source[source] == whole.by_source[source][first:last] for source in SOURCES)
    assert part.segments == [(day - first, segment) for day, segment in whole.segments if first <= day < last]


# A person's precedence always names every source (ordered_precedence), so every tie is
# decided by rank, start and label, never by the order rows came back from the database.
@settings(max_examples=200)
@given(spans_st, st.permutations(DEFAULT_PRECEDENCE), midnights_st, st.randoms(use_true_random=False))
def test_the_order_spans_arrive_in_changes_nothing(
    spans: list[Span], precedence: list[str], midnights: list[int], rng: random.Random
) -> None:
    shuffled = list(spans)
    rng.shuffle(shuffled)
    first, second = (
        count_once(spans, precedence, midnights, SOURCES),
        count_once(shuffled, precedence, midnights, SOURCES),
    )
    assert first.tracked == second.tracked and first.by_source == second.by_source
    assert first.segments == second.segments


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(LOW, HIGH), st.integers(LOW, HIGH)), max_size=20), midnights_st)
def test_merged_is_the_union_as_sorted_disjoint_non_touching_intervals(
    intervals: list[tuple[int, int]], midnights: list[int]
) -> None:
    union = merged(intervals)
    assert all(start < end for start, end in union)
    assert all(earlier[1] < later[0] for earlier, later in pairwise(union))
    assert covered_seconds(union) == covered_seconds([i for i in intervals if i[1] > i[0]])
    per_day = seconds_per_day(union, midnights)
    inside = [s for s in covered_seconds(union) if midnights[0] <= s < midnights[-1]]
    assert sum(per_day) == len(inside)
    assert per_day == [
        sum(1 for s in inside if midnights[day] <= s < midnights[day + 1]) for day in range(len(midnights) - 1)
    ]


@settings(max_examples=200)
@given(
    st.lists(
        st.builds(
            lambda start, length, source, label: Span(start, start + length, source, label),
            st.floats(1.7e9, 1.7e9 + 86400 * 3, allow_nan=False),
            st.floats(0, 86400, allow_nan=False),
            st.sampled_from(SOURCES),
            st.sampled_from(LABELS),
        ),
        max_size=15,
    ),
    precedence_st,
)
def test_real_epoch_seconds_keep_the_sums_within_float_tolerance(spans: list[Span], precedence: list[str]) -> None:
    midnights = [1.7e9 + 86400 * day + 3600 * (day == 2) for day in range(5)]  # one 25-hour day
    counted = count_once(spans, precedence, midnights, SOURCES)
    union = sum(end - start for start, end in merged((s.start, s.end) for s in spans if s.end > s.start))
    assert sum(counted.tracked) == pytest.approx(union, abs=1e-6)
    assert sum(s.seconds for _, s in counted.segments) == pytest.approx(union, abs=1e-6)
    for (_, earlier), (_, later) in pairwise(counted.segments):
        assert earlier.end <= later.start


@given(st.lists(st.sampled_from([*DEFAULT_PRECEDENCE, "toggl", "", "NFC"]), max_size=8))
def test_ordered_precedence_places_every_known_source_once(chosen: list[str]) -> None:
    order = ordered_precedence(chosen, DEFAULT_PRECEDENCE)
    assert sorted(order) == sorted(DEFAULT_PRECEDENCE)
    placed = [source for source in dict.fromkeys(chosen) if source in DEFAULT_PRECEDENCE]
    assert [source for source in order if source in placed] == placed  # the person's order stands
    for position, source in enumerate(DEFAULT_PRECEDENCE):
        if source not in placed:  # above every placed source the default puts below it
            below = [order.index(other) for other in DEFAULT_PRECEDENCE[position + 1 :] if other in placed]
            assert all(order.index(source) < index for index in below)


# -- corrections: time added by hand and exclusions ------------------------------------------

MANUAL = "manual"
# What the sources record; time added by hand comes apart, as the person's corrections.
RECORDED = [source for source in SOURCES if source != MANUAL]
recorded_st = st.lists(
    st.builds(
        Span,
        start=st.integers(LOW, HIGH),
        end=st.integers(LOW, HIGH),
        source=st.sampled_from(RECORDED),
        label=st.sampled_from(LABELS),
    ),
    max_size=20,
)
manual_st = st.lists(
    st.builds(
        lambda start, length, label: Span(start, start + length, MANUAL, label),
        st.integers(LOW - 10, HIGH),
        st.integers(1, 40),
        st.sampled_from(LABELS),
    ),
    max_size=5,
)
# Overlapping, touching, outside the window, and empty or reversed ones (which exclude nothing).
excluded_st = st.lists(st.tuples(st.integers(LOW - 10, HIGH + 10), st.integers(LOW - 10, HIGH + 10)), max_size=5)


def excluded_seconds(excluded: Sequence[tuple[int, int]]) -> set[int]:
    return covered_seconds([(start, end) for start, end in excluded if end > start])


def per_day(seconds: set[int], midnights: Sequence[int]) -> list[int]:
    days = [0] * (len(midnights) - 1)
    for second in seconds:
        if midnights[0] <= second < midnights[-1]:
            days[day_of(second, midnights)] += 1
    return days


def owners(segments: Sequence[tuple[int, Span]]) -> dict[int, tuple[str, str]]:
    """Each attributed second with the (source, label) it was given to."""
    return {
        second: (segment.source, segment.label)
        for _, segment in segments
        for second in range(int(segment.start), int(segment.end))
    }


@settings(max_examples=400)
@given(recorded_st, manual_st, excluded_st, precedence_st, midnights_st)
def test_with_corrections_tracked_time_is_the_union_with_manual_time_less_exclusions(
    spans: list[Span],
    manual: list[Span],
    excluded: list[tuple[int, int]],
    precedence: list[str],
    midnights: list[int],
) -> None:
    counted = count_once([*spans, *manual], precedence, midnights, SOURCES, excluded=excluded)
    out = excluded_seconds(excluded)
    kept = set(cells([*spans, *manual], midnights[0], midnights[-1])) - out
    assert counted.tracked == per_day(kept, midnights)
    for source in SOURCES:
        own = set(cells([span for span in [*spans, *manual] if span.source == source], midnights[0], midnights[-1]))
        assert counted.by_source[source] == per_day(own - out, midnights), source
    # The segments hold exactly the seconds left, none of them inside an exclusion.
    assert set(owners(counted.segments)) == kept
    assert sum(segment.seconds for _, segment in counted.segments) == len(kept)
    for day, segment in counted.segments:
        assert midnights[day] <= segment.start < segment.end <= midnights[day + 1]
        assert not covered_seconds([(segment.start, segment.end)]) & out, segment


@settings(max_examples=400)
@given(recorded_st, manual_st, excluded_st, precedence_st, midnights_st)
def test_an_exclusion_takes_seconds_away_but_gives_none_to_another_source_or_label(
    spans: list[Span],
    manual: list[Span],
    excluded: list[tuple[int, int]],
    precedence: list[str],
    midnights: list[int],
) -> None:
    """Each second left is given as if nothing were excluded: to the best source covering
    it and, within that source, to the span that really started last (an exclusion through
    the middle of a span does not make its rest start later)."""
    everything = [*spans, *manual]
    covered = cells(everything, midnights[0], midnights[-1])
    corrected = owners(count_once(everything, precedence, midnights, SOURCES, excluded=excluded).segments)
    for second, owner in corrected.items():
        assert owner in covered[second].winners(precedence), (second, owner)
    untouched = owners(count_once(everything, precedence, midnights, SOURCES).segments)
    assert corrected == {second: owner for second, owner in untouched.items() if second in corrected}


@settings(max_examples=400)
@given(recorded_st, manual_st, excluded_st, precedence_st, midnights_st)
def test_corrections_change_only_what_they_cover_and_removing_them_restores_every_figure(
    spans: list[Span],
    manual: list[Span],
    excluded: list[tuple[int, int]],
    precedence: list[str],
    midnights: list[int],
) -> None:
    original = count_once(spans, precedence, midnights, SOURCES)
    corrected = count_once([*spans, *manual], precedence, midnights, SOURCES, excluded=excluded)
    out = excluded_seconds(excluded)
    recorded = set(cells(spans, midnights[0], midnights[-1]))
    by_hand = set(cells(manual, midnights[0], midnights[-1]))
    # By how much the corrections change each day: what was added by hand where nothing was
    # recorded, less what was recorded and is now excluded (what a day's corrected_seconds says).
    change = [
        added - taken
        for added, taken in zip(
            per_day(by_hand - recorded - out, midnights), per_day(recorded & out, midnights), strict=True
        )
    ]
    assert [after - before for after, before in zip(corrected.tracked, original.tracked, strict=True)] == change
    for source in RECORDED:
        own = set(cells([span for span in spans if span.source == source], midnights[0], midnights[-1]))
        assert corrected.by_source[source] == per_day(own - out, midnights)
    # Away from the corrections, every second keeps its source and label.
    before, after = owners(original.segments), owners(corrected.segments)
    assert {s: o for s, o in after.items() if s not in by_hand} == {
        s: o for s, o in before.items() if s not in by_hand | out
    }
    # Every entry and exclusion taken away again: the figures are the original ones, exactly.
    restored = count_once(spans, precedence, midnights, SOURCES, excluded=[])
    assert (restored.tracked, restored.by_source, restored.segments) == (
        original.tracked,
        original.by_source,
        original.segments,
    )


@settings(max_examples=300)
@given(recorded_st, manual_st, excluded_st, st.permutations(DEFAULT_PRECEDENCE), midnights_st)
def test_an_exclusion_gives_the_same_figures_when_a_source_is_counted_in_the_database(
    spans: list[Span],
    manual: list[Span],
    excluded: list[tuple[int, int]],
    precedence: list[str],
    midnights: list[int],
) -> None:
    """ActivityWatch sends its whole time as a union and, as spans, only what the sources
    before it leave free: with exclusions the figures are still those of all its spans."""
    everything = [*spans, *manual]
    source = "activitywatch"
    better = set(precedence[: precedence.index(source)])
    covered = merged((span.start, span.end) for span in everything if span.source in better)
    own = [span for span in everything if span.source == source and span.end > span.start]
    free = [Span(start, end, source, span.label) for span in own for start, end in _free(span.start, span.end, covered)]
    others = [span for span in everything if span.source != source]
    whole = count_once(everything, precedence, midnights, SOURCES, excluded=excluded)
    union = {source: merged((s.start, s.end) for s in own)}
    split = count_once([*others, *free], precedence, midnights, SOURCES, union, excluded=excluded)
    assert split.tracked == whole.tracked
    assert split.by_source == whole.by_source
    assert [(d, s.start, s.end, s.source) for d, s in split.segments if s.source != source] == [
        (d, s.start, s.end, s.source) for d, s in whole.segments if s.source != source
    ]


def test_an_exclusion_through_two_tags_leaves_the_rest_to_the_one_tapped_last() -> None:
    """Office was tapped at 180 while Apollo was in; five seconds from 195 are excluded.
    From 200 Office still has the time until it ends: it started last, at 180, whatever
    the exclusion (cut at 200, both would seem to start there, and the label decide)."""
    spans = [Span(0, 480, "nfc", "Apollo"), Span(180, 270, "nfc", "Office")]
    counted = count_once(spans, DEFAULT_PRECEDENCE, [0, 1440], DEFAULT_PRECEDENCE, excluded=[(195, 200)])
    assert [segment for _, segment in counted.segments] == [
        Span(0, 180, "nfc", "Apollo"),
        Span(180, 195, "nfc", "Office"),
        Span(200, 270, "nfc", "Office"),
        Span(270, 480, "nfc", "Apollo"),
    ]
    assert counted.tracked == [475] and counted.by_source["nfc"] == [475]


def test_time_added_by_hand_comes_first_and_an_exclusion_removes_it_too() -> None:
    spans = [Span(0, 100, "nfc", "Office"), Span(40, 60, MANUAL, "Review"), Span(90, 120, MANUAL, "Call")]
    counted = count_once(spans, DEFAULT_PRECEDENCE, [0, 200], DEFAULT_PRECEDENCE, excluded=[(50, 95)])
    assert [segment for _, segment in counted.segments] == [
        Span(0, 40, "nfc", "Office"),
        Span(40, 50, MANUAL, "Review"),
        Span(95, 120, MANUAL, "Call"),
    ]
    assert counted.tracked == [75]
    assert (counted.by_source[MANUAL], counted.by_source["nfc"]) == ([35], [55])


# -- hand examples ---------------------------------------------------------------------------

DEFAULT = ["timer", "wakatime", "activitywatch", "nfc"]


def test_touching_spans_of_one_source_and_label_merge_and_others_do_not() -> None:
    spans = [
        Span(0, 10, "nfc", "Office"),
        Span(10, 20, "nfc", "Office"),  # touches: one segment
        Span(20, 30, "activitywatch", "Office"),  # same label, another source: its own
        Span(30, 40, "activitywatch", "Code"),
    ]
    assert attribute(spans, DEFAULT) == [
        Span(0, 20, "nfc", "Office"),
        Span(20, 30, "activitywatch", "Office"),
        Span(30, 40, "activitywatch", "Code"),
    ]


def test_a_higher_source_interrupts_and_the_lower_one_resumes_with_its_label() -> None:
    spans = [Span(0, 30, "nfc", "Office"), Span(10, 20, "timer", "timer work")]
    assert attribute(spans, DEFAULT) == [
        Span(0, 10, "nfc", "Office"),
        Span(10, 20, "timer", "timer work"),
        Span(20, 30, "nfc", "Office"),
    ]
    assert attribute(spans, ["nfc", "timer"]) == [Span(0, 30, "nfc", "Office")]


def test_within_a_source_the_span_that_started_last_wins() -> None:
    # Two tags at once: Apollo was tapped while Office was in; Office has the time again after.
    spans = [Span(0, 100, "nfc", "Office"), Span(20, 50, "nfc", "Apollo"), Span(40, 60, "nfc", "Office")]
    assert attribute(spans, DEFAULT) == [
        Span(0, 20, "nfc", "Office"),
        Span(20, 40, "nfc", "Apollo"),
        Span(40, 100, "nfc", "Office"),  # the later Office tap started last; then the first one
    ]
    counted = count_once(spans, DEFAULT, [0, 100], DEFAULT)
    assert counted.tracked == [100] and counted.by_source == {
        "timer": [0],
        "wakatime": [0],
        "activitywatch": [0],
        "nfc": [100],
    }


def test_a_span_begun_before_the_range_keeps_its_real_start() -> None:
    # Office was tapped after Apollo, both before the range starts at 50: Office still has
    # the time inside the range (it started last), whatever the labels' alphabetical order.
    spans = [Span(0, 100, "nfc", "Apollo"), Span(10, 100, "nfc", "Office")]
    assert count_once(spans, DEFAULT, [50, 100], DEFAULT).segments == [(0, Span(50, 100, "nfc", "Office"))]
    assert count_once(spans, DEFAULT, [0, 50, 100], DEFAULT).segments == [
        (0, Span(0, 10, "nfc", "Apollo")),
        (0, Span(10, 50, "nfc", "Office")),
        (1, Span(50, 100, "nfc", "Office")),
    ]


def test_a_source_missing_from_the_precedence_comes_after_the_named_ones() -> None:
    spans = [Span(0, 10, "toggl", "x"), Span(5, 15, "nfc", "Office")]
    assert attribute(spans, DEFAULT) == [Span(0, 5, "toggl", "x"), Span(5, 15, "nfc", "Office")]


def test_empty_and_reversed_spans_hold_no_time() -> None:
    assert attribute([Span(5, 5, "nfc", "a"), Span(9, 3, "timer", "b")], DEFAULT) == []
    assert merged([(5, 5), (9, 3)]) == []
    counted = count_once([Span(5, 5, "nfc", "a")], DEFAULT, [0, 10, 20], DEFAULT)
    assert counted.tracked == [0, 0] and counted.segments == []


def test_a_segment_across_midnight_is_cut_there_and_counts_on_both_days() -> None:
    timeline = attribute([Span(80, 130, "timer", "timer work")], DEFAULT)
    assert cut_at_midnights(timeline, [0, 100, 200]) == [
        (0, Span(80, 100, "timer", "timer work")),
        (1, Span(100, 130, "timer", "timer work")),
    ]
    counted = count_once([Span(-50, 130, "nfc", "Office")], DEFAULT, [0, 100, 200], DEFAULT)
    assert counted.tracked == [100, 30]  # clipped to the window
    assert [day for day, _ in counted.segments] == [0, 1]


def test_ordered_precedence_with_unknown_repeated_and_missing_names() -> None:
    assert ordered_precedence([], DEFAULT_PRECEDENCE) == DEFAULT_PRECEDENCE
    # A source the person has not placed goes above those the default puts below it: time
    # added by hand comes first for someone who ordered the others before it existed.
    assert ordered_precedence(["nfc", "toggl", "timer", "nfc"], DEFAULT_PRECEDENCE) == [
        "manual",
        "imported",
        "wakatime",
        "activitywatch",
        "nfc",
        "timer",
    ]
    assert ordered_precedence(["timer", "wakatime", "activitywatch", "nfc"], DEFAULT_PRECEDENCE) == DEFAULT_PRECEDENCE
    assert ordered_precedence(["toggl", "Timer"], DEFAULT_PRECEDENCE) == DEFAULT_PRECEDENCE
    assert ordered_precedence(list(reversed(DEFAULT_PRECEDENCE)), DEFAULT_PRECEDENCE) == list(
        reversed(DEFAULT_PRECEDENCE)
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2025, 3, 30), 23), (date(2025, 10, 26), 25), (date(2025, 4, 11), 24)],
)
def test_local_midnights_make_days_as_long_as_they_really_are(day: date, hours: int) -> None:
    first, after = local_midnights(day, day, ZoneInfo("Europe/Berlin"))
    assert (after - first).total_seconds() == hours * 3600
    counted = count_once([Span(0, 4e9, "nfc", "Office")], DEFAULT, [first.timestamp(), after.timestamp()], DEFAULT)
    assert counted.tracked == [hours * 3600]


@given(spans_st, precedence_st, midnights_st, st.sampled_from(DEFAULT_PRECEDENCE))
@settings(max_examples=300)
def test_a_source_counted_in_the_database_gives_the_same_totals(
    spans: list[Span], precedence: list[str], midnights: list[int], source: str
) -> None:
    """A source may send its whole time as a union and, as spans, only what better sources
    leave free (as ActivityWatch does from the database): every total stays the same, and
    each second is still given to the best source covering it."""
    order = ordered_precedence(precedence, DEFAULT_PRECEDENCE)
    better = set(order[: order.index(source)])
    covered = merged((span.start, span.end) for span in spans if span.source in better)
    own = [span for span in spans if span.source == source and span.end > span.start]
    free = [Span(start, end, source, span.label) for span in own for start, end in _free(span.start, span.end, covered)]
    others = [span for span in spans if span.source != source]
    whole = count_once(spans, order, midnights, SOURCES)
    split = count_once([*others, *free], order, midnights, SOURCES, {source: merged((s.start, s.end) for s in own)})
    assert split.tracked == whole.tracked
    assert split.by_source == whole.by_source
    assert [(d, s.start, s.end, s.source) for d, s in split.segments if s.source != source] == [
        (d, s.start, s.end, s.source) for d, s in whole.segments if s.source != source
    ]


def _free(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) that `covered` leaves free."""
    parts, cursor = [], start
    for first, last in covered:
        if last <= cursor or first >= end:
            continue
        if first > cursor:
            parts.append((cursor, first))
        cursor = max(cursor, last)
    if cursor < end:
        parts.append((cursor, end))
    return parts
