"""GET /stats' counts: buckets of event time, the last hour and day, old buckets dropped."""

from __future__ import annotations

from streams.domain.event_counts import EventCounts

NOW = 1_750_000_000.0


def test_counts_by_category_and_actor_within_each_span() -> None:
    counts = EventCounts()
    counts.add("deployment", "Russia", NOW - 60)
    counts.add("deployment", "Russia", NOW - 30)
    counts.add("supply", None, NOW - 2 * 3600)  # in the last day only

    spans = counts.spans(NOW)

    assert spans["last_hour"] == {"deployment": {"Russia": 2}}
    assert spans["last_day"] == {"deployment": {"Russia": 2}, "supply": {"-": 1}}


def test_buckets_older_than_the_kept_span_are_dropped_as_event_time_moves_on() -> None:
    counts = EventCounts(bucket_seconds=300, keep_seconds=3600)
    counts.add("casualty", "Ukraine", NOW - 7200)
    counts.add("casualty", "Ukraine", NOW)

    assert len(counts.buckets) == 1  # the old bucket went when a newer one started
    counts.add("casualty", "Ukraine", NOW - 7200)  # late beyond what is kept: not counted
    assert counts.spans(NOW)["last_day"] == {"casualty": {"Ukraine": 1}}
