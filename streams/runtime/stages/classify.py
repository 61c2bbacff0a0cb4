"""The classify stage: raw articles -> enriched articles, claims bundles, dead letters.

Thin by design: it hands each message to a pure function and send (the producer batches);
an input is acked only once the broker has acknowledged all its outputs, and a failed output
is sent again (streams/runtime/reliability/acking.py).
Concurrency stays 1 (Faust can commit past in-flight messages with more; field notes).
"""

from __future__ import annotations

import time
from typing import Any

from streams.domain.enrichment import Limits, Outcome, Source, process
from streams.domain.language import warm
from streams.runtime.context import Sitrep
from streams.runtime.observability.metrics import Metrics
from streams.runtime.reliability.acking import Deliveries, each_event
from streams.runtime.stages.failures import count_failure, tell_failure

STAGE = "classify"


def register_classify_agent(sitrep: Sitrep) -> Any:
    """Attach the classify agent to the app; returns the Faust agent."""
    app, settings, names = sitrep.app, sitrep.settings, sitrep.names
    limits = Limits.from_settings(settings)
    warm()  # the language model, once per process: not on the first article's time

    @app.agent(sitrep.raw_topic, name="classify", concurrency=1)
    async def classify_articles(stream: Any) -> Any:
        deliveries = Deliveries("classify")
        async for event in each_event(stream, deliveries):
            message = event.message
            source = Source(
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                key=message.key,
                timestamp=message.timestamp,
            )
            outcome = process(
                message.value,
                source,
                names,
                settings.max_article_bytes,
                claim_partitions=settings.claim_partitions,  # one bundle per claims partition hit
                limits=limits,
            )
            await _publish(sitrep, deliveries, outcome, source)
            _count(sitrep.metrics, outcome, message.value)
            _tell(outcome, source)
            yield outcome

    return classify_articles


async def _publish(sitrep: Sitrep, deliveries: Deliveries, outcome: Outcome, source: Source) -> None:
    """Hand every output to the producer (batched there); latency is taken when the enriched one is acked.

    The enriched article goes first: it is what a reader waits for, and the claims bundles handed
    over before it put 3-13 ms on its median latency (bench/README.md, "Profiles")."""
    enriched_topic = sitrep.names.enriched
    for output in sorted(outcome.outputs, key=lambda output: output.topic != enriched_topic):
        callback = (
            _latency_callback(sitrep.metrics, source.timestamp) if output.topic == enriched_topic else None
        )
        topic = sitrep.output_topic(output.topic)
        await deliveries.send(
            topic, key=output.key, value=output.value, partition=output.partition, callback=callback
        )


def _latency_callback(metrics: Metrics, timestamp: float | None) -> Any:
    def observe_latency(_: Any) -> None:
        if timestamp:
            metrics.end_to_end_seconds.observe(max(time.time() - timestamp, 0.0))

    return observe_latency


def _count(metrics: Metrics, outcome: Outcome, payload: bytes | None) -> None:
    metrics.articles_consumed.inc()
    if payload is not None:
        metrics.article_bytes.observe(len(payload))
    if outcome.rejected is not None:
        metrics.articles_dead_lettered.labels(reason=outcome.rejected.reason).inc()
        count_failure(metrics, STAGE, outcome.rejected)
        return
    if outcome.skipped is not None:
        metrics.articles_skipped.labels(reason=outcome.skipped, language=outcome.language).inc()
        return
    metrics.articles_classified.inc()
    metrics.classify_seconds.observe(outcome.classify_seconds)


def _tell(outcome: Outcome, source: Source) -> None:
    if outcome.rejected is not None:
        tell_failure(STAGE, outcome.rejected, source.topic, source.partition, source.offset)
