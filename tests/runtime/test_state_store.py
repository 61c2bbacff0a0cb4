"""The tables' store: RocksDB by default, memory on request, standbys wired, one worker per folder,
kept only after a clean stop; writes reach the store of the partition that made them, at the flush."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from streams.config import ConfigError, Settings
from streams.runtime.app import create_app
from streams.runtime.stages.batched_state import BatchedState
from streams.runtime.state_store import ROCKSDB_OPTIONS, LocalState, tracked_keys, write_local


def test_rocksdb_is_the_default_store_under_the_data_dir_per_app_id(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path, topic_prefix="blue."))
    conf = sitrep.app.conf
    assert str(conf.store) == "rocksdb:"
    assert Path(conf.tabledir) == tmp_path / "tables" / "blue.sitrep"
    assert conf.table_standby_replicas == 1
    for table in sitrep.tables.values():
        options = table.data.rocksdb_options
        assert (options.block_cache_size, options.write_buffer_size) == (
            ROCKSDB_OPTIONS["block_cache_size"],
            ROCKSDB_OPTIONS["write_buffer_size"],
        )  # bounded, not Faust's 2 GiB cache per partition


def test_the_memory_store_and_the_standby_count_are_settings(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"SITREP_DATA_DIR": str(tmp_path), "SITREP_STATE_STORE": "memory", "SITREP_STANDBY_REPLICAS": "0"}
    )
    conf = create_app(settings).app.conf
    assert (str(conf.store), conf.table_standby_replicas) == ("memory:", 0)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("SITREP_STATE_STORE", "redis", "SITREP_STATE_STORE='redis' is not one of rocksdb, memory"),
        ("SITREP_STANDBY_REPLICAS", "-1", "SITREP_STANDBY_REPLICAS='-1' must not be negative"),
    ],
)
def test_a_bad_store_setting_is_refused_naming_the_variable(variable: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match="^" + says.replace("(", r"\(")):
        Settings.from_env({variable: value})


def test_one_worker_per_folder_and_the_state_kept_only_after_a_clean_stop(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = LocalState(settings)
    assert first.acquire() is False  # nothing to keep yet
    stored = first.folder / "claims-0.db"
    stored.mkdir()
    with pytest.raises(ConfigError, match="another worker of this app uses"):
        LocalState(settings).acquire()
    first.mark_clean()
    del first  # the process ends: its lock goes with it
    after_clean = LocalState(settings)
    assert after_clean.acquire() is True and stored.exists()
    del after_clean  # ends without marking: as a kill -9
    after_kill = LocalState(settings)
    assert after_kill.acquire() is False and not stored.exists()


async def test_a_batch_reaches_rocksdb_at_its_flush_in_the_partition_of_its_event(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path))
    table = sitrep.tables["alert_state"]
    sent: list[tuple[Any, Any, Any]] = []
    table.send_changelog = lambda partition, key, value: sent.append((partition, key, value))
    state = BatchedState(table)
    state._dirty["rule|Iran"] = (2, 2)  # as __setitem__ records it inside an event of partition 2
    state._values["rule|Iran"] = {"fired": 1}
    store = table.data
    assert store._dbs == {}  # nothing stored before the flush
    await state.flush()
    assert sent == [(2, "rule|Iran", {"fired": 1})]
    assert list(store._dbs) == [2]
    assert store._dbs[2].get(store._encode_key("rule|Iran")) == store._encode_value({"fired": 1})
    assert table.get("rule|Iran") == {"fired": 1}  # read back through Faust (its key index)


def test_the_tracked_count_reads_rocksdb_without_faust_len(tmp_path: Path, monkeypatch: Any) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path))
    table = sitrep.tables["claims"]
    for number in range(30):
        write_local(table, number % 4, f"c-{number}", {"corroboration": 1})
    write_local(table, 0, "c-0", {"corroboration": 2})  # a key written twice counts once
    table.data.set_persisted_offset(type("TP", (), {"partition": 1})(), 7)  # Faust's offset key
    monkeypatch.setattr(table.data, "_dbs_for_actives", lambda: iter(table.data._dbs.values()))
    assert tracked_keys(table) == 30
