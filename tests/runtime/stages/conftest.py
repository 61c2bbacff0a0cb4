"""The worker's app under Faust's test context, its output topics recording what each stage sends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiokafka.partitioner import DefaultPartitioner
from faust.types import TP

from streams.config import Settings
from streams.runtime.app import create_app
from streams.runtime.context import Sitrep
from tests.fake_topics import FakeTopic


@pytest.fixture
async def sitrep(tmp_path: Any) -> AsyncIterator[Sitrep]:
    sitrep = create_app(Settings(data_dir=tmp_path))
    sitrep.app.conf.store = "memory://"
    sitrep.app.finalize()
    sitrep.app.flow_control.resume()
    sitrep.outputs = {name: FakeTopic() for name in sitrep.outputs}
    # No producer runs here; tables that partition by key ask it for the partition.
    partitioner = DefaultPartitioner()
    partitions = list(range(sitrep.settings.topic_partitions))
    sitrep.app.producer.key_partition = lambda topic, key: TP(topic, partitioner(key, partitions, partitions))
    yield sitrep


async def stored(table: Any, key: Any, until: Callable[[Any], bool] = bool, timeout: float = 5.0) -> Any:
    """The table's value for `key` once the stage's batch that wrote it has ended (its flush) and the
    value meets `until`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while key not in table or not until(table[key]):
        assert asyncio.get_running_loop().time() < deadline, f"{key!r} not stored in {timeout} s"
        await asyncio.sleep(0.01)  # poll: the batch ends after its linger
    return table[key]
