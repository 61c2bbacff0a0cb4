"""`sitrep tail`: a group-less consumer that prints topics, event filters, a readable line format."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import chain
from typing import Any, TextIO

import orjson
from aiokafka import AIOKafkaConsumer, ConsumerRecord

from streams.config import Settings
from streams.kafka.clients import topic_partitions
from streams.kafka.security import kafka_options, start_client

# Message metadata `tail --show` can print beside each value (kcat's %t %k %p %o %T %h).
SHOW_FIELDS = ("topic", "key", "partition", "offset", "timestamp", "headers")


def event_filter(
    *,
    categories: list[str] | None = None,
    actors: list[str] | None = None,
    min_confidence: float | None = None,
    new_claims_only: bool = False,
) -> Callable[[Any], bool]:
    """A predicate over decoded messages; a message without a field a filter needs does not pass."""
    wanted_categories = {c.lower() for c in categories or ()}
    wanted_actors = {a.lower() for a in actors or ()}

    def keep(value: Any) -> bool:
        if not isinstance(value, dict):
            return not (wanted_categories or wanted_actors or min_confidence is not None or new_claims_only)
        if wanted_categories and str(value.get("category", "")).lower() not in wanted_categories:
            return False
        if wanted_actors and str(value.get("actor") or "").lower() not in wanted_actors:
            return False
        if min_confidence is not None and float(value.get("confidence") or 0) < min_confidence:
            return False
        return not (new_claims_only and value.get("corroboration") != 1)

    return keep


def format_line(value: Any) -> str:
    """One readable line for an event, an alert, an enriched article or a dead letter."""
    if not isinstance(value, dict):
        return str(value)
    if "rule" in value and "severity" in value:
        return f"ALERT {value['severity']} {value['rule']}: {value['summary']}"
    if "events" in value and "body" in value:
        return f"article {value['id']}: {len(value['events'])} event(s), categories {value['categories']}"
    if "reason" in value and "payload" in value:
        return f"dead letter ({value['reason']}): {value['error']}"
    if "category" in value and "evidence" in value:
        return format_event(value)
    return str(value)


def format_event(event: dict[str, Any]) -> str:
    """Category/status, who -> whom, systems, quantity, corroboration, and the evidence."""
    parts = [f"[{event['category']}/{event['status']}]", str(event.get("actor") or "?")]
    if event.get("counterpart"):
        parts.append(f"-> {event['counterpart']}")
    if event.get("systems"):
        parts.append("systems: " + ", ".join(map(str, event["systems"])))
    quantity = event.get("quantity")
    if isinstance(quantity, dict):
        parts.append(f"quantity: {quantity.get('value')} {quantity.get('unit') or ''}".rstrip())
    if event.get("corroboration"):
        parts.append("new claim" if event["corroboration"] == 1 else f"x{event['corroboration']} sources")
    evidence = event.get("evidence")
    snippet = " ".join(str(evidence.get("text", "") if isinstance(evidence, dict) else "").split())
    parts.append(f'| "{snippet[:140]}{"..." if len(snippet) > 140 else ""}"')
    return " ".join(parts)


def show_fields(text: str) -> tuple[str, ...]:
    """argparse type of `--show`: comma-separated names from SHOW_FIELDS, in the order given."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in SHOW_FIELDS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown field {', '.join(unknown) or repr(text)}: choose from {','.join(SHOW_FIELDS)}"
        )
    return tuple(dict.fromkeys(names))


def record_fields(record: Any, show: tuple[str, ...]) -> dict[str, Any]:
    """The metadata of a consumer record named in `show`: key and header values as text,
    the timestamp in milliseconds since the epoch (as Kafka and kcat give it)."""
    every = {
        "topic": record.topic,
        "key": _text(record.key),
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp,
        "headers": {name: _text(value) for name, value in record.headers or ()},
    }
    return {name: every[name] for name in show}


def json_value(value: bytes | None) -> Any:
    """A message value for a JSON line: as sent when it is JSON, else its text."""
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value.decode("utf-8", "replace")


def render_json(record: Any, show: tuple[str, ...] = ()) -> str:
    """One JSON line: the value alone, or {fields..., "value": ...} when fields are shown."""
    value = json_value(record.value)
    return orjson.dumps({**record_fields(record, show), "value": value} if show else value).decode()


def render_line(record: Any, show: tuple[str, ...] = ()) -> str:
    """One readable line (format_line), after `name=value` for each shown field."""
    value = json_value(record.value)
    text = format_line(value) if isinstance(value, dict) else str(value)
    prefix = " ".join(f"{name}={_prefix_value(name, v)}" for name, v in record_fields(record, show).items())
    return f"{prefix} {text}" if prefix else text


def _prefix_value(name: str, value: Any) -> str:
    if name == "timestamp" and isinstance(value, int) and value >= 0:
        return (
            datetime.fromtimestamp(value / 1000, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
    if name == "headers":
        return orjson.dumps(value).decode()
    return "-" if value is None else str(value)


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


async def tail(
    bootstrap: str,
    topics: list[str],
    *,
    from_beginning: bool,
    limit: int | None,
    idle_timeout: float | None,
    keep: Callable[[Any], bool] = lambda _: True,
    render: Callable[[ConsumerRecord[bytes, bytes]], str] | None = None,
    out: TextIO = sys.stdout,
    security: Settings | None = None,
) -> int:
    """Print each message that `keep` accepts, one line each (its JSON value by default); stop after
    `limit` printed messages in all (over every partition) or `idle_timeout` seconds of quiet."""
    options = kafka_options(security)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **options,
    )
    await start_client(consumer, bootstrap, options)
    printed = 0
    try:
        partitions = await topic_partitions(consumer, topics)
        consumer.assign(partitions)
        if from_beginning:
            await consumer.seek_to_beginning(*partitions)
        else:
            await consumer.seek_to_end(*partitions)
        while limit is None or printed < limit:
            timeout_ms = int(idle_timeout * 1000) if idle_timeout else 1000
            batches = await consumer.getmany(timeout_ms=timeout_ms, max_records=500)
            if not batches and idle_timeout:
                break
            for record in chain.from_iterable(batches.values()):
                if limit is not None and printed >= limit:
                    break
                if keep(decoded(record.value)):
                    out.write((render(record) if render else format_value(record.value)) + "\n")
                    printed += 1
            out.flush()
    finally:
        await consumer.stop()
    return printed


def decoded(value: bytes | None) -> Any:
    """A message value as JSON, or None when it is not JSON."""
    try:
        return orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None


def format_value(value: bytes | None) -> str:
    """A message value as one JSON line: as sent when it is JSON, else a JSON string."""
    return orjson.dumps(json_value(value)).decode()
