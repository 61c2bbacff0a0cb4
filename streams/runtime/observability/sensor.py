"""A Faust sensor that feeds our metrics and logs what the operator wants told:
sends acknowledged or failed, rebalances, partition assignment."""

from __future__ import annotations

import logging
from time import monotonic
from typing import Any

from faust.sensors import Sensor

from streams.runtime.observability.metrics import Metrics

log = logging.getLogger("sitrep.worker")


class MetricsSensor(Sensor):  # type: ignore[misc]
    """Counts published messages by topic (on acknowledgement) and failures by exception type."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    def on_send_initiated(self, producer: Any, topic: str, message: Any, keysize: int, valsize: int) -> Any:
        return topic

    def on_send_completed(self, producer: Any, state: Any, metadata: Any) -> None:
        self.metrics.messages_published.labels(topic=metadata.topic).inc()

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        topic = state if isinstance(state, str) else "unknown"
        self.metrics.publish_failures.labels(topic=topic, exception=type(exc).__name__).inc()
        log.error(
            "publish failed",
            extra={"event": "publish_error", "topic": topic, "error": f"{type(exc).__name__}: {exc}"},
        )

    def on_rebalance_start(self, app: Any) -> dict[str, Any]:
        self.metrics.rebalances.inc()
        log.info("rebalance started", extra={"event": "rebalance_start"})
        return {"time_start": monotonic()}

    def on_rebalance_end(self, app: Any, state: dict[str, Any]) -> None:
        assigned = sorted(f"{tp.topic}:{tp.partition}" for tp in app.consumer.assignment())
        self.metrics.assigned_partitions.set(len(assigned))
        log.info(
            "partitions assigned",
            extra={
                "event": "assignment",
                "partitions": assigned,
                "rebalance_seconds": round(monotonic() - state.get("time_start", monotonic()), 3),
            },
        )
