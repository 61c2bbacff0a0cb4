"""One timestamp format in every message Sitrep publishes: ISO-8601 in UTC, milliseconds, `Z`.

Consumers parse one shape (`2024-05-01T12:00:00.000Z`) whichever topic it came from; the schemas
pin it with PATTERN. An article's own `published_at` is the feed's, passed through as sent.
"""

from __future__ import annotations

from datetime import UTC, datetime

PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


def utc_iso(moment: datetime | float) -> str:
    """A moment (an aware datetime, or seconds since the epoch) as the published timestamp."""
    when = moment if isinstance(moment, datetime) else datetime.fromtimestamp(moment, UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
