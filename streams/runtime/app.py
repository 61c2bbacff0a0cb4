"""The Faust app, built by a factory: no import-time side effects, one instance per test."""

from __future__ import annotations

import logging
from typing import Any

import faust
from faust.types import TP

from streams.classify import CATEGORIES
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.domain.rules import load_rules
from streams.runtime.context import Sitrep
from streams.runtime.credentials import faust_credentials
from streams.runtime.http import views as web
from streams.runtime.observability.lag import update_lag
from streams.runtime.observability.logs import summarise_broker_errors
from streams.runtime.observability.sensor import MetricsSensor
from streams.runtime.reliability.liveness import ProgressWatchdog
from streams.runtime.reliability.offsets import install as commit_only_processed_offsets
from streams.runtime.stages import alerts, claims, classify
from streams.runtime.state_store import store_url, table_dir

log = logging.getLogger("sitrep.worker")


def create_app(settings: Settings | None = None) -> Sitrep:
    """Build the worker's Faust app from settings (default: the environment)."""
    settings = settings or Settings.from_env()
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        store=store_url(settings),  # RocksDB by default: a restart reads only the changelogs' tails
        autodiscover=False,
        datadir=str(settings.data_dir),
        tabledir=str(table_dir(settings)),
        web_enabled=True,
        web_host=settings.web_host,
        web_port=settings.web_port,
        topic_partitions=settings.topic_partitions,
        # The worker creates every topic itself, with SITREP_TOPIC_REPLICATION_FACTOR or the broker's
        # default (streams/runtime/worker.py), which Faust's own replication setting cannot express.
        topic_allow_declare=False,
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        broker_credentials=faust_credentials(settings),  # SASL / TLS, as for the CLI's clients
        # A worker that died (kill -9, lost host) is noticed after this long, not Faust's 60 s default,
        # so its partitions move to the survivors quickly.
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=max(settings.session_timeout_seconds / 10, 0.5),
        # What a crash replays is what came after the last commit: commit often (Faust: 2.8 s).
        broker_commit_interval=settings.commit_interval_seconds,
        producer_linger=settings.producer_linger_ms / 1000,
        producer_max_batch_size=settings.producer_max_batch_size,
        producer_compression_type=(
            None if settings.producer_compression == "none" else settings.producer_compression
        ),
        consumer_max_fetch_size=settings.consumer_max_fetch_size,
        producer_request_timeout=settings.producer_request_timeout_s,
        producer_max_request_size=max(2 * settings.max_article_bytes, 1_000_000),
    )
    # Set after the fact: Faust would take WEB_BIND and PRODUCER_ACKS from the environment over arguments.
    app.conf.web_bind = settings.web_host  # Faust binds 0.0.0.0 apart from web_host (which is for URLs)
    app.conf.producer_acks = -1  # acks=all: what the agents' acks and a 202 of POST /articles promise
    app.conf.table_standby_replicas = settings.standby_replicas  # not TABLE_STANDBY_REPLICAS from the env
    # Faust's own bookkeeping can commit past them (reliability/offsets.py).
    commit_only_processed_offsets(app)
    names = TopicNames(settings.topic_prefix)
    topic_options: dict[str, Any] = {
        "partitions": settings.topic_partitions,
        "internal": True,  # Faust creates internal topics with these partitions if missing
        "key_type": bytes,
        "value_type": bytes,
    }
    sitrep = Sitrep(
        settings=settings,
        app=app,
        names=names,
        raw_topic=app.topic(names.raw, **topic_options),
        claims_topic=app.topic(names.claims, **{**topic_options, "partitions": settings.claim_partitions}),
        outputs={name: app.topic(name, **topic_options) for name in names.outputs()},
    )
    sitrep.agents["classify"] = classify.register_classify_agent(sitrep)
    sitrep.agents["claims"] = claims.register_claims_agent(sitrep)
    rules = load_rules(settings.rules_path)
    sitrep.agents["alerts"] = alerts.register_alert_agent(sitrep, rules)
    web.register_views(sitrep)
    app.sensors.add(MetricsSensor(sitrep.metrics))
    sitrep.metrics.start_at_zero(rules=rules, topics=names.all(), http_refusals=web.REFUSALS)

    inputs = {names.raw, names.claims, *(names.events(c) for c in CATEGORIES)}

    watchdog = sitrep.watchdog = ProgressWatchdog(
        app, settings.stall_seconds, interval=settings.lag_interval_seconds
    )

    @app.timer(interval=settings.lag_interval_seconds)
    async def measure_lag() -> None:
        lags = await update_lag(app, sitrep.metrics, inputs)
        if (
            settings.stall_seconds > 0
        ):  # partitions with lag that make no progress (streams/runtime/reliability/liveness.py)
            await watchdog.check({TP(topic, partition): lag for (topic, partition), lag in lags.items()})

    # Never shorter than the check's own timeout, so that checks do not pile up while the broker is away.
    @app.timer(interval=max(settings.lag_interval_seconds, 2 * web.READY_TIMEOUT_SECONDS))
    async def measure_readiness() -> None:
        problem, _ = await web.readiness(sitrep)  # the check /readyz makes; never run inside a scrape
        sitrep.metrics.ready.set(0 if problem else 1)

    @app.timer(interval=1.0)
    async def close_broker_outage_summary() -> None:
        summarise_broker_errors()  # tells when a broker outage's errors stop (observability/logs.py)

    @app.task
    async def tell_started() -> None:
        log.info(
            "worker started",
            extra={
                "event": "start",
                "bootstrap_servers": settings.bootstrap_servers,
                "input": names.raw,
                "web": f"http://{settings.web_host}:{settings.web_port}",
            },
        )

    return sitrep
