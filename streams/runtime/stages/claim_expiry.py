"""Expiry of claims kept in RocksDB: a slice of the table per tick, never a pass over all of it.

`domain.claims.expire_old_claims` reads the whole table at each sweep. In memory that is a walk over
dicts; through Faust's RocksDB store it read and decoded every claim (15 s for 200,000 claims here),
every `SITREP_CLAIM_SWEEP_SECONDS`, with the event loop blocked: with a million claims the worker
would do nothing else. Here each tick reads at most `keys_per_tick` raw claims, resuming where the
last tick stopped in each partition's database, so a pass over a million claims takes 50 ticks of
about 0.1 s. Expiry runs on event time as before: a claim expires when the newest `last_seen` this
sweep has read is more than the retention after its own. Until a first pass is over that newest may
be too old, which only delays expiry, never expires a claim early.
"""

from __future__ import annotations

from typing import Any

import orjson
from faust.types import TP

KEYS_PER_TICK = 20_000


class ClaimExpiry:
    """Sweeps the claims table of a RocksDB store a slice at a time; `tick` returns claims deleted."""

    def __init__(self, table: Any, retention_seconds: float, keys_per_tick: int = KEYS_PER_TICK) -> None:
        self.table = table
        self.retention_seconds = retention_seconds
        self.keys_per_tick = keys_per_tick
        self.newest = 0.0  # the newest last_seen read so far (event time)
        self._resume: dict[int, bytes] = {}  # partition -> the key the next tick starts from

    def tick(self) -> int:
        partitions = self._active_databases()
        if not partitions:
            return 0
        budget = max(self.keys_per_tick // len(partitions), 1)
        stale: list[bytes] = []
        for partition, db in partitions.items():
            stale += self._slice(partition, db, budget)
        store = self.table.data
        for raw_key in stale:
            del self.table[store._decode_key(raw_key)]  # the store and a tombstone to the changelog
        return len(stale)

    def _slice(self, partition: int, db: Any, budget: int) -> list[bytes]:
        """Up to `budget` claims of one database from where the last tick stopped; the stale ones."""
        offset_key = self.table.data.offset_key
        cursor = db.iter()
        start = self._resume.pop(partition, None)
        if start is None:
            cursor.seek_to_first()
        else:
            cursor.seek(start)
        stale = []
        read = 0
        while cursor.valid() and read < budget:
            key = cursor.key()
            if key != offset_key:
                last_seen = float(orjson.loads(cursor.value())["last_seen"])
                self.newest = max(self.newest, last_seen)
                if self.newest - last_seen > self.retention_seconds:
                    stale.append(key)
                read += 1
            cursor.next()
        if cursor.valid():
            self._resume[partition] = cursor.key()  # else the next tick starts over
        return stale

    def _active_databases(self) -> dict[int, Any]:
        """The databases of the partitions this worker serves (not those it stands by for)."""
        store = self.table.data
        actives = self.table.app.assignor.assigned_actives()
        topic = self.table.changelog_topic.get_topic_name()
        return {p: db for p, db in list(store._dbs.items()) if TP(topic, p) in actives}


def expires_by_slice(table: Any) -> bool:
    """True when the table's store is RocksDB (its databases are read a slice at a time)."""
    return hasattr(table.data, "_dbs_for_actives")
