import argparse
from typing import Any

import orjson
import pytest
from aiokafka import ConsumerRecord

from streams.cli.tail import event_filter, format_line, render_json, render_line, show_fields

EVENT = {
    "category": "supply",
    "status": "reported",
    "actor": "Iran",
    "counterpart": "Russia",
    "systems": ["shahed-136 drone"],
    "quantity": {"value": 200, "unit": "drones"},
    "confidence": 0.8,
    "corroboration": 1,
    "evidence": {"text": "Iran  sent 200 drones to Russia.", "start": 0, "end": 31},
}


def test_filters_combine() -> None:
    assert event_filter()(EVENT)
    assert event_filter(categories=["Supply", "casualty"], actors=["iran"])(EVENT)
    assert not event_filter(categories=["casualty"])(EVENT)
    assert not event_filter(actors=["Russia"])(EVENT)
    assert event_filter(min_confidence=0.8)(EVENT) and not event_filter(min_confidence=0.9)(EVENT)
    assert event_filter(new_claims_only=True)(EVENT)
    assert not event_filter(new_claims_only=True)(dict(EVENT, corroboration=3))
    assert not event_filter(categories=["supply"])(None)  # not JSON: a filter cannot pass it
    assert event_filter()(None)


def test_line_format_for_each_kind_of_message() -> None:
    line = format_line(EVENT)
    assert line.startswith("[supply/reported] Iran -> Russia systems: shahed-136 drone quantity: 200 drones")
    assert "new claim" in line and '"Iran sent 200 drones to Russia."' in line
    alert = {"rule": "r", "severity": "critical", "summary": "s"}
    assert format_line(alert) == "ALERT critical r: s"
    assert format_line({"id": "a", "body": "b", "events": [EVENT], "categories": ["supply"]}).startswith(
        "article a:"
    )
    assert (
        format_line({"reason": "invalid_json", "error": "bad", "payload": "{"})
        == "dead letter (invalid_json): bad"
    )


def record(**fields: Any) -> ConsumerRecord[bytes, bytes]:
    values: dict[str, Any] = {
        "topic": "p.events.supply",
        "partition": 2,
        "offset": 17,
        "timestamp": 1_780_000_000_123,
        "timestamp_type": 0,
        "key": b"Iran",
        "value": orjson.dumps(EVENT),
        "checksum": None,
        "serialized_key_size": 4,
        "serialized_value_size": 10,
        "headers": (("sitrep-replay", b"1"), ("trace", b"\xff")),
    }
    return ConsumerRecord(**(values | fields))


def test_show_takes_known_fields_in_the_order_given() -> None:
    assert show_fields("offset, key,partition,key") == ("offset", "key", "partition")
    with pytest.raises(argparse.ArgumentTypeError, match="unknown field value, size"):
        show_fields("key,value,size")
    with pytest.raises(argparse.ArgumentTypeError):
        show_fields(",")


def test_json_lines_put_the_shown_fields_around_the_value() -> None:
    assert orjson.loads(render_json(record())) == EVENT  # nothing shown: the value as it was
    line = orjson.loads(render_json(record(), ("key", "partition", "offset", "timestamp", "headers")))
    assert line == {
        "key": "Iran",
        "partition": 2,
        "offset": 17,
        "timestamp": 1_780_000_000_123,
        "headers": {"sitrep-replay": "1", "trace": "\ufffd"},
        "value": EVENT,
    }
    bare = orjson.loads(render_json(record(key=None, value=b"not json", headers=()), ("key", "headers")))
    assert bare == {"key": None, "headers": {}, "value": "not json"}


def test_readable_lines_get_the_fields_as_a_prefix() -> None:
    line = render_line(record(), ("partition", "offset", "timestamp", "key"))
    assert line.startswith(
        "partition=2 offset=17 timestamp=2026-05-28T20:26:40.123Z key=Iran [supply/reported]"
    )
    assert render_line(record(key=None, value=b"plain"), ("key", "headers")) == (
        'key=- headers={"sitrep-replay":"1","trace":"\ufffd"} plain'
    )
    assert render_line(record(), ()) == format_line(EVENT)
