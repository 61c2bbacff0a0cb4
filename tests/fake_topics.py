"""Output topics for tests that run no producer: Faust's two-step send, over a fake `send`."""

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


class TwoStepSend:
    """`as_future_message` + `publish_message`, as acking.py calls them, over the subclass's
    `send(**fields)`, which returns the producer's future (or raises when the buffer is full)."""

    async def send(self, **fields: Any) -> asyncio.Future[Any]:
        raise NotImplementedError

    def as_future_message(self, **fields: Any) -> PendingSend:
        return PendingSend(fields)

    async def publish_message(self, future: PendingSend) -> None:
        delivered = await self.send(**future.message)
        delivered.add_done_callback(future.settle_from)
