"""Claims in RocksDB expire a slice per tick, in event time, never early, with a tombstone each."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from streams.config import Settings
from streams.domain.claims import claim_partition
from streams.runtime.app import create_app
from streams.runtime.stages.claim_expiry import ClaimExpiry, expires_by_slice
from streams.runtime.state_store import write_local

RETENTION = 100.0


@pytest.fixture
def claims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[Any]]:
    """The claims table in RocksDB with c-0..c-29 last seen at 0, 10, ... 290 s; its tombstones."""
    sitrep = create_app(Settings(data_dir=tmp_path))
    table = sitrep.tables["claims"]
    for number in range(30):
        claim = f"c-{number}"
        state = {
            "first_seen": 0.0,
            "last_seen": number * 10.0,
            "articles": {},
            "outlets": [],
            "corroboration": 1,
        }
        write_local(table, claim_partition(claim, 4), claim, state)
    topic = table.changelog_topic.get_topic_name()
    actives = {TP(topic, partition) for partition in range(4)}
    monkeypatch.setattr(sitrep.app.assignor, "assigned_actives", lambda: actives)
    tombstones: list[Any] = []

    def send_changelog(partition: Any, key: Any, value: Any, **_: Any) -> Any:
        tombstones.append((key, value))
        return SimpleNamespace(message=SimpleNamespace(partition=0))

    monkeypatch.setattr(table, "send_changelog", send_changelog)
    return table, tombstones


def test_claims_expire_a_slice_per_tick_and_never_early(claims: tuple[Any, list[Any]]) -> None:
    table, tombstones = claims
    assert expires_by_slice(table)
    expiry = ClaimExpiry(table, RETENTION, keys_per_tick=8)  # 2 claims per partition and tick
    first = expiry.tick()
    assert first <= 8
    expired = first
    for _ in range(20):  # two passes over 30 claims at 8 a tick are 8 ticks
        expired += expiry.tick()
    # The newest claim was seen at 290 s: those seen before 190 s are past the retention.
    assert expired == 19
    assert sorted(key for key, _ in tombstones) == sorted(f"c-{n}" for n in range(19))
    assert all(value is None for _, value in tombstones)
    left = {f"c-{n}" for n in range(30) if f"c-{n}" in table}
    assert left == {f"c-{n}" for n in range(19, 30)}


def test_only_the_partitions_served_here_are_swept(
    claims: tuple[Any, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    table, tombstones = claims
    monkeypatch.setattr(table.app.assignor, "assigned_actives", set)  # standbys only
    expiry = ClaimExpiry(table, RETENTION)
    assert expiry.tick() == 0 and tombstones == []
