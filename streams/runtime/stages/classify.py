"""The stream agents: classify (raw -> enriched, claims, dead letters) and claims (-> events).

Thin by design: they hand each message to a pure function and send (the producer batches);
an input is acked only once the broker has acknowledged all its outputs, and a failed output
is sent again (streams/runtime/reliability/acking.py).
Concurrency stays 1 (Faust can commit past in-flight messages with more; field notes).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from streams.cli.replay import replay_marks
from streams.domain.claims import REPEAT, observe
from streams.domain.enrichment import Limits, Outcome, Source, process
from streams.domain.language import warm
from streams.runtime.observability.metrics import Metrics
from streams.runtime.reliability.acking import Deliveries, each_event
from streams.runtime.reliability.changelogs import ChangelogPartitions

if TYPE_CHECKING:
    from streams.runtime.app import Sitrep

log = logging.getLogger("sitrep.agent")


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
                claim_partitions=settings.topic_partitions,
                limits=limits,
            )
            await _publish(sitrep, deliveries, outcome, source)
            _count(sitrep.metrics, outcome, message.value)
            _tell(outcome, source)
            yield outcome

    return classify_articles


def register_claims_agent(sitrep: Sitrep) -> Any:
    """Attach the claims agent: each event is folded into its claim, and published unless it repeats."""
    app, settings = sitrep.app, sitrep.settings
    table = sitrep.tables["claims"]
    retention = settings.claim_retention_seconds
    changelog = ChangelogPartitions(app, [table])

    @app.agent(sitrep.claims_topic, name="claims", concurrency=1)
    async def track_claims(stream: Any) -> Any:
        deliveries = Deliveries("claims")
        async for event in each_event(stream, deliveries):
            marks = replay_marks(event.message.headers)  # a replay's events are marked as such
            try:
                message = orjson.loads(event.message.value)
                claims = _claims_of(message, event.message.key)
                seen = {k: message[k] for k in ("text_hash", "outlet", "seen_at")}
                event_time = float(seen["seen_at"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                log.error("malformed claim message", extra={"event": "error", "error": repr(exc)})
                yield []  # every message yields: the test context and sinks see each one
                continue
            published = []
            for claim, record in claims:
                await (
                    changelog.ready()
                )  # else the write can crash the agent (streams/runtime/reliability/changelogs.py)
                state, verdict = observe(
                    table.get(claim), article_id=record["article_id"], retention_seconds=retention, **seen
                )
                table[claim] = state  # nothing awaited since ready(): the partitions are still known
                if verdict == REPEAT:
                    sitrep.metrics.events_repeated.inc()
                    continue
                out = claim_event(record, claim, state)
                topic = sitrep.output_topic(sitrep.names.events(record["category"]))
                await deliveries.send(
                    topic,
                    key=(record["actor"] or record["article_id"]).encode(),
                    value=orjson.dumps(out),
                    headers=marks,
                    timestamp=event_time,  # event time: the alert windows run on it, live or replayed
                )
                sitrep.metrics.events_published.labels(
                    category=record["category"], status=record["status"]
                ).inc()
                published.append(out)
            yield published

    return track_claims


def _claims_of(message: dict[str, Any], key: bytes | None) -> list[tuple[str, dict[str, Any]]]:
    """(claim id, event record) pairs of a claims message: an article's bundle for one partition,
    or one event keyed by its claim (the format before bundles, still read during an upgrade)."""
    if "claims" in message:
        return [(str(item["claim"]), item["event"]) for item in message["claims"]]
    return [(orjson.loads(key or b""), message["event"])]


def claim_event(record: dict[str, Any], claim: str, state: dict[str, Any]) -> dict[str, Any]:
    """The event as published on events.<category>: its claim, when first seen, and by how many."""
    published = dict(record)
    published["claim_id"] = claim
    published["first_seen"] = (
        datetime.fromtimestamp(state["first_seen"], UTC).isoformat().replace("+00:00", "Z")
    )
    published["corroboration"] = state["corroboration"]
    return published


async def _publish(sitrep: Sitrep, deliveries: Deliveries, outcome: Outcome, source: Source) -> None:
    """Hand every output to the producer (batched there); latency is taken when the enriched one is acked."""
    enriched_topic = sitrep.names.enriched
    for output in outcome.outputs:
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
        return
    if outcome.skipped is not None:
        metrics.articles_skipped.labels(reason=outcome.skipped, language=outcome.language).inc()
        return
    metrics.articles_classified.inc()
    metrics.classify_seconds.observe(outcome.classify_seconds)


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
