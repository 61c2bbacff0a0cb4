"""The classify agent under Faust's test context: no broker; outbound sends are recorded."""

from __future__ import annotations

from typing import Any

import orjson

from streams.domain.claims import body_hash, claim_id
from streams.domain.enrichment import Outcome
from streams.runtime.context import Sitrep


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
    assert dead[0] == b"bad" and (record["stage"], record["reason"]) == ("classify", "undecodable")
    assert len(sitrep.outputs[sitrep.names.enriched].sent) == 1
    failures = sitrep.metrics.registry.get_sample_value
    assert failures("sitrep_stage_failures_total", {"stage": "classify", "reason": "undecodable"}) == 1


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


async def test_the_enriched_article_is_handed_over_before_its_claims(sitrep: Sitrep) -> None:
    """What a reader waits for goes to the producer first (its latency: bench/README.md, "Profiles")."""
    handed_over: list[str] = []
    for name, topic in sitrep.outputs.items():
        send = topic.send

        async def recording(*, _name: str = name, _send: Any = send, **fields: Any) -> Any:
            handed_over.append(_name)
            return await _send(**fields)

        topic.send = recording  # type: ignore[method-assign]
    body = "Russia has deployed 2,000 troops to Finland. Ukraine received 40 tanks from Poland."
    async with sitrep.agents["classify"].test_context() as context:
        await put(sitrep, context, orjson.dumps({"id": "order", "body": body}), b"order")
    assert handed_over.count(sitrep.names.claims) >= 1
    assert handed_over[0] == sitrep.names.enriched and handed_over.count(sitrep.names.enriched) == 1
