"""Consumer lag per partition (end offset minus committed offset), measured on a timer.

Faust's own Prometheus sensor has no lag metric; operators need it most of all.
"""

from __future__ import annotations

from typing import Any

from streams.runtime.observability.metrics import Metrics


async def update_lag(app: Any, metrics: Metrics, inputs: set[str]) -> dict[tuple[str, int], int]:
    """Ask the broker for end offsets of our assigned input partitions and set the lag gauges.

    Only the topics the agents consume count: Faust also assigns table changelogs (read at
    recovery, never committed), whose "lag" would be noise.
    """
    consumer = app.consumer
    assigned = [tp for tp in consumer.assignment() if tp.topic in inputs]
    metrics.in_flight.set(len(getattr(consumer, "_unacked_messages", ())))
    metrics.assigned_partitions.set(len(assigned))
    if not assigned:
        metrics.consumer_lag.clear()
        return {}
    ends = await consumer.highwaters(*assigned)
    committed = dict(getattr(consumer, "_committed_offset", {}))
    never = [tp for tp in assigned if committed.get(tp) is None]
    if never:  # nothing committed by this process yet: what we owe starts at the log's start
        committed.update(await consumer.earliest_offsets(*never))
    lags: dict[tuple[str, int], int] = {}
    metrics.consumer_lag.clear()  # partitions revoked since the last update disappear
    for tp in assigned:
        end = ends.get(tp)
        if end is None:
            continue
        done = committed.get(tp) or 0
        lags[(tp.topic, tp.partition)] = max(end - done, 0)
        metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
            lags[(tp.topic, tp.partition)]
        )
    return lags
