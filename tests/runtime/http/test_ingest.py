"""A 202 only once the broker acknowledged every article; otherwise 503 with Retry-After, and no send
future is left with an exception nobody read."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError

from streams.config import ConfigError, Settings
from streams.runtime.http.ingest import RawDelivery, Undelivered

MESSAGES = [(b"a", b'{"body": "x"}'), (b"b", b'{"body": "y"}')]


class Broker:
    """A topic whose producer answers as told: "ack", "fail" (after a moment), "hang" (never),
    "refuse" (the send raises at once), "full" (the producer's buffer never takes the message),
    "too_large" (the broker refuses it) or "oversized" (the producer refuses it)."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.futures: list[asyncio.Future[Any]] = []
        self.handed: list[bytes] = []

    def as_future_message(self, *, key: bytes, value: bytes) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        return future

    async def publish_message(self, future: asyncio.Future[Any]) -> None:
        answer = self.answers.pop(0) if self.answers else "ack"
        if answer == "refuse":
            raise ConnectionError("Unable to bootstrap from [('127.0.0.1', 1)]")
        if answer == "oversized":  # the producer's own limit, as Faust wraps it
            raise ProducerSendError("Error while sending") from MessageSizeTooLargeError()
        if answer == "full":
            await asyncio.sleep(3600)
        self.handed.append(answer.encode())
        loop = asyncio.get_running_loop()
        if answer == "ack":
            loop.call_later(0.01, future.set_result, "metadata")
        elif answer == "fail":
            loop.call_later(0.01, future.set_exception, ConnectionError("NotLeaderForPartition"))
        elif answer == "too_large":  # the broker's limit (message.max.bytes)
            loop.call_later(0.01, future.set_exception, MessageSizeTooLargeError())


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_all_acknowledged_is_delivered() -> None:
    broker = Broker(["ack", "ack"])
    assert await RawDelivery(broker, timeout=1.0).deliver(MESSAGES) is None
    assert all(f.done() and f.result() == "metadata" for f in broker.futures)


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        (["ack", "fail"], "NotLeaderForPartition"),
        (["ack", "hang"], "1 of 2 articles not acknowledged in 0.2 s"),
        (["refuse"], "Unable to bootstrap"),
        (["ack", "full"], "the producer did not take 2 articles in 0.2 s"),
    ],
)
async def test_one_article_not_acknowledged_in_time_fails_the_request(answers: list[str], says: str) -> None:
    delivery = RawDelivery(Broker(answers), timeout=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    undelivered = await delivery.deliver(MESSAGES)
    assert isinstance(undelivered, Undelivered) and says in undelivered.error
    assert (undelivered.reason, undelivered.retry_after) == ("broker_unavailable", 1)
    assert loop.time() - started < 0.2 + 0.15, "bounded by the timeout"


async def test_after_a_failure_requests_are_refused_at_once_until_the_broker_answers() -> None:
    clock = Clock()
    broker = Broker(["hang", "hang"])
    delivery = RawDelivery(broker, timeout=3.0, clock=clock)
    delivery.timeout = 0.05  # keep the test fast; retry_after stays 1
    assert await delivery.deliver(MESSAGES) is not None
    handed = len(broker.handed)
    clock.now += 0.4
    refused = await delivery.deliver(MESSAGES)
    assert refused is not None and refused.retry_after == 1 and "a moment ago" in refused.error
    assert len(broker.handed) == handed, "nothing more is piled on the producer"
    clock.now += 1.0  # the outage window is over: the next request tries the broker again
    assert await delivery.deliver(MESSAGES) is None
    assert len(broker.handed) == handed + 2


async def test_a_late_acknowledgement_ends_the_outage() -> None:
    clock = Clock()
    broker = Broker(["hang", "ack"])
    delivery = RawDelivery(broker, timeout=0.05, clock=clock)
    assert await delivery.deliver(MESSAGES[:1]) is not None
    broker.futures[0].set_result("metadata")  # delivered after the 503
    await asyncio.sleep(0)
    assert await delivery.deliver(MESSAGES[1:]) is None


async def test_failures_after_the_answer_are_retrieved(caplog: pytest.LogCaptureFixture) -> None:
    """The send futures of a request answered 503 fail later; their exceptions are read, so asyncio
    never logs "exception was never retrieved" (as Faust's FutureMessage did)."""
    broker = Broker(["hang", "hang"])
    delivery = RawDelivery(broker, timeout=0.05)
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert await delivery.deliver(MESSAGES) is not None
        for future in broker.futures:
            future.set_exception(ConnectionError("RequestTimedOut"))
        await asyncio.sleep(0)
        broker.futures.clear()
        gc.collect()
    assert "never retrieved" not in caplog.text


@pytest.mark.parametrize("answer", ["too_large", "oversized"])
async def test_an_article_refused_for_its_size_is_too_large_not_an_outage(answer: str) -> None:
    delivery = RawDelivery(Broker(["ack", answer, "ack", "ack"]), timeout=1.0)
    undelivered = await delivery.deliver(MESSAGES)
    assert isinstance(undelivered, Undelivered) and undelivered.reason == "too_large"
    assert "MessageSizeTooLargeError" in undelivered.error
    assert await delivery.deliver(MESSAGES) is None, "the next request is not refused as an outage"


def test_the_ack_timeout_must_be_positive() -> None:
    assert Settings.from_env({}).http_ack_timeout_seconds == 10.0
    with pytest.raises(ConfigError, match="SITREP_HTTP_ACK_TIMEOUT_SECONDS"):
        Settings.from_env({"SITREP_HTTP_ACK_TIMEOUT_SECONDS": "0"})
