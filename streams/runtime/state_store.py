"""Where the worker's tables (claims, alert state) live: RocksDB on local disk, or memory.

With memory, a restarted worker reads each table's whole changelog before it is ready (issue 15:
30.9 s for 78,577 claims, about 2,900 a second, and RSS that grows with them). Faust's RocksDB store
(through rocksdict) keeps the state on disk and, in each partition's database, the changelog offset
it holds (written when the broker acknowledges a changelog send, or when recovery applies a batch),
so a restart reads only the changelog's tail. Its memory is bounded by the options below per
partition database, whatever the number of claims.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

from streams.config import ENV_NAMES, MIB, ConfigError, Settings

URLS = {"rocksdb": "rocksdb://", "memory": "memory://"}

# Per partition database (one for each table partition held here, standbys included). Faust's
# defaults (a 2 GiB block cache, three 64 MiB write buffers) are sized for a host of its own.
ROCKSDB_OPTIONS: dict[str, int] = {
    "write_buffer_size": 4 * MIB,
    "max_write_buffer_number": 2,
    "target_file_size_base": 16 * MIB,
    "block_cache_size": 8 * MIB,
}


def store_url(settings: Settings) -> str:
    return URLS[settings.state_store]


def table_dir(settings: Settings) -> Path:
    """The tables' files, one folder per app id: two prefixes may share SITREP_DATA_DIR, but never a
    database (its stored changelog offsets belong to one app's topics)."""
    return settings.data_dir / "tables" / settings.app_id


def table_options(settings: Settings) -> dict[str, Any] | None:
    """A table's store options; a fresh dict each call, as Faust's store pops keys from it."""
    return dict(ROCKSDB_OPTIONS) if settings.state_store == "rocksdb" else None


# Up to this many keys per partition (RocksDB's estimate) a count reads every key (about 5 ms); above, the
# estimate stands, which counts a key written twice since the last compaction twice.
EXACT_COUNT_UP_TO = 10_000


def tracked_keys(table: Any) -> int:
    """Keys in the partitions this worker serves, cheap enough for every scrape: Faust's len() of a
    RocksDB table decodes every key. In memory, the exact count."""
    store = table.data
    if not hasattr(store, "_dbs_for_actives"):
        return len(table)
    total = 0
    for db in store._dbs_for_actives():
        estimate = db.property_int_value("rocksdb.estimate-num-keys") or 0
        if estimate > EXACT_COUNT_UP_TO:
            total += estimate - 1  # Faust's stored offset is a key of its own
        else:
            # Rdict has no __iter__ (a for loop would call db[0]): keys() it is.
            total += sum(1 for key in db.keys() if key != store.offset_key)  # noqa: SIM118
    return total


def count_restored(counter: Any) -> Callable[[Any], Awaitable[None]]:
    """A table's `on_changelog_event`: Faust calls it for each changelog message it reads into the
    table (restore, and standby replication), so the counter shows what a restart read."""

    async def restored(event: Any) -> None:
        counter.inc()

    return restored


def write_local(table: Any, partition: int | None, key: Any, value: Any) -> None:
    """Write `key` to the table's store: into RocksDB's database of `partition` (the partition of the
    event that changed it, as Faust's own write picks), or through Faust's store when there is none."""
    store = table.data
    if partition is None or not hasattr(store, "_db_for_partition"):
        store[key] = value
        return
    raw_key = store._encode_key(key)
    store._db_for_partition(partition).put(raw_key, store._encode_value(value))
    store._key_index[raw_key] = partition  # Faust's key -> partition cache, as its own write keeps it


class LocalState:
    """The worker's table folder: one worker at a time, and kept across restarts only after a clean stop.

    RocksDB locks each partition database, and a second worker on the same folder would wait on those
    locks, then crash, long after it started: refused at start instead. A worker killed (kill -9, a
    lost host) may have stored state whose outputs never reached the broker; its inputs are read
    again, and a claim found in the store would count as a repeat and not be published. So the folder
    is kept only when the last worker stopped cleanly (it leaves a mark); otherwise it is emptied and
    the state restored from the changelogs, all of them, as with the memory store.
    """

    LOCK = "worker.lock"
    CLEAN = "stopped-cleanly"

    def __init__(self, settings: Settings) -> None:
        self.folder = table_dir(settings)
        self._lock: IO[bytes] | None = None

    def create(self) -> None:
        """The folder, which Faust expects to exist whatever the store (it creates only its last part)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"{ENV_NAMES['data_dir']}: cannot write the worker's state in {self.folder} "
                f"({exc.strerror or exc}); name a writable folder"
            ) from None

    def acquire(self) -> bool:
        """Lock the folder; empty it unless the last worker stopped cleanly. True: the state was kept."""
        name = ENV_NAMES["data_dir"]
        self.create()
        try:
            self._lock = (self.folder / self.LOCK).open("wb")
        except OSError as exc:
            raise ConfigError(
                f"{name}: cannot write the worker's state in {self.folder} ({exc.strerror or exc}); "
                "name a writable folder"
            ) from None
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise ConfigError(
                f"{name}: another worker of this app uses {self.folder}; give each worker on a host its "
                f"own {name}"
            ) from None
        clean = self.folder / self.CLEAN
        kept = clean.exists()
        clean.unlink(missing_ok=True)  # until this worker stops cleanly in turn
        if not kept:
            for path in self.folder.iterdir():
                if path.name != self.LOCK:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
        return kept

    def mark_clean(self) -> None:
        """After a clean stop: every stored write was sent to the changelogs and acknowledged."""
        (self.folder / self.CLEAN).touch()
