"""Acknowledge an input only once its outputs are delivered, resending what failed.

Two Faust behaviours break at-least-once, both found by tests/e2e/test_crash.py:
- Faust acks an event in a `finally` block, so an agent cancelled mid-event (SIGTERM,
  rebalance) still acks it, and `take_events` acks its whole batch that way (a SIGTERM lost
  16 of 1,500 articles).
- A send that fails (the broker restarting: LeaderNotAvailable, NotLeaderForPartition, or
  a batch that expired while the broker was away) is only logged, and the commit that
  follows moves past its input anyway (a broker restart lost articles).
So each agent sends through a `Deliveries`: it keeps the inputs in order and acks one only
when every output it led to is acknowledged by the broker; a failed output is sent again.
The loop body does not wait for the broker, so sends still batch in the producer; a
background acker settles the inputs. An output that cannot be delivered for
DELIVERY_DEADLINE_SECONDS makes the worker exit with EX_TEMPFAIL (75) so that its
supervisor starts a fresh one: nothing unacked is committed, so that is as safe as kill -9.

Found by: tests/e2e/test_crash.py::test_sigterm_stops_cleanly_and_commits (the ack in `finally`) and
::test_broker_stop_and_restart_mid_stream_loses_no_article (the failed send). Upstream: faust-streaming/
faust#527 (acks on cancel, after robinhood/faust#604) and robinhood/faust#75 (commits past a failed
send). Delete when a Faust release passes those two tests without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from streams.runtime.reliability.supervision import exit_for_supervisor

log = logging.getLogger("sitrep.delivery")

MAX_PENDING = 2000  # inputs waiting for their outputs before the agent waits too
RETRY_SECONDS = 1.0
DELIVERY_DEADLINE_SECONDS = 60.0
MAX_BATCH = 500  # inputs per batch at most: state is written, and inputs acked, at least this often
BATCH_LINGER_SECONDS = 0.05  # a batch of a stage that keeps up spans this long; its acks wait as long
LINGER_POLL_SECONDS = 0.005


@dataclass
class _Send:
    topic: Any
    key: bytes | None
    value: bytes
    callback: Any
    partition: int | None = None
    headers: list[tuple[str, bytes]] | None = None
    timestamp: float | None = None  # seconds; None: the send time
    future: asyncio.Future[Any] | None = None


@dataclass
class _Input:
    event: Any
    sends: list[_Send] = field(default_factory=list)


def _exit_for_supervisor(reason: str) -> None:
    message = "cannot deliver; exiting so that a supervisor restarts the worker"
    exit_for_supervisor(log, message, "delivery_failed", reason)


class Deliveries:
    """Outputs per input; inputs are acked in order once all their outputs are delivered."""

    def __init__(
        self,
        name: str = "agent",
        *,
        max_pending: int = MAX_PENDING,
        retry_seconds: float = RETRY_SECONDS,
        deadline_seconds: float = DELIVERY_DEADLINE_SECONDS,
        give_up: Callable[[str], None] = _exit_for_supervisor,
    ) -> None:
        self.name = name
        self.max_pending = max_pending
        self.retry_seconds = retry_seconds
        self.deadline_seconds = deadline_seconds
        self._give_up = give_up
        self._pending: deque[_Input] = deque()
        self._held: list[_Input] = []  # settled inputs of the batch under way: not acked before it ends
        self._current: _Input | None = None
        self._wakeup = asyncio.Event()  # an input settled or an output's future completed
        self._room = asyncio.Event()
        self._failing_since: float | None = None
        self.acked = 0
        self.resent = 0

    @property
    def pending(self) -> int:
        """Inputs whose outputs are not all delivered yet."""
        return len(self._pending)

    async def send(
        self,
        topic: Any,
        *,
        key: bytes | None,
        value: bytes,
        partition: int | None = None,
        callback: Any = None,
        headers: list[tuple[str, bytes]] | None = None,
        timestamp: float | None = None,
    ) -> None:
        """Hand one output of the current input to the producer (it batches; nothing waits for the
        broker here, only for room in the producer's buffer)."""
        send = _Send(topic, key, value, callback, partition, headers, timestamp)
        await self._hand_over(send)
        if self._current is not None:
            self._current.sends.append(send)

    async def _hand_over(self, send: _Send) -> None:
        while True:
            # Faust's Topic.send is these two calls, but it keeps the producer's future and drops the
            # message's own, whose failure then goes unread ("FutureMessage exception was never
            # retrieved" at shutdown): keep the message's future, and read its outcome when it settles.
            future = send.topic.as_future_message(
                key=send.key,
                value=send.value,
                partition=send.partition,
                callback=send.callback,
                headers=send.headers,
                timestamp=send.timestamp,
            )
            future.add_done_callback(self._on_done)
            try:
                await send.topic.publish_message(future)
            except Exception as exc:  # the producer's buffer stayed full (broker away), not ready yet
                self._failing(exc, send)
                await asyncio.sleep(self.retry_seconds)
                continue
            send.future = future
            return

    def _on_done(self, future: asyncio.Future[Any]) -> None:
        if not future.cancelled():
            future.exception()  # read here: a failed send is resent, not an error left for the GC to report
        self._wakeup.set()

    def _failing(self, exc: BaseException, send: _Send) -> None:
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
        log.warning(
            "resending an output",
            extra={"event": "resend", "agent": self.name, "topic": _name(send.topic), "error": repr(exc)},
        )
        if now - self._failing_since > self.deadline_seconds:
            self._give_up(f"{self.name}: no delivery for {self.deadline_seconds:.0f} s: {exc!r}")

    def _acker_ended(self, acker: asyncio.Future[None]) -> None:
        if not acker.cancelled() and acker.exception() is not None:  # a bug: nothing would be acked again
            log.critical("the acker failed", exc_info=acker.exception(), extra={"agent": self.name})
            self._give_up(f"{self.name}: the acker failed: {acker.exception()!r}")

    def _begin(self, event: Any) -> None:
        self._current = _Input(event)

    def _settle(self) -> None:
        """The loop body for the current input returned: hold it until its batch ends."""
        current, self._current = self._current, None
        if current is not None:
            self._held.append(current)

    def _forget(self) -> None:
        """The stream stopped: drop the inputs it will never ack in this run (an unfinished batch, and
        those the cancelled acker had not reached). Faust's consumer keeps unacked messages in a weak
        set and, on a clean stop, waits for that set to empty: a reference kept here hung the stop
        until the worker was killed (tests/e2e/test_bench.py's state run). Their offsets are not
        committed, so they are read again after the restart: at least once, as after a crash."""
        self._current = None
        self._held.clear()
        self._pending.clear()
        self._room.set()

    async def _release(self) -> None:
        """The batch ended (its state writes handed to the producer): queue its inputs for acking;
        wait if too many wait."""
        self._pending.extend(self._held)
        self._held.clear()
        self._wakeup.set()
        while len(self._pending) > self.max_pending:  # back-pressure: wait for the acker
            self._room.clear()
            await self._room.wait()

    async def ack_delivered(self, stream: Any) -> None:
        """Forever: ack inputs from the head once their outputs are delivered; resend failures."""
        head: _Input | None = None
        head_since = time.monotonic()
        while True:
            self._wakeup.clear()
            if not self._pending:
                await self._wakeup.wait()
                continue
            if self._pending[0] is not head:
                head, head_since = self._pending[0], time.monotonic()
            if any(s.future is not None and not s.future.done() for s in head.sends):
                if time.monotonic() - head_since > self.deadline_seconds:  # the broker never answered
                    self._give_up(f"{self.name}: an output unanswered for {self.deadline_seconds:.0f} s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=1.0)
                continue
            failed = [s for s in head.sends if _failed_future(s.future)]
            if failed:
                await self._resend_failed(failed[0])
                continue
            self._pending.popleft()
            self._failing_since = None
            self.acked += 1
            await stream.ack(head.event)
            self._room.set()

    async def _resend_failed(self, first: _Send) -> None:
        """Wait a little, then send again every output that failed (not only the head's)."""
        assert first.future is not None
        exc = asyncio.CancelledError() if first.future.cancelled() else first.future.exception()
        self._failing(exc or RuntimeError("send failed"), first)
        await asyncio.sleep(self.retry_seconds)
        for send in _failed(self._pending):
            self.resent += 1
            await self._hand_over(send)


def _failed_future(future: asyncio.Future[Any] | None) -> bool:
    return future is not None and future.done() and (future.cancelled() or future.exception() is not None)


def _failed(pending: deque[_Input]) -> list[_Send]:
    return [send for item in list(pending) for send in item.sends if _failed_future(send.future)]


def _name(topic: Any) -> str:
    try:
        return str(topic.get_topic_name())
    except Exception:
        return str(topic)


async def each_event(
    stream: Any,
    deliveries: Deliveries,
    *,
    end_batch: Callable[[], Awaitable[None]] | None = None,
    max_batch: int = MAX_BATCH,
    linger_seconds: float = BATCH_LINGER_SECONDS,
) -> AsyncIterator[Any]:
    """The stream's events; each is acked, in order, once the outputs sent for it through
    `deliveries` are delivered, and never when the loop body is interrupted.

    With `end_batch` (a stage's state writes, once per batch) the events come in batches: those
    already fetched and waiting in the stream's buffer, up to `max_batch`, and those that arrive
    within `linger_seconds` of the batch's first (as a producer's linger). `end_batch` runs after the
    last one, and only then are the batch's events queued for acking, so no offset is committed
    before the state its event changed is handed to the producer (Faust flushes it before a commit)."""
    unacked = stream.noack()
    waiting = _buffer(unacked)
    acker = asyncio.ensure_future(deliveries.ack_delivered(unacked))
    acker.add_done_callback(deliveries._acker_ended)
    in_batch, began = 0, 0.0
    try:
        async for event in unacked.events():
            if in_batch == 0:
                began = time.monotonic()
            deliveries._begin(event)
            yield event
            deliveries._settle()
            in_batch += 1
            if end_batch is not None:
                if in_batch < max_batch and waiting is not None:
                    while waiting.empty() and (linger := began + linger_seconds - time.monotonic()) > 0:
                        await asyncio.sleep(min(linger, LINGER_POLL_SECONDS))  # idle: let more events come
                    if not waiting.empty():
                        continue  # more of this batch is already fetched
                await end_batch()
            in_batch = 0
            await deliveries._release()
    finally:
        acker.cancel()
        deliveries._forget()


def _buffer(stream: Any) -> Any:
    """The queue of fetched events the stream reads from (Faust's channel queue), if it has one."""
    channel = getattr(stream, "channel", None)
    return getattr(channel, "queue", None) if channel is not None else None
