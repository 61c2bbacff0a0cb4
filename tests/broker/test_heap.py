"""The broker's heap: Kafka's 1 GiB default, or KAFKA_HEAP_OPTS as Kafka's own start script reads it."""

from __future__ import annotations

from streams.broker.process import heap_options


def test_the_default_heap_is_kafkas() -> None:
    assert heap_options({}) == ["-Xms256m", "-Xmx1g"]
    assert heap_options({"KAFKA_HEAP_OPTS": "  "}) == ["-Xms256m", "-Xmx1g"]


def test_kafka_heap_opts_overrides_it() -> None:
    assert heap_options({"KAFKA_HEAP_OPTS": "-Xms1g -Xmx4g"}) == ["-Xms1g", "-Xmx4g"]
