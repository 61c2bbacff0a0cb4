"""A table write waits until the producer knows the changelog's partitions, instead of crashing the agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from faust.exceptions import NotReady

from streams.runtime.reliability.changelogs import ChangelogPartitions


@dataclass
class FakeCluster:
    partitions: dict[str, set[int]] = field(default_factory=dict)

    def partitions_for_topic(self, topic: str) -> set[int] | None:
        return self.partitions.get(topic)


@dataclass
class FakeClient:
    cluster: FakeCluster = field(default_factory=FakeCluster)
    topics: set[str] = field(default_factory=set)

    def add_topic(self, topic: str) -> None:
        self.topics.add(topic)


@dataclass
class FakeAioProducer:
    """Like aiokafka's producer while a broker restarts: the metadata comes back after `failures` asks."""

    client: FakeClient = field(default_factory=FakeClient)
    failures: int = 0
    asked: int = 0

    async def partitions_for(self, topic: str) -> set[int]:
        self.asked += 1
        if self.failures:
            self.failures -= 1
            raise TimeoutError("no metadata")
        self.client.cluster.partitions[topic] = {0, 1, 2, 3}
        return self.client.cluster.partitions[topic]


@dataclass
class FakeFaustProducer:
    producer: FakeAioProducer | None

    def _ensure_producer(self) -> FakeAioProducer:
        if self.producer is None:
            raise NotReady("Producer service not yet started")
        return self.producer


@dataclass
class FakeTopic:
    name: str

    def get_topic_name(self) -> str:
        return self.name


@dataclass
class FakeTable:
    changelog_topic: FakeTopic


@dataclass
class FakeApp:
    producer: FakeFaustProducer


def changelogs(producer: FakeAioProducer | None) -> ChangelogPartitions:
    app: Any = FakeApp(FakeFaustProducer(producer))
    return ChangelogPartitions(app, [FakeTable(FakeTopic("claims-changelog"))], retry_seconds=0.01)


async def test_known_partitions_cost_no_request_and_the_topic_is_tracked() -> None:
    producer = FakeAioProducer()
    producer.client.cluster.partitions["claims-changelog"] = {0, 1}
    guard = changelogs(producer)
    await guard.ready()
    assert producer.asked == 0 and guard.waits == 0
    assert producer.client.topics == {"claims-changelog"}  # refreshed with the producer's metadata


async def test_unknown_partitions_are_asked_for_until_the_broker_answers() -> None:
    producer = FakeAioProducer(failures=3)
    guard = changelogs(producer)
    await guard.ready()
    assert producer.asked == 4
    assert producer.client.cluster.partitions_for_topic("claims-changelog") == {0, 1, 2, 3}


async def test_without_a_producer_there_is_nothing_to_wait_for() -> None:
    await changelogs(None).ready()
