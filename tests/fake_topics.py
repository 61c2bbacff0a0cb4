"""`FakeTopic`: the one fake output topic of the tests that run no producer (the stages under Faust's
test context, acking), with Faust's two-step send as reliability/acking.py calls it."""

from __future__ import annotations

import asyncio
from typing import Any


class PendingSend(asyncio.Future[Any]):
    """Stands in for Faust's FutureMessage: the message's fields, settled when its send is."""

    def __init__(self, message: dict[str, Any]) -> None:
        super().__init__()
        self.message = message

    def settle_from(self, delivered: asyncio.Future[Any]) -> None:
        if delivered.cancelled():
            self.cancel()
        elif (exc := delivered.exception()) is not None:
            self.set_exception(exc)
        else:
            self.set_result(delivered.result())


class FakeTopic:
    """Stands in for an output topic and records what reaches it. By default every send is delivered;
    the first `failures` sends fail once accepted (as during a broker restart), the first `refusals`
    raise at once (as the producer does when its buffer stays full), and with `hang` none is answered.
    `as_future_message` + `publish_message` are Faust's two steps over `send`."""

    def __init__(self, failures: int = 0, refusals: int = 0, hang: bool = False) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []  # (key, value) of each message delivered
        self.partitions: list[int | None] = []  # of every send tried, resends too
        self.marks: list[tuple[list[tuple[str, bytes]] | None, float | None]] = []  # (headers, timestamp)
        self.failures = failures
        self.refusals = refusals
        self.hang = hang

    @property
    def delivered(self) -> list[bytes]:
        """The values delivered, in order."""
        return [value for _, value in self.sent]

    async def send(
        self,
        *,
        key: bytes | None,
        value: bytes,
        partition: int | None = None,
        callback: Any = None,
        headers: list[tuple[str, bytes]] | None = None,
        timestamp: float | None = None,
    ) -> asyncio.Future[None]:
        self.partitions.append(partition)
        self.marks.append((headers, timestamp))
        if self.refusals:
            self.refusals -= 1
            raise TimeoutError("producer buffer full")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.hang:
            return future  # never answered
        if self.failures:
            self.failures -= 1
            refused = ConnectionError("leader not available")
            asyncio.get_running_loop().call_soon(future.set_exception, refused)
            return future
        self.sent.append((key, value))
        if callback is not None:
            callback(None)  # Faust calls it with the record's metadata once delivered
        asyncio.get_running_loop().call_soon(future.set_result, None)  # the broker's acknowledgement
        return future

    def as_future_message(self, **fields: Any) -> PendingSend:
        return PendingSend(fields)

    async def publish_message(self, future: PendingSend) -> None:
        delivered = await self.send(**future.message)
        delivered.add_done_callback(future.settle_from)
