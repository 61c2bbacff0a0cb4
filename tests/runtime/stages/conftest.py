"""The worker's app under Faust's test context, its output topics recording what each stage sends."""

from __future__ import annotations

from collections.abc import AsyncIterator
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
