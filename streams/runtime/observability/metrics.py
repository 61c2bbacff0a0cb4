"""Prometheus metrics, one registry per app instance (never the global one), named the
Prometheus way: seconds and bytes as base units, counters ending in _total."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from itertools import product

from aiokafka.errors import KafkaTimeoutError
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

from streams.classify import CATEGORIES, CLASSIFIER_VERSION, STATUSES, SUPPORTED_LANGUAGES
from streams.contracts.records import STAGE_REASONS, Reason
from streams.domain.language import detectable_languages, skip_reasons
from streams.domain.rules import Rule, party_roles

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
CLASSIFY_BUCKETS = (0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0)
SIZE_BUCKETS = (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 262144, 1048576)


class Metrics:
    """Every collector the worker exports; created once per app, so tests can build many apps."""

    def __init__(self) -> None:
        disable_created_metrics()  # the *_created series double the exposition for no operator value
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        ProcessCollector(registry=r)  # process_cpu_seconds_total, process_resident_memory_bytes, ...
        self.articles_consumed = Counter(
            "sitrep_articles_consumed", "Raw messages taken from articles.raw.", registry=r
        )
        self.articles_classified = Counter(
            "sitrep_articles_classified", "Articles classified and published enriched.", registry=r
        )
        self.articles_dead_lettered = Counter(
            "sitrep_articles_dead_lettered",
            "Raw messages sent to the dead-letter topic.",
            ["reason"],
            registry=r,
        )
        self.stage_failures = Counter(
            "sitrep_stage_failures",
            "Messages a stage could not process, dead-lettered with the stage and the reason.",
            ["stage", "reason"],
            registry=r,
        )
        self.articles_skipped = Counter(
            "sitrep_articles_skipped",
            "Articles published enriched without being classified, by reason and detected language.",
            ["reason", "language"],
            registry=r,
        )
        self.articles_ingested_http = Counter(
            "sitrep_articles_ingested_http", "Articles accepted by POST /articles.", registry=r
        )
        self.http_requests_rejected = Counter(
            "sitrep_http_ingest_rejected", "POST /articles requests refused.", ["reason"], registry=r
        )
        self.events_published = Counter(
            "sitrep_events_published",
            "Events published, by category and status.",
            ["category", "status"],
            registry=r,
        )
        self.events_repeated = Counter(
            "sitrep_events_repeated",
            "Events not published because their article (or its text) already carried the claim.",
            registry=r,
        )
        self.alerts_raised = Counter(
            "sitrep_alerts_raised",
            "Alerts published, by rule and severity.",
            ["rule", "severity"],
            registry=r,
        )
        self.alerts_suppressed = Counter(
            "sitrep_alerts_suppressed",
            "Events a rule matched but stayed silent on, by rule and reason (unknown_<role>: the party"
            " its group or summary needs is not named).",
            ["rule", "reason"],
            registry=r,
        )
        self.messages_published = Counter(
            "sitrep_messages_published",
            "Messages acknowledged by the broker, by topic.",
            ["topic"],
            registry=r,
        )
        self.publish_failures = Counter(
            "sitrep_publish_failures",
            "Sends that failed, by topic and exception type.",
            ["topic", "exception"],
            registry=r,
        )
        self.classify_seconds = Histogram(
            "sitrep_classification_duration_seconds",
            "Time to classify one article.",
            buckets=CLASSIFY_BUCKETS,
            registry=r,
        )
        self.end_to_end_seconds = Histogram(
            "sitrep_end_to_end_latency_seconds",
            "From the raw record's timestamp to the publication of its enriched output.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.article_bytes = Histogram(
            "sitrep_article_size_bytes", "Size of raw article payloads.", buckets=SIZE_BUCKETS, registry=r
        )
        self.consumer_lag = Gauge(
            "sitrep_consumer_lag_messages",
            "End offset minus committed offset.",
            ["topic", "partition"],
            registry=r,
        )
        self.in_flight = Gauge(
            "sitrep_messages_in_flight", "Messages taken but not yet acknowledged.", registry=r
        )
        self.claims_tracked = Gauge(
            "sitrep_claims_tracked",
            "Claims in the partitions this worker serves (RocksDB: an estimate above 10,000 a partition).",
            registry=r,
        )
        self.state_restored = Counter(
            "sitrep_state_restored_messages",
            "Changelog messages read into a table: restore after a start or rebalance, and standbys.",
            ["table"],
            registry=r,
        )
        self.assigned_partitions = Gauge(
            "sitrep_assigned_partitions", "Partitions assigned to this worker.", registry=r
        )
        self.ready = Gauge(
            "sitrep_ready",
            "1 when /readyz would answer 200 (partitions assigned, no rebalance, the broker answers).",
            registry=r,
        )
        self.rebalances = Counter("sitrep_rebalances", "Consumer group rebalances seen.", registry=r)
        self.build = Info("sitrep_build", "Versions of this worker.", registry=r)
        self.build.info(
            {
                "version": _version("sitrep"),
                "classifier_version": CLASSIFIER_VERSION,
                "faust_version": _version("faust-streaming"),
                "aiokafka_version": _version("aiokafka"),
            }
        )

    def start_at_zero(
        self, *, rules: Iterable[Rule], topics: Iterable[str], http_refusals: Iterable[str]
    ) -> None:
        """Create every known labelled series at 0. A series born at its first increment has no
        earlier sample, so rate() and increase() miss that increment and the alert never fires."""
        for reason in dead_letter_reasons():
            self.articles_dead_lettered.labels(reason=reason)
        for stage, reasons in STAGE_REASONS.items():
            for reason in reasons:
                self.stage_failures.labels(stage=stage, reason=reason)
        others = [code for code in detectable_languages() if code not in SUPPORTED_LANGUAGES]
        for reason, language in product(skip_reasons(), others):
            self.articles_skipped.labels(reason=reason, language=language)
        for refusal in sorted({*http_refusals, *dead_letter_reasons()}):
            self.http_requests_rejected.labels(reason=refusal)
        for category, status in product(CATEGORIES, STATUSES):
            self.events_published.labels(category=category, status=status)
        for rule in rules:
            self.alerts_raised.labels(rule=rule.id, severity=rule.severity)
            for role in party_roles(rule):
                self.alerts_suppressed.labels(rule=rule.id, reason=f"unknown_{role}")
        for topic in topics:
            self.messages_published.labels(topic=topic)
            # What a send fails with when the broker is gone; other exceptions start at their first failure.
            self.publish_failures.labels(topic=topic, exception=KafkaTimeoutError.__name__)

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format, for GET /metrics."""
        return generate_latest(self.registry)


def dead_letter_reasons() -> list[str]:
    """The reason codes of records.Reason, the one place that names them."""
    return [value for name, value in vars(Reason).items() if name.isupper() and isinstance(value, str)]


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"
