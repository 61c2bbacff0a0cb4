"""Every timestamp Sitrep publishes has one shape, ISO-8601 UTC with milliseconds and Z, and the
schemas pin it: the enriched article, the dead letter, the published event and the alert."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson

from streams.contracts.records import published_event
from streams.contracts.timestamps import PATTERN, utc_iso
from streams.contracts.topics import TopicNames
from streams.domain.alert_state import WindowEntry
from streams.domain.alerting import build_alert
from streams.domain.enrichment import Source, process
from streams.domain.rules import Rule
from tests.conftest import SCHEMAS

ARTICLE = {"id": "a-1", "body": "Russia deployed 300 soldiers to Belgorod on Monday, the ministry said."}
SOURCE = Source(topic="articles.raw", partition=0, offset=5, key=b"a-1", timestamp=1_700_000_000.123456)


def test_seconds_and_datetimes_come_out_in_milliseconds_and_z() -> None:
    assert utc_iso(1_700_000_000) == "2023-11-14T22:13:20.000Z"
    assert utc_iso(1_700_000_000.123456) == "2023-11-14T22:13:20.123Z"
    two_hours_east = datetime(2024, 5, 1, 14, 0, 0, 5000, tzinfo=timezone(timedelta(hours=2)))
    assert utc_iso(two_hours_east) == "2024-05-01T12:00:00.005Z"
    assert re.match(PATTERN, utc_iso(datetime.now(UTC)))


def test_every_published_timestamp_field_of_the_schemas_has_the_pattern() -> None:
    pinned = {}
    for name in ("enriched-article", "dead-letter", "event", "alert"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
        pinned.update({f"{name}.{key}": value for key, value in _date_times(schema)})
    assert set(pinned) == {
        "enriched-article.published_at",  # the feed's own, passed through as sent
        "enriched-article.received_at",
        "enriched-article.processed_at",
        "dead-letter.failed_at",
        "event.first_seen",
        "alert.start",
        "alert.end",
        "alert.fired_at",
    }
    assert {key for key, value in pinned.items() if value.get("pattern") != PATTERN} == {
        "enriched-article.published_at"
    }


def test_each_published_message_validates_and_carries_milliseconds(validators: dict[str, Any]) -> None:
    outcome = process(orjson.dumps(ARTICLE), SOURCE, TopicNames(), 1 << 20, claim_partitions=4)
    enriched = orjson.loads(next(o.value for o in outcome.outputs if o.topic == "articles.enriched"))
    validators["enriched-article"].validate(enriched)
    bundle = orjson.loads(next(o.value for o in outcome.outputs if o.topic == "sitrep.claims"))
    item = bundle["claims"][0]
    event = published_event(item["event"], item["claim"], 1_700_000_000.5, 1)
    validators["published-event"].validate(event)
    dead = orjson.loads(
        process(b"not json", SOURCE, TopicNames(), 1 << 20, claim_partitions=4).outputs[0].value
    )
    validators["dead-letter"].validate(dead)
    rule = Rule(id="any", severity="info", summary="{actor}", match={})
    entry = WindowEntry(1_700_000_000.25, event["claim_id"], event["event_id"], event["article_id"], "Wire")
    window = [entry]
    alert = build_alert(rule, "Russia", event, window=window, at=1_700_000_001.75, count=1)
    validators["alert"].validate(alert)
    stamps = [
        enriched["received_at"],
        enriched["processed_at"],
        event["first_seen"],
        dead["failed_at"],
        alert["window"]["start"],
        alert["window"]["end"],
        alert["fired_at"],
    ]
    assert all(re.match(PATTERN, stamp) for stamp in stamps), stamps
    assert (enriched["received_at"], event["first_seen"], alert["fired_at"]) == (
        "2023-11-14T22:13:20.123Z",
        "2023-11-14T22:13:20.500Z",
        "2023-11-14T22:13:21.750Z",
    )


def _date_times(node: Any, name: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(property name, its schema) for every date-time string property, at any depth."""
    if isinstance(node, list):
        return [found for item in node for found in _date_times(item, name)]
    if not isinstance(node, dict):
        return []
    own = [(name, node)] if node.get("format") == "date-time" else []
    nested = [found for key, value in node.get("properties", {}).items() for found in _date_times(value, key)]
    rest = [found for key, value in node.items() if key != "properties" for found in _date_times(value, name)]
    return own + nested + rest
