"""Events by category and actor in 5-minute buckets of event time, kept in the worker's memory.

GET /stats reads them. They were a windowed Faust table, which wrote one changelog message per
event (issue 15: messages per article); stats are an approximate view, not state an alert
depends on, so they stay out of the changelog: a restarted worker counts again from its start.
"""

from __future__ import annotations

from collections import defaultdict

BUCKET_SECONDS = 300  # the last hour is 12 buckets, the last day 288
KEEP_SECONDS = 25 * 3600  # a day, and an hour of events that arrive late
SPANS = (("last_hour", 3600), ("last_day", 86400))


class EventCounts:
    """Counts per (category|actor key, bucket start); buckets older than `keep_seconds` are dropped."""

    def __init__(self, bucket_seconds: int = BUCKET_SECONDS, keep_seconds: int = KEEP_SECONDS) -> None:
        self.bucket_seconds = bucket_seconds
        self.keep_seconds = keep_seconds
        self.buckets: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._newest = 0

    def add(self, category: str, actor: str | None, at: float) -> None:
        """Count one event of `category` by `actor` at event time `at` (seconds)."""
        start = int(at // self.bucket_seconds) * self.bucket_seconds
        if start < self._newest - self.keep_seconds:
            return  # older than anything kept
        self.buckets[start][f"{category}|{actor or '-'}"] += 1
        if start > self._newest:
            self._newest = start
            self._expire()

    def _expire(self) -> None:
        for start in [s for s in self.buckets if s < self._newest - self.keep_seconds]:
            del self.buckets[start]

    def spans(self, now: float) -> dict[str, dict[str, dict[str, int]]]:
        """Events by category and actor in the buckets that end within the last hour and the last day."""
        out: dict[str, dict[str, dict[str, int]]] = {span: defaultdict(dict) for span, _ in SPANS}
        for start, counts in list(self.buckets.items()):
            end = start + self.bucket_seconds
            for span, seconds in SPANS:
                if end > now - seconds:
                    for key, value in counts.items():
                        category, _, actor = key.partition("|")
                        per_actor = out[span][category]
                        per_actor[actor] = per_actor.get(actor, 0) + value
        return {span: dict(by_category) for span, by_category in out.items()}
