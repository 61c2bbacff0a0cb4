"""The classify agent under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from aiokafka.partitioner import DefaultPartitioner
from faust.types import TP

from streams.cli.replay import REPLAY_HEADER
from streams.config import Settings
from streams.domain.claims import body_hash, claim_id
from streams.domain.enrichment import Outcome
from streams.runtime.app import Sitrep, create_app
from tests.fake_topics import TwoStepSend


@dataclass
class RecordingTopic(TwoStepSend):
    """Stands in for an output topic: Faust's test context runs no producer."""

    sent: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    marks: list[tuple[list[tuple[str, bytes]] | None, float | None]] = field(default_factory=list)

    async def send(
        self,
        *,
        key: bytes | None,
        value: bytes,
        partition: int | None = None,
        callback: Any = None,
        headers: list[tuple[str, bytes]] | None = None,
        timestamp: float | None = None,
    ) -> asyncio.Future[None]:
        self.sent.append((key, value))
        self.marks.append((headers, timestamp))
        if callback is not None:
            callback(None)
        delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        delivered.set_result(None)  # as the broker's acknowledgement
        return delivered


@pytest.fixture
async def sitrep(tmp_path: Any) -> AsyncIterator[Sitrep]:
    sitrep = create_app(Settings(data_dir=tmp_path))
    sitrep.app.conf.store = "memory://"
    sitrep.app.finalize()
    sitrep.app.flow_control.resume()
    sitrep.outputs = {name: RecordingTopic() for name in sitrep.outputs}
    # No producer runs here; tables that partition by key ask it for the partition.
    partitioner = DefaultPartitioner()
    partitions = list(range(sitrep.settings.topic_partitions))
    sitrep.app.producer.key_partition = lambda topic, key: TP(topic, partitioner(key, partitions, partitions))
    yield sitrep


async def put(sitrep: Sitrep, context: Any, value: bytes, key: bytes | None = None) -> Outcome:
    event = await context.put(value, key=key)
    result: Outcome = context.results[event.message.offset]
    return result


async def test_classify_agent_publishes_enriched_article_and_claims(sitrep: Sitrep) -> None:
    article = {
        "id": "t-1",
        "body": "Russia has deployed 2,000 troops to the border with Finland, officials said.",
    }
    async with sitrep.agents["classify"].test_context() as context:
        outcome = await put(sitrep, context, orjson.dumps(article), b"t-1")
    assert outcome.rejected is None and outcome.article_id == "t-1"
    enriched = sitrep.outputs[sitrep.names.enriched].sent
    assert len(enriched) == 1 and enriched[0][0] == b"t-1"
    record = orjson.loads(enriched[0][1])
    assert record["id"] == "t-1" and "deployment" in record["categories"]
    bundles = sitrep.outputs[sitrep.names.claims].sent
    carried = []
    for key, value in bundles:
        message = orjson.loads(value)
        assert key == b"t-1" and message["text_hash"] == body_hash(article["body"])
        for item in message["claims"]:
            assert item["claim"] == claim_id(item["event"], None)
            carried.append(item["event"])
    assert carried and sorted(carried, key=str) == sorted(record["events"], key=str)


async def test_agent_dead_letters_bad_input_and_keeps_going(sitrep: Sitrep) -> None:
    async with sitrep.agents["classify"].test_context() as context:
        bad = await put(sitrep, context, b"\xff not json", b"bad")
        good = await put(sitrep, context, orjson.dumps({"id": "ok", "body": "Nothing happened today."}))
    assert bad.rejected is not None and bad.rejected.reason == "undecodable"
    assert good.rejected is None
    (dead,) = sitrep.outputs[sitrep.names.deadletter].sent
    record = orjson.loads(dead[1])
    assert dead[0] == b"bad" and record["reason"] == "undecodable"
    assert len(sitrep.outputs[sitrep.names.enriched].sent) == 1


async def test_an_article_in_another_language_is_skipped_and_counted_by_language(sitrep: Sitrep) -> None:
    body = "Nordkoreanische Soldaten kämpfen an der Seite Russlands in Kursk, Dutzende wurden getötet."
    async with sitrep.agents["classify"].test_context() as context:
        outcome = await put(sitrep, context, orjson.dumps({"id": "de", "body": body}), b"de")
    assert outcome.rejected is None and outcome.skipped == "unsupported_language"
    (enriched,) = sitrep.outputs[sitrep.names.enriched].sent
    record = orjson.loads(enriched[1])
    assert (record["language"], record["skipped"], record["events"]) == ("de", "unsupported_language", [])
    assert sitrep.outputs[sitrep.names.claims].sent == []
    assert sitrep.outputs[sitrep.names.deadletter].sent == []
    value = sitrep.metrics.registry.get_sample_value
    assert value("sitrep_articles_skipped_total", {"reason": "unsupported_language", "language": "de"}) == 1
    assert value("sitrep_articles_classified_total") == 0


def claim_message(article_id: str, text: str, outlet: str, seen_at: float = 1_700_000_000.0) -> bytes:
    event = {
        "event_id": f"e-{article_id}",
        "article_id": article_id,
        "category": "supply",
        "status": "reported",
        "actor": "Iran",
        "counterpart": "Russia",
        "systems": ["shahed-136 drone"],
        "quantity": None,
        "when": None,
    }
    return orjson.dumps(
        {
            "claims": [{"claim": "c-test", "event": event}],
            "published_at": None,
            "text_hash": body_hash(text),
            "outlet": outlet,
            "seen_at": seen_at,
        }
    )


async def test_claims_agent_counts_one_claim_once_with_its_corroboration(sitrep: Sitrep) -> None:
    async with sitrep.agents["claims"].test_context() as context:
        await context.put(claim_message("a1", "Iran sent drones.", "Reuters"), key=b"a1")
        await context.put(
            claim_message("a1", "Iran sent drones.", "Reuters"), key=b"a1"
        )  # same article again
        await context.put(claim_message("a2", "Iran sent drones.", "AP"), key=b"a2")  # same text, other id
        # The format before bundles (one event, keyed by its claim) is still read during an upgrade.
        legacy = orjson.loads(claim_message("a3", "Tehran shipped drones.", "AP"))
        legacy["event"] = legacy.pop("claims")[0]["event"]
        await context.put(orjson.dumps(legacy), key=orjson.dumps("c-test"))  # corroboration
        await context.put(claim_message("a1", "Iran sent drones, updated.", "Reuters"), key=b"a1")  # rewrite
    published = [orjson.loads(v) for _, v in sitrep.outputs[sitrep.names.events("supply")].sent]
    assert [(e["article_id"], e["corroboration"]) for e in published] == [("a1", 1), ("a3", 2)]
    assert {e["claim_id"] for e in published} == {"c-test"}
    assert published[0]["first_seen"] == published[1]["first_seen"] == "2023-11-14T22:13:20Z"
    assert all(key == b"Iran" for key, _ in sitrep.outputs[sitrep.names.events("supply")].sent)
    state = sitrep.tables["claims"]["c-test"]
    assert state["outlets"] == ["Reuters", "AP"] and state["corroboration"] == 2
    tracked = sitrep.metrics.registry.get_sample_value("sitrep_claims_tracked")
    assert tracked == len(sitrep.tables["claims"]) == 1  # current at scrape time, not at the next sweep


async def test_claims_agent_publishes_in_event_time_and_marks_what_a_replay_led_to(sitrep: Sitrep) -> None:
    async with sitrep.agents["claims"].test_context() as context:
        await context.put(claim_message("a1", "Iran sent drones.", "Reuters", seen_at=1_700_000_000.0))
        before = dict(sitrep.tables["claims"]["c-test"])
        # A replay of the same article is a repeat: nothing published, the claim left as it was.
        replayed = claim_message("a1", "Iran sent drones.", "Reuters", seen_at=1_700_000_000.0)
        await context.put(replayed, headers=[REPLAY_HEADER])
        assert sitrep.tables["claims"]["c-test"] == before
        # A replayed article that carries the claim for the first time is published, marked.
        await context.put(
            claim_message("a2", "Tehran shipped drones.", "AP", 1_600_000_000.0), headers=[REPLAY_HEADER]
        )
    topic = sitrep.outputs[sitrep.names.events("supply")]
    assert [orjson.loads(v)["article_id"] for _, v in topic.sent] == ["a1", "a2"]
    assert topic.marks == [(None, 1_700_000_000.0), ([REPLAY_HEADER], 1_600_000_000.0)]
    assert sitrep.metrics.registry.get_sample_value("sitrep_events_repeated_total") == 1


async def test_alerts_agent_marks_an_alert_raised_by_a_replayed_event(sitrep: Sitrep) -> None:
    casualties = {
        "event_id": "e-1",
        "article_id": "a1",
        "claim_id": "c-1",
        "category": "casualty",
        "status": "reported",
        "actor": "Russia",
        "counterpart": None,
        "systems": [],
        "quantity": {"value": 300, "text": "300 soldiers"},
        "evidence": {"text": "300 soldiers were killed."},
        "corroboration": 1,
    }
    other = dict(casualties, event_id="e-2", claim_id="c-2", article_id="a2")
    async with sitrep.agents["alerts"].test_context() as context:
        await context.put(orjson.dumps(casualties), key=b"Russia", timestamp=1_700_000_000.0)
        await context.put(
            orjson.dumps(other), key=b"Russia", timestamp=1_700_000_000.0, headers=[REPLAY_HEADER]
        )
    alerts = sitrep.outputs[sitrep.names.alerts]
    assert [orjson.loads(v)["claims"] for _, v in alerts.sent] == [["c-1"], ["c-2"]]
    assert [headers for headers, _ in alerts.marks] == [None, [REPLAY_HEADER]]
