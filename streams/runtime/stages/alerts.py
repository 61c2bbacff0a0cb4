"""The alert agent: reads events.*, evaluates the rules with state kept in tables, publishes
to `alerts`; and counts events for GET /stats (domain/event_counts.py, in memory).

The events topics are keyed by actor, so every table key here starts with the actor's
group and its state lives on the partition that carries that actor's events.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust
import orjson

from streams.classify import CATEGORIES
from streams.contracts.headers import replay_marks
from streams.contracts.records import Rejected, StageReason
from streams.domain.alerting import apply, unknown_party
from streams.domain.rules import Rule
from streams.runtime.context import Sitrep
from streams.runtime.reliability.acking import Deliveries, each_event
from streams.runtime.stages.batched_state import BatchedState
from streams.runtime.stages.failures import dead_letter
from streams.runtime.state_store import count_restored, table_options

log = logging.getLogger("sitrep.alerts")
STAGE = "alerts"


def register_alert_agent(sitrep: Sitrep, rules: list[Rule]) -> Any:
    """Attach the alert agent and its tables to the app; returns the Faust agent."""
    app, settings, names = sitrep.app, sitrep.settings, sitrep.names
    schema = faust.Schema(key_type=str, key_serializer="json", value_serializer="json")
    state = sitrep.tables["alert_state"] = app.Table(
        "alert-state",
        partitions=settings.topic_partitions,
        schema=schema,
        help="Rule|group -> window, last fired.",
        options=table_options(settings),
        on_changelog_event=count_restored(sitrep.metrics.state_restored.labels(table="alert_state")),
    )
    events_topic = app.topic(
        *(names.events(c) for c in CATEGORIES),
        key_type=bytes,
        value_type=bytes,
        partitions=settings.topic_partitions,
    )

    @app.agent(events_topic, name="alerts", concurrency=1)
    async def raise_alerts(stream: Any) -> Any:
        # Events one by one; a state write takes its changelog partition from the current event, and
        # each changed key goes to the changelog once per batch.
        deliveries = Deliveries("alerts")
        state_writes = BatchedState(state)  # each changed key once per batch in the changelog
        async for event in each_event(stream, deliveries, end_batch=state_writes.flush):
            record = _event_of(event.message.value)
            if isinstance(record, Rejected):
                await dead_letter(sitrep, deliveries, STAGE, record, event.message)
                yield []
                continue
            at = event.message.timestamp or time.time()
            sitrep.event_counts.add(record["category"], record.get("actor"), at)  # GET /stats, no changelog
            fired = []
            for rule in rules:
                try:
                    if reason := unknown_party(rule, record, at):
                        sitrep.metrics.alerts_suppressed.labels(rule=rule.id, reason=reason).inc()
                        extra = {"event": "alert_suppressed", "rule": rule.id, "reason": reason}
                        log.info("rule matched an event without the party it needs", extra=extra)
                        continue
                    alert = apply(rule, record, at, state_writes)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    error = f"Rule {rule.id!r} failed on the event: {type(exc).__name__}: {exc}."
                    await dead_letter(
                        sitrep, deliveries, STAGE, Rejected(StageReason.RULE_ERROR, error), event.message
                    )
                    continue
                if alert is not None:
                    fired.append(alert)
            for alert in fired:
                key = f"{alert['rule']}|{alert['group']}".encode()
                await deliveries.send(
                    sitrep.output_topic(names.alerts),
                    key=key,
                    value=orjson.dumps(alert),
                    headers=replay_marks(event.message.headers),
                )
                sitrep.metrics.alerts_raised.labels(rule=alert["rule"], severity=alert["severity"]).inc()
                log.warning(
                    alert["summary"], extra={"event": "alert", "rule": alert["rule"], "group": alert["group"]}
                )
            yield fired

    return raise_alerts


def _event_of(value: bytes | None) -> dict[str, Any] | Rejected:
    """The event of an events.* message, or why the stage cannot use it."""
    try:
        record = orjson.loads(value or b"")
    except orjson.JSONDecodeError as exc:
        return Rejected(StageReason.MALFORMED_EVENT, f"The event is not JSON: {exc}.")
    if not isinstance(record, dict) or not isinstance(record.get("category"), str):
        return Rejected(StageReason.MALFORMED_EVENT, "The event is not a JSON object with a category.")
    return record
