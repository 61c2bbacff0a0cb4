"""The classify agent: raw articles in, enriched articles, events and dead letters out.

Thin by design: it batches, hands each payload to `processing.process`, and sends.
Concurrency stays 1 (Faust can commit past in-flight messages with more; field notes).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from streams.metrics import Metrics
from streams.processing import Outcome, Source, process

if TYPE_CHECKING:
    from streams.app import Sitrep

log = logging.getLogger("sitrep.agent")


def register_classify_agent(sitrep: Sitrep) -> Any:
    """Attach the classify agent to the app; returns the Faust agent."""
    app, settings, names = sitrep.app, sitrep.settings, sitrep.names

    @app.agent(sitrep.raw_topic, name="classify", concurrency=1)
    async def classify_articles(stream: Any) -> Any:
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            for event in batch:
                message = event.message
                source = Source(
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                    key=message.key,
                    timestamp=message.timestamp,
                )
                outcome = process(message.value, source, names, settings.max_article_bytes)
                await _publish(sitrep, outcome, source)
                _count(sitrep.metrics, outcome, message.value)
                _tell(outcome, source)
                yield outcome

    return classify_articles


async def _publish(sitrep: Sitrep, outcome: Outcome, source: Source) -> None:
    """Hand every output to the producer (batched there); latency is taken when the enriched one is acked."""
    enriched_topic = sitrep.names.enriched
    for output in outcome.outputs:
        callback = (
            _latency_callback(sitrep.metrics, source.timestamp) if output.topic == enriched_topic else None
        )
        await sitrep.output_topic(output.topic).send(key=output.key, value=output.value, callback=callback)


def _latency_callback(metrics: Metrics, timestamp: float | None) -> Any:
    def observe(_: Any) -> None:
        if timestamp:
            metrics.end_to_end_seconds.observe(max(time.time() - timestamp, 0.0))

    return observe


def _count(metrics: Metrics, outcome: Outcome, payload: bytes | None) -> None:
    metrics.articles_consumed.inc()
    if payload is not None:
        metrics.article_bytes.observe(len(payload))
    if outcome.rejected is not None:
        metrics.articles_dead_lettered.labels(reason=outcome.rejected.reason).inc()
        return
    metrics.articles_classified.inc()
    metrics.classify_seconds.observe(outcome.classify_seconds)
    for category, status in outcome.event_kinds:
        metrics.events_published.labels(category=category, status=status).inc()


def _tell(outcome: Outcome, source: Source) -> None:
    if outcome.rejected is not None:
        log.warning(
            "dead-lettered a raw message",
            extra={
                "event": "dead_letter",
                "reason": outcome.rejected.reason,
                "error": outcome.rejected.error,
                "partition": source.partition,
                "offset": source.offset,
            },
        )
