"""A table's changes reach its changelog once per key and batch, with the key's last value."""

from __future__ import annotations

from typing import Any

import pytest

from streams.runtime.context import Sitrep
from streams.runtime.stages.batched_state import BatchedState


async def test_each_key_written_in_a_batch_is_sent_once_with_its_last_value(
    sitrep: Sitrep, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = sitrep.tables["claims"]  # partitions by key: writable outside an event
    sent: list[tuple[Any, Any]] = []
    monkeypatch.setattr(table, "send_changelog", lambda partition, key, value: sent.append((key, value)))
    state = BatchedState(table)

    state["c-1"] = {"corroboration": 1}
    state["c-1"] = {"corroboration": 2}
    state["c-2"] = {"corroboration": 1}
    assert state.get("c-1") == {"corroboration": 2}  # reads see the batch's writes at once
    assert sent == []

    await state.flush()
    assert sent == [("c-1", {"corroboration": 2}), ("c-2", {"corroboration": 1})]
    await state.flush()
    assert len(sent) == 2  # nothing written since


async def test_a_key_deleted_mid_batch_gets_the_batch_value_in_table_and_changelog_alike(
    sitrep: Sitrep, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = sitrep.tables["claims"]
    sent: list[Any] = []
    monkeypatch.setattr(table, "send_changelog", lambda partition, key, value: sent.append((key, value)))
    state = BatchedState(table)
    table.data["c-1"] = {"corroboration": 1}
    state["c-1"] = {"corroboration": 2}
    assert table.data["c-1"] == {"corroboration": 1}  # the store sees the batch's writes at its flush
    del table.data["c-1"]  # as the expiry timer does between two events of a batch (its tombstone sent)
    await state.flush()
    assert sent == [("c-1", {"corroboration": 2})]  # after the tombstone: the changelog ends as the table
    assert table.data["c-1"] == {"corroboration": 2}
