"""What the classify agent does to one raw message, without Faust: bytes in, messages out.

Kept apart from the agent so it is tested and benchmarked without a broker, and so
the agent stays a loop that moves bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from streams.classify import Event, TooManySentencesError, classify
from streams.config import Settings
from streams.contracts.messages import ClaimedEvent, ClaimsBundle
from streams.contracts.records import (
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
from streams.contracts.topics import TopicNames
from streams.domain.budget import BudgetExceededError, time_budget
from streams.domain.claims import body_hash, claim_id, claim_partition
from streams.domain.language import detect_language, skip_reason


@dataclass(frozen=True, slots=True)
class Output:
    """One message to publish."""

    topic: str
    key: bytes | None
    value: bytes
    partition: int | None = None  # None: the producer's partitioner picks it from the key


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
    language: str | None = None
    skipped: str | None = None  # why the article was enriched without being classified


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-article limits beyond the size limit; 0 turns one off."""

    max_sentences: int = 0
    max_events: int = 0
    budget_seconds: float = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.max_sentences, settings.max_events, settings.classify_budget_seconds)


def process(
    payload: bytes | None,
    source: Source,
    topics: TopicNames,
    max_article_bytes: int,
    *,
    claim_partitions: int | None,
    limits: Limits = Limits(),
) -> Outcome:
    """Classify one raw payload, or dead-letter it with its reason; never raises on bad input.

    `claim_partitions` is the claims topic's partition count: an article's claims go out as
    one message per partition they hash to, not one per event (replay passes the claims
    topic's count too). None (files) skips the claims: only the enriched article (or the
    dead letter) is produced.
    """
    parsed = parse_article(payload, max_article_bytes)
    if isinstance(parsed, Rejected):
        return _dead_letter(parsed, payload, source, topics)
    try:
        return _enrich(parsed, source, topics, limits, claim_partitions)
    except LimitError as error:
        return _dead_letter(error.rejected, payload, source, topics)
    except Exception as exc:  # a classifier bug must not stall the partition
        rejected = Rejected(Reason.CLASSIFIER_ERROR, f"The classifier failed: {type(exc).__name__}: {exc}.")
        return _dead_letter(rejected, payload, source, topics)


class LimitError(Exception):
    """An article refused after parsing (a limit), carrying why."""

    def __init__(self, reason: str, error: str) -> None:
        super().__init__(error)
        self.rejected = Rejected(reason, error)


def _classify_within(article: Article, limits: Limits) -> list[Event]:
    try:
        with time_budget(limits.budget_seconds):
            events = classify(article.body, article.published_at, max_sentences=limits.max_sentences)
    except TooManySentencesError as error:
        raise LimitError(
            Reason.TOO_MANY_SENTENCES, f"The article has {error.count} sentences, over {error.limit}."
        ) from None
    except BudgetExceededError:
        raise LimitError(
            Reason.CLASSIFIER_TIMEOUT, f"Classifying the article took over {limits.budget_seconds} s."
        ) from None
    if limits.max_events and len(events) > limits.max_events:
        raise LimitError(
            Reason.TOO_MANY_EVENTS, f"The article yields {len(events)} events, over {limits.max_events}."
        )
    return events


def _enrich(
    article: Article, source: Source, topics: TopicNames, limits: Limits, claim_partitions: int | None
) -> Outcome:
    language = detect_language(article.body)
    skipped = skip_reason(language)
    started = time.perf_counter()
    events = [] if skipped else _classify_within(article, limits)
    elapsed = time.perf_counter() - started
    key = article.id.encode()
    outcome = Outcome(article_id=article.id, classify_seconds=elapsed, language=language, skipped=skipped)
    received = from_timestamp(source.timestamp)
    records = []
    bundles: dict[int, list[ClaimedEvent]] = {}
    for event in events:
        record = event_record(article.id, event)
        records.append(record)
        if claim_partitions is None:
            continue
        claim = claim_id(record, article.published_at)
        bundles.setdefault(claim_partition(claim, claim_partitions), []).append(ClaimedEvent(claim, record))
    # Events go out through the claims stage, on their claim's partition so that one claim is
    # counted once: one message per partition (a dozen events make three or four messages, not 12).
    text_hash, outlet, seen_at = body_hash(article.body), outlet_of(article), received.timestamp()
    for partition, claims in bundles.items():
        bundle = ClaimsBundle(claims, article.published_at, text_hash, outlet, seen_at)
        outcome.outputs.append(Output(topics.claims, key, bundle.encode(), partition))
    enriched = enriched_record(article, records, received, utc_now(), language=language, skipped=skipped)
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
