"""Sending input items to a topic for `sitrep ingest`: batched, acknowledged in input order, resumable."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

from streams.cli.inputs import InputItem
from streams.config import Settings
from streams.kafka.security import kafka_options, start_client

MAX_IN_FLIGHT = 1000


class SendError(Exception):
    """The broker did not take `item` (the first such in input order); `error` is aiokafka's."""

    def __init__(self, item: InputItem, error: KafkaError) -> None:
        super().__init__(f"{item.position}: {type(error).__name__}: {error}")
        self.item = item
        self.error = error


async def produce_items(
    bootstrap: str,
    topic: str,
    items: Iterable[InputItem],
    security: Settings | None = None,
    *,
    max_request_size: int = 8 * 1024 * 1024,
    delivered: Callable[[InputItem], None] = lambda _: None,
) -> int:
    """Send every item, batched by the producer; returns how many were acknowledged.

    `delivered` is called for each acknowledged item in input order, also when a send fails
    (SendError) or the task is cancelled (Ctrl-C): the producer is flushed first, so the caller
    knows the first item the broker does not have, where a rerun can resume."""
    options = kafka_options(security)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        linger_ms=10,
        max_batch_size=256 * 1024,
        max_request_size=max_request_size,
        **options,
    )
    await start_client(producer, bootstrap, options)
    sent = 0
    pending: deque[tuple[InputItem, asyncio.Future[object]]] = deque()
    try:
        for item in items:
            try:
                pending.append((item, await producer.send(topic, item.payload, key=item.key)))
            except KafkaError as exc:  # refused before sending, e.g. over max_request_size
                raise SendError(item, exc) from None
            if len(pending) >= MAX_IN_FLIGHT:
                sent += await _settle(pending, delivered)
        sent += await _settle(pending, delivered)
    finally:
        await producer.stop()  # sends what is still batched
        while pending and _acknowledged(pending[0][1]):
            delivered(pending.popleft()[0])
    return sent


def _acknowledged(future: asyncio.Future[object]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


async def _settle(
    pending: deque[tuple[InputItem, asyncio.Future[object]]], delivered: Callable[[InputItem], None]
) -> int:
    count = 0
    while pending:
        item, future = pending[0]
        try:
            await asyncio.shield(future)  # a Ctrl-C cancels the wait, not the send
        except KafkaError as exc:
            raise SendError(item, exc) from None
        pending.popleft()
        delivered(item)
        count += 1
    return count
