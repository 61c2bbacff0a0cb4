"""A Faust table whose changes reach its changelog once per batch, not once per write.

`table[key] = value` sends one changelog message per write; a stage that folds many events into
one key (a rule's window, a corroborated claim) sent the same key many times per batch (issue 15:
messages per article). Writes here change the table at once, so reads see them, and each changed
key is sent once, with its last value, when the stage's batch ends (`flush`, the `end_batch` of
reliability/acking.each_event), before the batch's inputs may be acked.
"""

from __future__ import annotations

from typing import Any

from streams.runtime.reliability.changelogs import ChangelogPartitions


class BatchedState:
    """Reads and writes of `table`; `flush` sends each key written since the last flush once."""

    def __init__(self, table: Any, changelog: ChangelogPartitions | None = None) -> None:
        self.table = table
        self.changelog = changelog  # a table that partitions by key needs its partitions known
        self._dirty: dict[Any, int | None] = {}  # key -> changelog partition (None: by key)
        self.sent = 0

    def get(self, key: Any) -> Any:
        return self.table.get(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        """Change the table now; the changelog partition is Faust's (the current event's, or by key)."""
        self._dirty[key] = self.table.partition_for_key(key)
        self.table.data[key] = value

    async def flush(self) -> None:
        """Send every key written since the last flush, with its current value, to the changelog."""
        if not self._dirty:
            return
        if self.changelog is not None:
            await self.changelog.ready()  # then nothing is awaited until every key is handed over
        dirty, self._dirty = self._dirty, {}
        data = self.table.data
        for key, partition in dirty.items():
            if key in data:  # else deleted since (expiry): its tombstone went out then
                self.table.send_changelog(partition, key, data[key])
                self.sent += 1
