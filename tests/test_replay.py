"""Replay's date parsing, without a broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from streams.replay import parse_when


def test_dates_and_times_parse_to_aware_utc() -> None:
    assert parse_when("2024-02-03") == datetime(2024, 2, 3, tzinfo=UTC)
    assert parse_when("2024-02-03T04:05:06Z") == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert parse_when("2024-02-03T04:05:06+02:00") == datetime(
        2024, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2))
    )
