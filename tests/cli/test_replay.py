"""Replay without a broker: date parsing, what one replayed record sends, and the replay mark."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
from aiokafka import ConsumerRecord

from streams.classify import classify
from streams.cli.replay import ReplayResult, _Republisher, parse_when
from streams.config import Settings
from streams.contracts.headers import REPLAY_HEADER, replay_marks
from streams.contracts.topics import TopicNames
from streams.domain.claims import claim_id, claim_partition
from streams.domain.enrichment import Limits

NAMES = TopicNames("r.")
BODY = "Russia sent 300 tanks to Belarus on 2 March 2024. Russia lost 400 soldiers near Avdiivka."


@dataclass
class RecordingProducer:
    """Stands in for the replay's producer: records each send, delivered at once."""

    sent: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, topic: str, value: bytes, **options: Any) -> asyncio.Future[None]:
        self.sent.append({"topic": topic, "value": value, **options})
        delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered


def raw(value: bytes, offset: int = 0) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(NAMES.raw, 1, offset, 1_700_000_000_000, 0, b"k", value, None, 1, len(value), ())


def republisher(producer: RecordingProducer, result: ReplayResult, **settings: Any) -> _Republisher:
    return _Republisher(
        producer,  # type: ignore[arg-type]
        NAMES,
        Settings(topic_prefix=NAMES.prefix, **settings),
        Limits.from_settings(Settings(**settings)),
        claim_partitions=8,
        result=result,
    )


def test_dates_and_times_parse_to_aware_utc() -> None:
    assert parse_when("2024-02-03") == datetime(2024, 2, 3, tzinfo=UTC)
    assert parse_when("2024-02-03T04:05:06Z") == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert parse_when("2024-02-03T04:05:06+02:00") == datetime(
        2024, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2))
    )


async def test_a_replayed_article_goes_to_the_claims_stage_on_its_claims_partitions_marked() -> None:
    producer, result = RecordingProducer(), ReplayResult()
    await republisher(producer, result)(raw(orjson.dumps({"id": "a", "body": BODY})))
    assert all(send["headers"] == [REPLAY_HEADER] for send in producer.sent)
    (enriched,) = [send for send in producer.sent if send["topic"] == NAMES.enriched]
    bundles = [send for send in producer.sent if send["topic"] == NAMES.claims]
    carried = [item for send in bundles for item in orjson.loads(send["value"])["claims"]]
    assert sorted(e["event_id"] for e in orjson.loads(enriched["value"])["events"]) == sorted(
        item["event"]["event_id"] for item in carried
    )
    for send in bundles:  # where the live classify agent would send them, so claims stay with their state
        for item in orjson.loads(send["value"])["claims"]:
            assert item["claim"] == claim_id(item["event"], None)
            assert send["partition"] == claim_partition(item["claim"], 8) and send["key"] == b"a"
    assert orjson.loads(bundles[0]["value"])["seen_at"] == 1_700_000_000.0  # the raw record's time
    assert (result.enriched, result.events, result.claims_messages) == (1, len(carried), len(bundles))
    assert len(carried) == len(classify(BODY)) > 1 and result.rejected == 0  # every event of the article


async def test_a_rejected_record_is_counted_by_reason_and_not_dead_lettered_again() -> None:
    producer, result = RecordingProducer(), ReplayResult()
    replay_one = republisher(producer, result, max_sentences=1)
    await replay_one(raw(b"not json"))
    await replay_one(raw(orjson.dumps({"id": "a", "body": BODY}), offset=1))  # 2 sentences, over the limit
    await replay_one(raw(orjson.dumps({"body": ""}), offset=2))
    assert producer.sent == []
    assert result.rejected == 3 and result.enriched == 0
    assert result.rejected_by_reason == {"invalid_json": 1, "too_many_sentences": 1, "empty_body": 1}
    assert result.as_dict()["rejected_by_reason"] == result.rejected_by_reason


def test_the_mark_is_carried_only_from_a_replayed_input() -> None:
    assert replay_marks([("sitrep-replay", b"1")]) == [REPLAY_HEADER]
    assert replay_marks((("other", b"x"), ("sitrep-replay", b"1"))) == [REPLAY_HEADER]
    assert replay_marks({"sitrep-replay": b"1"}) == [REPLAY_HEADER]
    assert replay_marks(None) is None
    assert replay_marks([]) is None
    assert replay_marks([("sitrep-replay", b"0"), ("other", b"1")]) is None
