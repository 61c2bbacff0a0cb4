"""The progress watchdog: lag without progress restarts the fetching once, then gives up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from faust.types import TP

from streams.runtime.reliability.liveness import ProgressWatchdog

RAW = TP("articles.raw", 0)
CLAIMS = TP("sitrep.claims", 0)


@dataclass
class FakeFlowControl:
    active: bool = True

    def is_active(self) -> bool:
        return self.active

    def suspend(self) -> None:
        self.active = False

    def resume(self) -> None:
        self.active = True

    def clear(self) -> None: ...


@dataclass
class FakeConsumer:
    calls: list[str] = field(default_factory=list)
    flow_active: bool = True
    _committed_offset: dict[Any, int | None] = field(default_factory=dict)
    _read_offset: dict[Any, int | None] = field(default_factory=dict)
    _acked: dict[Any, list[int]] = field(default_factory=dict)
    _active_partitions: set[Any] = field(default_factory=set)
    _paused_partitions: set[Any] = field(default_factory=set)
    _buffered_partitions: set[Any] = field(default_factory=set)
    _unacked_messages: set[Any] = field(default_factory=set)

    def assignment(self) -> set[Any]:
        return {RAW, TP("sitrep-claims-changelog", 0)}

    def stop_flow(self) -> None:
        self.calls.append("stop_flow")
        self.flow_active = False

    async def perform_seek(self) -> None:
        self.calls.append("seek")

    def resume_partitions(self, tps: set[Any]) -> None:
        self.calls.append(f"resume {sorted(tp.topic for tp in tps)}")

    def resume_flow(self) -> None:
        self.calls.append("resume_flow")
        self.flow_active = True


@dataclass
class FakeFetcher:
    state: str = "running"
    should_stop: bool = False
    _futures: set[Any] = field(default_factory=lambda: {"drain"})
    started: int = 0

    async def stop(self) -> None: ...

    def service_reset(self) -> None:
        self._futures = set()

    async def maybe_start(self) -> None:
        if not self._futures:
            self._futures = {"drain"}
            self.started += 1


@dataclass
class FakeTables:
    changelog_topics: set[str] = field(default_factory=lambda: {"sitrep-claims-changelog"})


@dataclass
class FakeBuffer:
    size: int = 0


@dataclass
class FakeProducer:
    buffer: FakeBuffer = field(default_factory=FakeBuffer)


@dataclass
class FakeApp:
    consumer: FakeConsumer = field(default_factory=FakeConsumer)
    flow_control: FakeFlowControl = field(default_factory=FakeFlowControl)
    _fetcher: FakeFetcher = field(default_factory=FakeFetcher)
    tables: FakeTables = field(default_factory=FakeTables)
    producer: FakeProducer = field(default_factory=FakeProducer)
    agents: dict[str, Any] = field(default_factory=dict)
    rebalancing: bool = False
    in_recovery: bool = False
    consumer_generation_id: int = 1


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def watchdog(app: FakeApp, clock: Clock, reasons: list[str]) -> ProgressWatchdog:
    return ProgressWatchdog(app, stall_seconds=30, give_up=reasons.append, clock=clock)


async def run(dog: ProgressWatchdog, clock: Clock, seconds: float, lag: int, step: float = 5) -> list[Any]:
    stalled: list[Any] = []
    end = clock.now + seconds
    while clock.now < end:
        clock.now += step
        stalled = await dog.check({RAW: lag})
    return stalled


async def test_moving_offsets_are_progress() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    dog = watchdog(app, clock, reasons)
    for offset in range(30):
        app.consumer._committed_offset[RAW] = offset
        clock.now += 5
        assert await dog.check({RAW: 100}) == []
    assert app.consumer.calls == [] and reasons == []


async def test_no_lag_is_no_stall() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    dog = watchdog(app, clock, reasons)
    assert await run(dog, clock, 300, lag=0) == []
    assert app.consumer.calls == [] and reasons == []


async def test_a_stall_restarts_the_fetching_then_gives_up() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    app.consumer._committed_offset[RAW] = 10
    app._fetcher._futures = set()  # its drain task ended
    dog = watchdog(app, clock, reasons)
    assert await run(dog, clock, 35, lag=72) == []  # watched from the second check on (t=10)
    assert await run(dog, clock, 5, lag=72) == [RAW]
    assert app.consumer.calls == ["stop_flow", "seek", "resume ['articles.raw']", "resume_flow"]
    assert app._fetcher.started == 1 and dog.restarts == 1 and reasons == []
    await run(dog, clock, 25, lag=72)
    assert reasons == []
    await run(dog, clock, 5, lag=72)
    assert reasons and "articles.raw:0" in reasons[0]
    assert dog.restarts == 1


async def test_progress_after_the_restart_clears_the_stall() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    app.consumer._committed_offset[RAW] = 10
    dog = watchdog(app, clock, reasons)
    await run(dog, clock, 40, lag=72)
    assert dog.restarts == 1
    app.consumer._committed_offset[RAW] = 80  # the restart helped
    assert await run(dog, clock, 25, lag=2) == []
    await run(dog, clock, 10, lag=2)  # stalled again, long after: a second restart, not an exit
    assert dog.restarts == 2 and reasons == []


async def test_a_rebalance_is_not_a_stall() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    dog = watchdog(app, clock, reasons)
    await run(dog, clock, 25, lag=72)
    app.rebalancing = True
    await run(dog, clock, 20, lag=72)
    app.rebalancing = False
    assert await run(dog, clock, 30, lag=72) == []  # watched afresh since the rebalance ended
    assert app.consumer.calls == []


async def test_a_gap_in_watching_starts_afresh() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    dog = watchdog(app, clock, reasons)
    await run(dog, clock, 25, lag=72)
    clock.now += 120  # the broker did not answer the lag query for two minutes
    assert await dog.check({RAW: 72}) == []
    assert await run(dog, clock, 30, lag=72) == []
    assert app.consumer.calls == []


async def test_a_short_stall_time_still_works_with_the_lag_interval() -> None:
    app, clock, reasons = FakeApp(), Clock(), []
    dog = ProgressWatchdog(app, stall_seconds=10, interval=5, give_up=reasons.append, clock=clock)
    await run(dog, clock, 20, lag=5, step=5.2)  # a timer fires a little late
    assert dog.restarts == 1


async def test_a_partition_waiting_behind_a_busy_agent_is_not_stalled() -> None:
    """A backlog of raw articles fills the classify agent's queue; the claims partition waits."""
    app, clock, reasons = FakeApp(), Clock(), []
    dog = watchdog(app, clock, reasons)
    app.consumer._committed_offset[CLAIMS] = 7
    for offset in range(20):
        app.consumer._committed_offset[RAW] = offset
        clock.now += 5
        assert await dog.check({RAW: 1000, CLAIMS: 300}) == []
    assert app.consumer.calls == []
    for _ in range(7):  # now nothing moves at all
        clock.now += 5
        stalled = await dog.check({RAW: 980, CLAIMS: 300})
    assert set(stalled) == {RAW, CLAIMS} and dog.restarts == 1
