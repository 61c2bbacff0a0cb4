"""The claims stage: sitrep.claims -> events.<category>, each claim once per article text.

It owns the claims table (claim id -> first/last seen, articles, outlets, corroboration) and its
expiry; the claim identity itself is streams/domain/claims.py.
"""

from __future__ import annotations

import logging
from typing import Any

import faust
import orjson

from streams.contracts.headers import replay_marks
from streams.contracts.messages import ClaimsBundle
from streams.contracts.records import Rejected, StageReason, published_event
from streams.domain.claims import REPEAT, ClaimState, expire_old_claims, observe
from streams.runtime.context import Sitrep
from streams.runtime.reliability.acking import Deliveries, each_event
from streams.runtime.reliability.changelogs import ChangelogPartitions
from streams.runtime.stages.batched_state import BatchedState
from streams.runtime.stages.claim_expiry import ClaimExpiry, expires_by_slice
from streams.runtime.stages.failures import dead_letter
from streams.runtime.state_store import count_restored, table_options, tracked_keys

log = logging.getLogger("sitrep.agent")
STAGE = "claims"


def register_claims_table(sitrep: Sitrep) -> Any:
    """Declare the claims table and its expiry timer; returns the table."""
    app, settings = sitrep.app, sitrep.settings
    claims = sitrep.tables["claims"] = app.Table(
        "claims",
        partitions=settings.claim_partitions,  # the claims topic's (runtime/worker.claim_partitions)
        schema=faust.Schema(key_type=str, key_serializer="json", value_serializer="json"),
        # Changelog partition by key, as for the claims topic: lets the expiry timer delete keys.
        use_partitioner=True,
        help="Claim id -> first/last seen, the articles and outlets that carry it, corroboration.",
        options=table_options(settings),
        on_changelog_event=count_restored(sitrep.metrics.state_restored.labels(table="claims")),
    )
    sitrep.metrics.claims_tracked.set_function(lambda: tracked_keys(claims))  # read at each scrape

    by_slice = ClaimExpiry(claims, settings.claim_retention_seconds)

    @app.timer(interval=settings.claim_sweep_seconds)
    async def expire_claims() -> None:
        if expires_by_slice(claims):  # RocksDB: a slice per tick (stages/claim_expiry.py)
            expired = by_slice.tick()
        else:
            expired = expire_old_claims(sitrep.tables["claims"], settings.claim_retention_seconds)
        if expired:
            log.info("expired claims", extra={"event": "claims_expired", "count": expired})

    return claims


def register_claims_agent(sitrep: Sitrep) -> Any:
    """Attach the claims agent: each event is folded into its claim, and published unless it repeats."""
    app, settings = sitrep.app, sitrep.settings
    table = register_claims_table(sitrep)
    retention = settings.claim_retention_seconds
    changelog = ChangelogPartitions(app, [table])

    @app.agent(sitrep.claims_topic, name="claims", concurrency=1)
    async def track_claims(stream: Any) -> Any:
        deliveries = Deliveries("claims")
        state_writes = BatchedState(table, changelog)  # one changelog message per claim and batch
        async for event in each_event(stream, deliveries, end_batch=state_writes.flush):
            marks = replay_marks(event.message.headers)  # a replay's events are marked as such
            try:
                bundle = ClaimsBundle.decode(event.message.value, event.message.key)
            except ValueError as exc:
                error = f"The claims message cannot be read: {exc}."
                await dead_letter(
                    sitrep, deliveries, STAGE, Rejected(StageReason.MALFORMED_CLAIM, error), event.message
                )
                yield []  # every message yields: the test context and sinks see each one
                continue
            published = []
            seen = {"text_hash": bundle.text_hash, "outlet": bundle.outlet, "seen_at": bundle.seen_at}
            event_time = float(bundle.seen_at)
            for claimed in bundle.claims:
                claim, record = claimed.claim, claimed.event
                state, verdict = observe(
                    ClaimState.from_table(state_writes.get(claim)),
                    article_id=record["article_id"],
                    retention_seconds=retention,
                    **seen,
                )
                if verdict == REPEAT:  # the state is unchanged: nothing to write
                    sitrep.metrics.events_repeated.inc()
                    continue
                state_writes[claim] = state.to_table()
                out = published_event(
                    record,
                    claim,
                    state.first_seen,
                    state.corroboration,
                    outlet=bundle.outlet,
                    outlets=len(state.outlets),
                )
                topic = sitrep.output_topic(sitrep.names.events(record["category"]))
                await deliveries.send(
                    topic,
                    key=(record.get("actor") or record["article_id"]).encode(),
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
