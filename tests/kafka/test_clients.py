"""Topic set-up rules in streams/kafka/clients.py that need no broker: min.insync.replicas, create errors,
the partition-count warning."""

from __future__ import annotations

import logging

import pytest

from streams.config import ConfigError
from streams.kafka.clients import (
    INVALID_REPLICATION_FACTOR,
    TOPIC_ALREADY_EXISTS,
    TopicSetupError,
    check_created,
    min_insync_replicas,
    new_topic,
    warn_partition_mismatch,
)


@pytest.mark.parametrize(("replicas", "in_sync"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 2)])
def test_min_insync_replicas_leaves_one_replica_to_lose(replicas: int, in_sync: int) -> None:
    assert min_insync_replicas(replicas) == in_sync


def test_new_topic_takes_the_brokers_default_or_a_count() -> None:
    default = new_topic("t", 4, -1, {})
    assert (default.num_partitions, default.replication_factor, default.replica_assignments) == (4, -1, {})
    three = new_topic("t", 4, 3, {"min.insync.replicas": "2"})
    assert three.replication_factor == 3 and three.topic_configs == {"min.insync.replicas": "2"}


def test_created_or_already_there_is_fine() -> None:
    check_created(
        [
            {"topic": "a", "error_code": 0, "error_message": None},
            {"topic": "b", "error_code": TOPIC_ALREADY_EXISTS, "error_message": "exists"},
        ],
        None,
    )


def test_too_many_replicas_is_one_line_naming_the_variable() -> None:
    reason = (
        "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be "
        "reached because only 1 broker(s) are registered."
    )
    with pytest.raises(TopicSetupError) as refused:
        check_created(
            [{"topic": "p.articles.raw", "error_code": INVALID_REPLICATION_FACTOR, "error_message": reason}],
            3,
        )
    message = str(refused.value)
    assert isinstance(refused.value, ConfigError)  # the CLI's one-line, exit-2 kind
    assert "SITREP_TOPIC_REPLICATION_FACTOR=3" in message and "only 1 broker(s)" in message
    assert "'p.articles.raw'" in message and "\n" not in message


def test_other_refusals_name_the_topic_and_the_reason() -> None:
    with pytest.raises(TopicSetupError, match="'x': Authorization failed"):
        check_created([{"topic": "x", "error_code": 29, "error_message": "Authorization failed."}], None)


def _described(counts: dict[str, int]) -> list[dict[str, object]]:
    return [
        {"topic": name, "error_code": 0, "partitions": [{"partition": p} for p in range(count)]}
        for name, count in counts.items()
    ]


def test_partition_mismatch_is_one_structured_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="sitrep.topics")
    warn_partition_mismatch(_described({"p.articles.raw": 2, "p.alerts": 4, "p.events.supply": 8}), 4)
    # Only this logger's: a broker-outage summary left by an earlier e2e test may flush here too.
    [record] = [r for r in caplog.records if r.name == "sitrep.topics"]
    assert record.levelname == "WARNING"
    assert record.__dict__["event"] == "topic_partitions_differ"
    assert record.__dict__["configured"] == 4
    assert record.__dict__["topics"] == {"p.articles.raw": 2, "p.events.supply": 8}


def test_matching_partitions_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sitrep.topics")
    warn_partition_mismatch(_described({"p.articles.raw": 4, "p.alerts": 4}), 4)
    assert [r for r in caplog.records if r.name == "sitrep.topics"] == []
