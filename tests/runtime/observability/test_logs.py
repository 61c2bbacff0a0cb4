"""Log formats and the broker-outage summary, on the logging configuration the worker uses."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from streams.runtime.observability import logs
from streams.runtime.observability.logs import BrokerErrorSummary, logging_config


@pytest.fixture
def configure() -> Iterator[Any]:
    """Apply logging_config with its handler writing to a buffer; restore the root logger after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level

    def apply(fmt: str, level: str = "info") -> io.StringIO:
        logging.config.dictConfig(logging_config(level, fmt))
        buffer = io.StringIO()
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
        return buffer

    yield apply
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def test_text_format_shows_the_extra_fields(configure: Any) -> None:
    out = configure("text")
    fields = {"event": "dead_letter", "reason": "invalid_json", "partitions": ["raw:0"], "note": "two words"}
    logging.getLogger("sitrep.worker").info("dead-lettered", extra=fields)
    line = out.getvalue().rstrip("\n")
    assert "\n" not in line
    assert line.split(" INFO    sitrep.worker: ", 1)[1] == (
        'dead-lettered event=dead_letter reason=invalid_json partitions=["raw:0"] note="two words"'
    )


def test_text_format_keeps_a_traceback_below_the_fields(configure: Any) -> None:
    out = configure("text")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("sitrep.worker").exception("failed", extra={"event": "crash"})
    first, *rest = out.getvalue().splitlines()
    assert first.endswith("failed event=crash")
    assert rest[0].startswith("Traceback") and rest[-1] == "ValueError: boom"


def test_json_format_is_one_object_with_the_fields(configure: Any) -> None:
    out = configure("json")
    logging.getLogger("sitrep.worker").warning("x", extra={"event": "alert", "rule": "r1"})
    line = orjson.loads(out.getvalue())
    assert (line["level"], line["logger"], line["msg"], line["event"], line["rule"]) == (
        "warning", "sitrep.worker", "x", "alert", "r1"
    )  # fmt: skip


def lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_an_outage_is_one_line_when_it_starts_and_one_with_a_count_when_it_ends(
    configure: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(logs, "monotonic", lambda: clock[0])
    out = configure("json")
    aiokafka, fetcher = logging.getLogger("aiokafka"), logging.getLogger("aiokafka.consumer.fetcher")
    for _ in range(500):  # a few seconds of an outage, as aiokafka logs it
        aiokafka.error("Unable connect to node with id 1: [Errno 111] Connect call failed")
        fetcher.error("Failed fetch messages from 1: NodeNotReadyError")
        logging.getLogger("sitrep.worker").error("publish failed", extra={"event": "publish_error"})
        logging.getLogger("faust.topics").warning(
            "_on_published error for message topic t error KafkaTimeoutError"
        )
        logging.getLogger("mode.timers").warning("Timer lag is overlapping (interval=1.0 runtime=2.0)")
        clock[0] += 0.01
    logging.getLogger("sitrep.worker").info("still working", extra={"event": "other"})
    logs.summarise_broker_errors()  # the worker's timer: errors are too recent, no summary yet
    assert [line["msg"] for line in lines(out)] == ["broker unreachable", "still working"]
    clock[0] += logs.OUTAGE_QUIET_SECONDS
    logs.summarise_broker_errors()
    logs.summarise_broker_errors()  # told once
    opened, _, closed = lines(out)
    assert opened["event"] == "broker_unreachable" and opened["level"] == "warning"
    assert opened["error"].startswith("Unable connect to node") and opened["source_logger"] == "aiokafka"
    assert closed["event"] == "broker_reachable" and closed["level"] == "warning"
    assert closed["suppressed"] == 2499 and closed["outage_seconds"] == 5.0
    assert closed["msg"] == "broker reachable again, 2499 errors suppressed over 5.0 s"


def test_a_long_outage_is_retold_each_minute(configure: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(logs, "monotonic", lambda: clock[0])
    out = configure("json")
    for _ in range(150):  # 150 s of one error a second
        logging.getLogger("aiokafka").error("Unable to update metadata from [1]")
        logs.summarise_broker_errors()
        clock[0] += 1.0
    events = [(line["event"], line.get("suppressed")) for line in lines(out)]
    assert events == [("broker_unreachable", None), ("broker_unreachable", 60), ("broker_unreachable", 120)]


def test_publish_errors_and_overrunning_timers_outside_an_outage_are_told(configure: Any) -> None:
    out = configure("json")
    logging.getLogger("sitrep.worker").error("publish failed", extra={"event": "publish_error"})
    logging.getLogger("mode.timers").warning("Timer lag is overlapping (interval=1.0 runtime=2.0)")
    assert [(line["logger"], line["level"]) for line in lines(out)] == [
        ("sitrep.worker", "error"), ("mode.timers", "warning")
    ]  # fmt: skip


def test_the_coordinator_being_elected_at_start_up_is_not_an_error(configure: Any) -> None:
    out = configure("json")
    logging.getLogger("aiokafka.consumer.group_coordinator").error(
        "Group Coordinator Request failed: [Error 15] GroupCoordinatorNotAvailableError"
    )
    (line,) = lines(out)
    assert line["level"] == "info" and "GroupCoordinatorNotAvailableError" in line["msg"]
    logging.getLogger("sitrep.worker").info("next")
    assert len(lines(out)) == 2, "it opened no outage"


def test_the_filter_is_on_the_handler_so_child_loggers_are_folded_too() -> None:
    config = logging_config("info", "json")
    assert config["handlers"]["stderr"]["filters"] == ["broker_errors"]
    assert config["filters"]["broker_errors"]["()"] is BrokerErrorSummary
