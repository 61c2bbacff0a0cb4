"""What the classify agent does to one raw message, without Faust: bytes in, messages out.

Kept apart from the agent so it is tested and benchmarked without a broker, and so
the agent stays a loop that moves bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from streams.claims import body_hash, claim_id, claim_key
from streams.classify import classify
from streams.records import (
    Article,
    Reason,
    Rejected,
    dead_letter_record,
    dumps,
    enriched_record,
    event_record,
    from_timestamp,
    outlet_of,
    parse_article,
    utc_now,
)
from streams.topics import TopicNames


@dataclass(frozen=True, slots=True)
class Output:
    """One message to publish."""

    topic: str
    key: bytes | None
    value: bytes


@dataclass(frozen=True, slots=True)
class Source:
    """Where a raw message came from, for dead letters and latency."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    timestamp: float | None = None


@dataclass(slots=True)
class Outcome:
    """The messages to publish for one input, and what happened, for logs and metrics."""

    outputs: list[Output] = field(default_factory=list)
    article_id: str | None = None
    rejected: Rejected | None = None
    classify_seconds: float = 0.0


def process(payload: bytes | None, source: Source, topics: TopicNames, max_article_bytes: int) -> Outcome:
    """Classify one raw payload, or dead-letter it with its reason; never raises on bad input."""
    parsed = parse_article(payload, max_article_bytes)
    if isinstance(parsed, Rejected):
        return _dead_letter(parsed, payload, source, topics)
    try:
        return _enrich(parsed, source, topics)
    except Exception as exc:  # a classifier bug must not stall the partition
        rejected = Rejected(Reason.CLASSIFIER_ERROR, f"The classifier failed: {type(exc).__name__}: {exc}.")
        return _dead_letter(rejected, payload, source, topics)


def _enrich(article: Article, source: Source, topics: TopicNames) -> Outcome:
    started = time.perf_counter()
    events = classify(article.body, article.published_at)
    elapsed = time.perf_counter() - started
    key = article.id.encode()
    outcome = Outcome(article_id=article.id, classify_seconds=elapsed)
    received = from_timestamp(source.timestamp)
    context = {
        "published_at": article.published_at,
        "text_hash": body_hash(article.body),
        "outlet": outlet_of(article),
        "seen_at": received.timestamp(),
    }
    records = []
    for event in events:
        record = event_record(article.id, event)
        records.append(record)
        claim = claim_id(record, article.published_at)
        # Events go out through the claims stage, keyed by claim, so one claim is counted once.
        outcome.outputs.append(Output(topics.claims, claim_key(claim), dumps({"event": record, **context})))
    enriched = enriched_record(article, records, received, utc_now())
    outcome.outputs.append(Output(topics.enriched, key, dumps(enriched)))
    return outcome


def _dead_letter(rejected: Rejected, payload: bytes | None, source: Source, topics: TopicNames) -> Outcome:
    record = dead_letter_record(
        rejected,
        payload,
        topic=source.topic,
        partition=source.partition,
        offset=source.offset,
        key=source.key,
        failed_at=utc_now(),
    )
    return Outcome(outputs=[Output(topics.deadletter, source.key, dumps(record))], rejected=rejected)
