"""Structured logs: one JSON object per line (or plain text for humans), one line per event worth telling."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from time import monotonic
from typing import Any

import orjson

# Attributes every LogRecord has; anything else was passed with `extra=` and is a field.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}

# The Kafka client logs every failed connect, metadata update, fetch and heartbeat: thousands of
# lines for a broker down a few seconds. They are folded into one line per change of state.
BROKER_LOGGERS = ("aiokafka",)
# Quiet this long (no broker error) and the outage is over: aiokafka retries at least every few seconds.
OUTAGE_QUIET_SECONDS = 8.0
# A long outage is retold this often, with the count so far.
OUTAGE_REMINDER_SECONDS = 60.0
# Not an error at start-up: the group coordinator is still being elected, and aiokafka asks again.
COORDINATOR_NOT_YET = "GroupCoordinatorNotAvailable"

broker_log = logging.getLogger("sitrep.broker")


def fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's `extra` fields."""
    return {
        name: value
        for name, value in record.__dict__.items()
        if name not in _STANDARD and not name.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, message, and the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(fields(record))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """For people: time, level, logger, message, then the `extra` fields as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = " ".join(f"{name}={_text_value(value)}" for name, value in fields(record).items())
        if not extra:
            return line
        head, newline, rest = line.partition("\n")  # a traceback stays below the first line
        return f"{head} {extra}{newline}{rest}"


def _text_value(value: Any) -> str:
    """A string bare unless it needs quotes (empty, spaces, quotes, '='); anything else as JSON."""
    if not isinstance(value, str):
        return orjson.dumps(value, default=str).decode()
    quote = not value or any(c.isspace() or c in '"=' for c in value)
    return orjson.dumps(value).decode() if quote else value


class BrokerErrorSummary(logging.Filter):
    """On the handler: folds the Kafka client's errors into one line when they start ("broker
    unreachable"), one when they stop ("broker reachable again", with how many were suppressed
    over how long), and a reminder a minute in a long outage. While an outage is open, its
    symptoms (a line per failed send, timers overrunning) are folded too."""

    def __init__(self, quiet_seconds: float = OUTAGE_QUIET_SECONDS) -> None:
        super().__init__()
        self.quiet_seconds = quiet_seconds
        self._lock = threading.Lock()
        self._started: float | None = None  # monotonic time of the outage's first error
        self._last = 0.0
        self._told = 0.0
        self._suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == broker_log.name:
            return True  # our own summary lines
        if self._is_broker_error(record) and COORDINATOR_NOT_YET in record.getMessage():
            with self._lock:
                if self._started is None:  # at start-up: the coordinator is being elected
                    record.levelno, record.levelname = logging.INFO, "INFO"
                    return True
        if self._is_broker_error(record):
            return self._fold(record)
        if _is_outage_symptom(record):
            with self._lock:
                if self._started is not None:
                    self._suppressed += 1
                    return False
        self.summarise()
        return True

    def _fold(self, record: logging.LogRecord) -> bool:
        now = monotonic()
        with self._lock:
            self._last = now
            if self._started is not None:
                self._suppressed += 1
                return False
            self._started = self._told = now
            self._suppressed = 0
        # The first error of an outage becomes its opening line, with the error as a field.
        record.error, record.source_logger = record.getMessage(), record.name
        record.msg, record.args, record.name = "broker unreachable", None, broker_log.name
        record.event = "broker_unreachable"
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True

    def summarise(self) -> None:
        """Close the outage when its errors stopped; retell a long one. On every record, and on a timer."""
        now = monotonic()
        with self._lock:
            if self._started is None:
                return
            started, suppressed = self._started, self._suppressed
            if now - self._last >= self.quiet_seconds:
                self._started = None
                ended = True
            elif now - self._told >= OUTAGE_REMINDER_SECONDS:
                self._told = now
                ended = False
            else:
                return
        seconds = round((self._last if ended else now) - started, 1)
        extra = {"suppressed": suppressed, "outage_seconds": seconds}
        if ended:  # at warning like the opening line, so that a warning-level log keeps both
            message = f"broker reachable again, {suppressed} errors suppressed over {seconds} s"
            broker_log.warning(message, extra={"event": "broker_reachable", **extra})
        else:
            message = f"broker still unreachable, {suppressed} errors suppressed over {seconds} s"
            broker_log.warning(message, extra={"event": "broker_unreachable", **extra})

    @staticmethod
    def _is_broker_error(record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and record.name.split(".")[0] in BROKER_LOGGERS


def _is_outage_symptom(record: logging.LogRecord) -> bool:
    """What a broker outage causes besides the client's errors: a line per failed send (our sensor's
    and Faust's), and timers that overran waiting on the broker (mode's)."""
    if getattr(record, "event", None) == "publish_error":
        return True
    message = str(record.msg)
    if record.name == "faust.topics":
        return message.startswith("_on_published error")
    return record.name == "mode.timers" and "is overlapping" in message


def summarise_broker_errors() -> None:
    """Let the root handlers' outage summaries notice that the errors stopped (the worker's timer)."""
    for handler in logging.getLogger().handlers:
        for candidate in handler.filters:
            if isinstance(candidate, BrokerErrorSummary):
                candidate.summarise()


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A dictConfig for the worker and the CLI; `fmt` is "json" or "text"."""
    quiet = "DEBUG" if level.lower() == "debug" else "WARNING"
    formatter: dict[str, Any] = {"()": JsonFormatter if fmt == "json" else TextFormatter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"broker_errors": {"()": BrokerErrorSummary}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["broker_errors"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        # Faust and mode log every service's start and stop at info: noise to an operator.
        "loggers": {
            name: {"level": quiet}
            for name in ("faust", "mode", "aiokafka", "streams.runtime.observability.sensor")
        },
    }
