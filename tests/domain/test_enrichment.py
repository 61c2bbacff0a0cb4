"""One raw message through `process`: claim bundles, limits and the classification time budget."""

from __future__ import annotations

import time

import orjson
import pytest
from aiokafka.partitioner import DefaultPartitioner

import streams.domain.enrichment
from streams.classify import classify
from streams.contracts.topics import TopicNames
from streams.domain.budget import BudgetExceededError, time_budget
from streams.domain.claims import claim_id, claim_partition
from streams.domain.enrichment import Limits, Source, process

NAMES = TopicNames()
SOURCE = Source(topic="articles.raw", partition=0, offset=1, key=b"k")


def run(body: str, limits: Limits) -> str:
    outcome = process(
        orjson.dumps({"id": "a", "body": body}), SOURCE, NAMES, 10**7, claim_partitions=4, limits=limits
    )
    return outcome.rejected.reason if outcome.rejected else "enriched"


def test_claims_go_out_one_message_per_partition_with_every_event() -> None:
    body = " ".join(f"Russia sent {n * 100} tanks to Belarus on {n} March 2024." for n in range(2, 14))
    outcome = process(orjson.dumps({"id": "a", "body": body}), SOURCE, NAMES, 10**7, claim_partitions=4)
    enriched = orjson.loads(outcome.outputs[-1].value)
    bundles = [o for o in outcome.outputs if o.topic == NAMES.claims]
    assert 1 < len(bundles) <= 4 < len(enriched["events"])
    assert len({o.partition for o in bundles}) == len(bundles)
    carried = []
    for bundle in bundles:
        assert bundle.key == b"a"
        for item in orjson.loads(bundle.value)["claims"]:
            assert claim_partition(item["claim"], 4) == bundle.partition
            assert item["claim"] == claim_id(item["event"], None)
            carried.append(item["event"])
    assert sorted(e["event_id"] for e in carried) == sorted(e["event_id"] for e in enriched["events"])


def test_without_a_claims_stage_only_the_enriched_article_goes_out() -> None:
    body = "Russia sent 300 tanks to Belarus on 2 March 2024. Belarus received 40 jets."
    outcome = process(orjson.dumps({"id": "a", "body": body}), SOURCE, NAMES, 10**7, claim_partitions=None)
    assert [o.topic for o in outcome.outputs] == [NAMES.enriched]
    assert len(orjson.loads(outcome.outputs[0].value)["events"]) == len(classify(body)) > 1


def test_claim_partition_is_kafkas_default_partitioner_of_the_json_key() -> None:
    partitioner = DefaultPartitioner()
    for n in range(50):
        claim = f"c-{n:020x}"
        expected = partitioner(orjson.dumps(claim), list(range(8)), list(range(8)))
        assert claim_partition(claim, 8) == expected


def test_too_many_sentences_is_dead_lettered() -> None:
    body = "Troops moved. " * 50
    assert run(body, Limits(max_sentences=49)) == "too_many_sentences"
    assert run(body, Limits(max_sentences=50)) == "enriched"


def test_too_many_events_is_dead_lettered() -> None:
    body = " ".join(f"Russian shelling killed {n} civilians in Kharkiv." for n in range(2, 30))  # 28 events
    assert run(body, Limits(max_events=3)) == "too_many_events"
    assert run(body, Limits(max_events=500)) == "enriched"


def test_a_classifier_over_its_budget_is_stopped_and_dead_lettered(monkeypatch: pytest.MonkeyPatch) -> None:
    def spin(body: str, published_at: str | None = None, *, max_sentences: int = 0) -> list[object]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # pure Python: the alarm interrupts it
            pass
        return []

    monkeypatch.setattr(streams.domain.enrichment, "classify", spin)
    started = time.monotonic()
    outcome = process(
        orjson.dumps({"body": "x"}),
        SOURCE,
        NAMES,
        1000,
        claim_partitions=4,
        limits=Limits(budget_seconds=0.2),
    )
    assert outcome.rejected is not None and outcome.rejected.reason == "classifier_timeout"
    assert time.monotonic() - started < 5
    assert orjson.loads(outcome.outputs[0].value)["payload"] == '{"body":"x"}'


def test_budget_is_disarmed_after_the_block() -> None:
    with time_budget(0.05):
        pass
    time.sleep(0.1)  # an alarm after the block must not fire into unrelated code
    with pytest.raises(BudgetExceededError), time_budget(0.05):
        time.sleep(1)
