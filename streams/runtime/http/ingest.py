"""A 202 from POST /articles means the broker has every article of the request (acks=all).

`Topic.send` only hands a message to the producer: with the broker away, the send fails later
(after SITREP_PRODUCER_REQUEST_TIMEOUT), long after the feed was told 202, and nothing sends it
again. So the view waits for the broker's acknowledgement of every article (the producer runs
with acks=all, streams/runtime/app.py), up to SITREP_HTTP_ACK_TIMEOUT_SECONDS; otherwise it answers 503
with Retry-After and the feed sends again. After such a failure the broker is known not to
answer: for Retry-After seconds requests get their 503 at once rather than piling more sends
on a producer that cannot drain; an acknowledgement that comes late ends that early.

A send that was not acknowledged in time cannot be withdrawn, so it may still be delivered:
the feed's retry is then a duplicate with the same (deterministic) id, which consumers drop.
Every send's future has its outcome retrieved, so none is left with an exception unread.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError, RecordTooLargeError

log = logging.getLogger("sitrep.web")

BROKER_UNAVAILABLE = "broker_unavailable"  # the 503's reason, and its label in the rejected counter


@dataclass(frozen=True, slots=True)
class Undelivered:
    """Why the articles of a request are not known to be on the broker, and when to try again.
    `reason`: "broker_unavailable" (503), or "too_large" (413) when the broker refused an article
    for its size (its limit can be below SITREP_MAX_ARTICLE_BYTES): sending it again cannot help."""

    reason: str
    error: str
    retry_after: int


class RawDelivery:
    """`await deliver(messages)`: None once the broker acknowledged them all, else `Undelivered`."""

    def __init__(self, topic: Any, timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.topic = topic  # a Faust topic: as_future_message() and publish_message()
        self.timeout = timeout
        self.clock = clock
        self._outage_until: float | None = None
        self._outage_error = ""

    @property
    def retry_after(self) -> int:
        """Seconds a feed should wait after a 503: as long as one attempt may take."""
        return max(1, math.ceil(self.timeout))

    async def deliver(self, messages: Sequence[tuple[bytes, bytes]]) -> Undelivered | None:
        """Send (key, value) pairs and wait for every acknowledgement, up to `timeout` seconds."""
        now = self.clock()
        if self._outage_until is not None and now < self._outage_until:
            left = max(1, math.ceil(self._outage_until - now))
            error = f"The broker did not answer a moment ago ({self._outage_error})."
            return Undelivered(BROKER_UNAVAILABLE, error, left)
        try:
            error = await self._send_and_wait(messages)
        except _TooLargeError as exc:
            self._answered()  # it did answer
            return Undelivered("too_large", f"The broker refused an article as too large ({exc}).", 0)
        if error is None:
            self._answered()
            return None
        self._not_answered(error)
        error = f"The broker did not acknowledge the articles ({error})."
        return Undelivered(BROKER_UNAVAILABLE, error, self.retry_after)

    async def _send_and_wait(self, messages: Sequence[tuple[bytes, bytes]]) -> str | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        futures: list[asyncio.Future[Any]] = []
        try:
            async with asyncio.timeout_at(deadline):  # the producer's buffer may stay full
                for key, value in messages:
                    future = self.topic.as_future_message(key=key, value=value)
                    future.add_done_callback(self._settled)
                    futures.append(future)
                    await self.topic.publish_message(future)
        except TimeoutError:
            return f"the producer did not take {len(messages)} articles in {self.timeout:g} s"
        except Exception as exc:  # the producer refused them (it cannot reach the broker, ...)
            _raise_if_too_large(exc)
            return f"{type(exc).__name__}: {exc}"
        if not futures:
            return None
        done, pending = await asyncio.wait(futures, timeout=max(0.0, deadline - loop.time()))
        if pending:
            return f"{len(pending)} of {len(futures)} articles not acknowledged in {self.timeout:g} s"
        for future in done:
            if future.cancelled():
                return "a send was cancelled"
            if (exc := future.exception()) is not None:
                _raise_if_too_large(exc)
                return f"{type(exc).__name__}: {exc}"
        return None

    def _settled(self, future: asyncio.Future[Any]) -> None:
        """Every send's outcome is read here, also after the request was answered."""
        if future.cancelled():
            return
        if future.exception() is None and self._outage_until is not None:
            self._answered()  # a late acknowledgement: the broker is back

    def _not_answered(self, error: str) -> None:
        if self._outage_until is None:
            log.warning(
                "the broker does not acknowledge HTTP ingests; answering 503",
                extra={"event": "http_ingest_unavailable", "error": error},
            )
        self._outage_until = self.clock() + self.retry_after
        self._outage_error = error

    def _answered(self) -> None:
        if self._outage_until is not None:
            log.info("the broker acknowledges HTTP ingests again", extra={"event": "http_ingest_available"})
        self._outage_until = None


class _TooLargeError(Exception):
    """The broker or the producer refused a message for its size: not an outage."""


def _raise_if_too_large(exc: BaseException) -> None:
    cause: BaseException | None = exc
    while cause is not None:  # Faust wraps the producer's own refusal in ProducerSendError
        if isinstance(cause, MessageSizeTooLargeError | RecordTooLargeError):
            raise _TooLargeError(f"{type(cause).__name__}: {cause}") from cause
        cause = cause.__cause__
