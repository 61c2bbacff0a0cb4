"""The one error policy of every stage: a message a stage cannot process is dead-lettered with the
stage and a reason code, counted in sitrep_stage_failures_total{stage, reason}, and told in one log
line; never only logged and dropped. The classify stage's dead letters come out of
domain/enrichment.py with its outputs; the claims and alerts stages send theirs here."""

from __future__ import annotations

import logging
from typing import Any

from streams.contracts.records import Rejected, dead_letter_record, dumps, utc_now
from streams.runtime.context import Sitrep
from streams.runtime.observability.metrics import Metrics
from streams.runtime.reliability.acking import Deliveries

log = logging.getLogger("sitrep.agent")


async def dead_letter(
    sitrep: Sitrep, deliveries: Deliveries, stage: str, rejected: Rejected, message: Any
) -> None:
    """Send `message` (a Faust message of the stage's input) to the dead-letter topic, acked with it."""
    record = dead_letter_record(
        rejected,
        message.value,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        failed_at=utc_now(),
        stage=stage,
    )
    await deliveries.send(sitrep.output_topic(sitrep.names.deadletter), key=message.key, value=dumps(record))
    count_failure(sitrep.metrics, stage, rejected)
    tell_failure(stage, rejected, message.topic, message.partition, message.offset)


def count_failure(metrics: Metrics, stage: str, rejected: Rejected) -> None:
    metrics.stage_failures.labels(stage=stage, reason=rejected.reason).inc()


def tell_failure(
    stage: str, rejected: Rejected, topic: str, partition: int | None, offset: int | None
) -> None:
    log.warning(
        "dead-lettered a message",
        extra={
            "event": "dead_letter",
            "stage": stage,
            "reason": rejected.reason,
            "error": rejected.error,
            "topic": topic,
            "partition": partition,
            "offset": offset,
        },
    )
