"""The claims stage under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

import orjson

from streams.contracts.headers import REPLAY_HEADER
from streams.domain.claims import body_hash
from streams.runtime.context import Sitrep
from tests.runtime.stages.conftest import stored


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
        state = await stored(sitrep.tables["claims"], "c-test", lambda s: s["corroboration"] == 2)
    published = [orjson.loads(v) for _, v in sitrep.outputs[sitrep.names.events("supply")].sent]
    assert [(e["article_id"], e["corroboration"]) for e in published] == [("a1", 1), ("a3", 2)]
    assert [(e["outlet"], e["outlets"]) for e in published] == [("Reuters", 1), ("AP", 2)]  # for the rules
    assert {e["claim_id"] for e in published} == {"c-test"}
    assert published[0]["first_seen"] == published[1]["first_seen"] == "2023-11-14T22:13:20.000Z"
    assert all(key == b"Iran" for key, _ in sitrep.outputs[sitrep.names.events("supply")].sent)
    assert state["outlets"] == ["Reuters", "AP"] and state["corroboration"] == 2
    tracked = sitrep.metrics.registry.get_sample_value("sitrep_claims_tracked")
    assert tracked == len(sitrep.tables["claims"]) == 1  # current at scrape time, not at the next sweep


async def test_claims_agent_publishes_in_event_time_and_marks_what_a_replay_led_to(sitrep: Sitrep) -> None:
    async with sitrep.agents["claims"].test_context() as context:
        await context.put(claim_message("a1", "Iran sent drones.", "Reuters", seen_at=1_700_000_000.0))
        before = dict(await stored(sitrep.tables["claims"], "c-test"))
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


async def test_a_claims_message_it_cannot_read_is_dead_lettered_and_counted(sitrep: Sitrep) -> None:
    unreadable = [b"\x00 not json", orjson.dumps({"claims": [{"event": {}}]}), orjson.dumps([1, 2])]
    async with sitrep.agents["claims"].test_context() as context:
        for number, value in enumerate(unreadable):
            await context.put(value, key=f"bad-{number}".encode())
        await context.put(claim_message("a1", "Iran sent drones.", "Reuters"), key=b"a1")  # still runs
    dead = [(key, orjson.loads(value)) for key, value in sitrep.outputs[sitrep.names.deadletter].sent]
    assert [key for key, _ in dead] == [b"bad-0", b"bad-1", b"bad-2"]
    assert {(d["stage"], d["reason"]) for _, d in dead} == {("claims", "malformed_claim")}
    assert [d["payload_encoding"] for _, d in dead] == ["utf-8", "utf-8", "utf-8"]
    assert dead[1][1]["payload"] == unreadable[1].decode() and dead[1][1]["topic"] == sitrep.names.claims
    assert len(sitrep.outputs[sitrep.names.events("supply")].sent) == 1
    failures = sitrep.metrics.registry.get_sample_value
    assert failures("sitrep_stage_failures_total", {"stage": "claims", "reason": "malformed_claim"}) == 3
