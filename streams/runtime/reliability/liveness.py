"""A consumer that owns partitions with lag must make progress; if it does not, restart its fetching,
and if that does not help either, exit so that the supervisor starts a fresh worker.

Progress on a partition is its committed offset or its read offset (the last message handed to
the agents) moving. A partition "stalls" when it has lag (end offset above the committed offset)
and neither offset moved for `stall_seconds`, outside a rebalance, while no other input partition
moved either: one drain feeds every agent, so while a busy agent's queue is full the partitions
of the other agents wait without being stuck (a backlog being caught up). The first remedy is what
Faust itself does after a rebalance: pause the flow, seek every stream partition back to its
committed offset, resume the partitions and the flow, and start the fetcher again if its task
ended. Nothing acked is lost by that (only replayed); the consumer state is logged first, so
that the cause can be read from the log. If the partitions are still stalled `stall_seconds`
later, the worker exits with EX_TEMPFAIL (75), as safe as kill -9: nothing unacked is committed.

Found by: tests/e2e/test_crash.py::test_kill_9_five_times_loses_no_article (twice in CI a restarted
worker idled with lag; README "Delivery and failures"). Upstream: faust-streaming/faust#175
(consumers slowly die) and #471 (assigned partitions not consumed). Delete when neither has
been seen in a few hundred crash-test runs without it (the `stalled` log line counts them).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from streams.runtime.reliability.supervision import exit_for_supervisor

log = logging.getLogger("sitrep.liveness")


def _exit_for_supervisor(reason: str) -> None:
    message = "still stalled after restarting the fetching; exiting so that a supervisor restarts the worker"
    exit_for_supervisor(log, message, "stalled_exit", reason)


def _label(tp: Any) -> str:
    return f"{tp.topic}:{tp.partition}"


class ProgressWatchdog:
    """Fed the lag of the input partitions on a timer; restarts fetching, then exits, on a stall."""

    def __init__(
        self,
        app: Any,
        stall_seconds: float,
        *,
        interval: float = 5.0,
        give_up: Callable[[str], None] = _exit_for_supervisor,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.stall_seconds = stall_seconds
        self.interval = interval  # how often check() is called
        self._give_up = give_up
        self._clock = clock
        self._marks: dict[Any, tuple[int | None, int | None]] = {}
        self._since: dict[Any, float] = {}
        self._last_check: float | None = None
        self._progress_at = clock()  # when an input partition's offsets last moved
        self._restarted_at: float | None = None
        self.restarts = 0

    def _busy(self) -> bool:
        """A rebalance or a table recovery under way: not progress, not a stall either."""
        app = self.app
        return bool(app.rebalancing or app.in_recovery or not app.consumer.flow_active)

    async def check(self, lags: dict[Any, int]) -> list[Any]:
        """`lags`: input partition -> lag, just measured. Returns the partitions found stalled."""
        now = self._clock()
        consumer = self.app.consumer
        gap = None if self._last_check is None else now - self._last_check
        self._last_check = now
        if self._busy() or gap is None or gap > max(3 * self.interval, self.stall_seconds / 2):
            # Not watched in between (started, rebalancing, or the broker did not answer): start afresh.
            self._marks.clear()
            self._since.clear()
            self._restarted_at = None
            self._progress_at = now
            return []
        committed = getattr(consumer, "_committed_offset", {})
        read = getattr(consumer, "_read_offset", {})
        candidates = []
        for tp, lag in lags.items():
            mark = (committed.get(tp), read.get(tp))
            moved = self._marks.get(tp) != mark
            if moved:
                self._progress_at = now
            if lag <= 0 or moved:
                self._marks[tp] = mark
                self._since[tp] = now
                continue
            if now - self._since.setdefault(tp, now) >= self.stall_seconds:
                candidates.append(tp)
        # One drain feeds every agent: while a busy agent's full queue holds it, the other
        # partitions wait without being stuck. A stall is lag with no partition moving at all.
        worker_idle = now - self._progress_at >= self.stall_seconds
        stalled = candidates if worker_idle else []
        for tp in list(self._marks):
            if tp not in lags:
                self._marks.pop(tp, None)
                self._since.pop(tp, None)
        if not stalled:
            self._restarted_at = None
            return []
        state = consumer_state(self.app, stalled, lags)
        if self._restarted_at is None:
            log.error(
                "partitions with lag made no progress; restarting the fetching",
                extra={"event": "stalled", "stall_seconds": self.stall_seconds, **state},
            )
            await self.restart_fetching()
            self.restarts += 1
            self._restarted_at = now
        elif now - self._restarted_at >= self.stall_seconds:
            log.error("still stalled", extra={"event": "stalled", **state})
            self._give_up(f"partitions {sorted(_label(tp) for tp in stalled)} stalled")
        return stalled

    async def restart_fetching(self) -> None:
        """What Faust does when a rebalance completes: seek to the committed offsets and resume."""
        app = self.app
        consumer = app.consumer
        streams = {tp for tp in consumer.assignment() if tp.topic not in app.tables.changelog_topics}
        consumer.stop_flow()
        app.flow_control.suspend()
        app.flow_control.clear()  # whatever was fetched past the commit is fetched again
        await consumer.perform_seek()
        consumer.resume_partitions(streams)
        app.flow_control.resume()
        consumer.resume_flow()
        fetcher = app._fetcher
        if fetcher.should_stop or not fetcher._futures:  # its drain task ended: start it again
            log.error("the fetcher had stopped", extra={"event": "fetcher_stopped", "state": fetcher.state})
            await fetcher.stop()
            fetcher.service_reset()
        await fetcher.maybe_start()


def consumer_state(app: Any, stalled: list[Any], lags: dict[Any, int]) -> dict[str, Any]:
    """What the log needs to tell why partitions stalled: Faust's and aiokafka's view of them."""
    consumer = app.consumer
    state: dict[str, Any] = {
        "stalled": {_label(tp): lags.get(tp) for tp in stalled},
        "committed": {_label(tp): consumer._committed_offset.get(tp) for tp in stalled},
        "read": {_label(tp): consumer._read_offset.get(tp) for tp in stalled},
        "acked_waiting": {_label(tp): len(consumer._acked.get(tp, ())) for tp in stalled},
        "active": sorted(_label(tp) for tp in stalled if tp in (consumer._active_partitions or ())),
        "paused": sorted(_label(tp) for tp in stalled if tp in consumer._paused_partitions),
        "buffered": sorted(_label(tp) for tp in stalled if tp in consumer._buffered_partitions),
        "flow_active": consumer.flow_active,
        "flow_control_active": app.flow_control.is_active(),
        "unacked_messages": len(consumer._unacked_messages),
        "generation": app.consumer_generation_id,
        "fetcher": app._fetcher.state,
        "fetcher_tasks": len(app._fetcher._futures),
        "producer_buffer": app.producer.buffer.size,
    }
    try:
        aiokafka = consumer._thread._consumer
        subscription = aiokafka._fetcher._subscriptions.subscription
        assignment = subscription.assignment if subscription is not None else None
        state["positions"] = {
            _label(tp): assignment.state_value(tp).position if assignment is not None else None
            for tp in stalled
        }
        state["aiokafka_paused"] = sorted(
            _label(tp) for tp in stalled if assignment is not None and assignment.state_value(tp).paused
        )
        state["aiokafka_buffered"] = sorted(_label(tp) for tp in stalled if tp in aiokafka._fetcher._records)
    except Exception as exc:  # private attributes of another library: tell, do not fail
        state["aiokafka"] = repr(exc)
    try:
        state["queues"] = {
            str(agent.name): [actor.stream.channel.queue.qsize() for actor in agent._actors]
            for agent in app.agents.values()
        }
        state["tasks"] = [
            _task_line(task) for task in asyncio.all_tasks() if not task.done() and "streams/" in _where(task)
        ]
    except Exception as exc:
        state["agents"] = repr(exc)
    return state


def _where(task: asyncio.Task[Any]) -> str:
    frames = task.get_stack(limit=8)
    return " > ".join(_frame(frame) for frame in frames)


def _frame(frame: Any) -> str:
    path = "/".join(frame.f_code.co_filename.rsplit("/", 2)[-2:])
    return f"{path}:{frame.f_code.co_name}:{frame.f_lineno}"


def _task_line(task: asyncio.Task[Any]) -> str:
    return f"{task.get_name()}: {_where(task)}"
