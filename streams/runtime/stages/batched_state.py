"""A Faust table whose changes reach its changelog, and its local store, once per batch.

`table[key] = value` sends one changelog message per write; a stage that folds many events into
one key (a rule's window, a corroborated claim) sent the same key many times per batch (issue 15:
messages per article). Writes here are kept beside the table, so reads see them at once, and each
changed key is written to the store and sent to the changelog once, with its last value, when the
stage's batch ends (`flush`, the `end_batch` of reliability/acking.each_event), before the batch's
inputs may be acked. A batch cut short (SIGTERM mid-batch) thus leaves neither the on-disk store
nor the changelog with state whose inputs will be read again (runtime/state_store.py).
"""

from __future__ import annotations

from typing import Any

from faust.streams import current_event

from streams.runtime.reliability.changelogs import ChangelogPartitions
from streams.runtime.state_store import write_local


class BatchedState:
    """Reads and writes of `table`; `flush` stores and sends each key written since the last flush once."""

    def __init__(self, table: Any, changelog: ChangelogPartitions | None = None) -> None:
        self.table = table
        self.changelog = changelog  # a table that partitions by key needs its partitions known
        # key -> (changelog partition, None: by key; store partition, None: Faust's choice)
        self._dirty: dict[Any, tuple[int | None, int | None]] = {}
        self._values: dict[Any, Any] = {}
        self.sent = 0

    def get(self, key: Any) -> Any:
        if key in self._values:
            return self._values[key]
        return self.table.get(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        """Keep the write until the flush; the partitions are Faust's, taken now (the current event's)."""
        event = current_event()
        self._dirty[key] = (
            self.table.partition_for_key(key),
            None if event is None else event.message.partition,
        )
        self._values[key] = value

    async def flush(self) -> None:
        """Store and send every key written since the last flush, with its last value."""
        if not self._dirty:
            return
        if self.changelog is not None:
            await self.changelog.ready()  # then nothing is awaited until every key is handed over
        dirty, values = self._dirty, self._values
        self._dirty, self._values = {}, {}
        for key, (changelog_partition, store_partition) in dirty.items():
            write_local(self.table, store_partition, key, values[key])
            self.table.send_changelog(changelog_partition, key, values[key])
            self.sent += 1
