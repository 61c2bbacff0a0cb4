"""Before a table write that partitions by key, make sure the producer knows the changelog's partitions.

A table with `use_partitioner=True` (the claims table) picks its changelog partition while the
key is set: Faust asks the producer's cached metadata, synchronously, for the topic's
partitions. aiokafka drops from that cache a topic whose metadata came back with an error, as
while the broker restarts (LeaderNotAvailable). `table[key] = value` then raises
TypeError("'NoneType' object is not iterable") from aiokafka's `_partition`, the agent's actor
dies, and Faust's restart of it never resumes the stream. Its input queue then fills up, the
fetcher blocks delivering into it, and the whole worker stops consuming: partitions
assigned, /readyz 200, event loop idle, lag stuck (seen in every broker-restart test run).

`ChangelogPartitions.ready()` returns at once when the partitions are known, and otherwise asks
the broker for them (retrying while it does not answer); the caller then writes to the table
without awaiting anything in between, so the metadata cannot change under it. The topics are
also added to the metadata the producer refreshes.

Found by: tests/e2e/test_crash.py::test_broker_stop_and_restart_mid_stream_loses_no_article. Upstream:
no faust-streaming report found for it (aiokafka's metadata cache dropping a topic on error is the
root). Delete when a Faust release passes that test with the claims stage writing without `ready()`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from faust.exceptions import NotReady

log = logging.getLogger("sitrep.changelogs")

RETRY_SECONDS = 1.0


class ChangelogPartitions:
    """The changelog topics of some tables, made known to the app's producer on demand."""

    def __init__(self, app: Any, tables: list[Any], retry_seconds: float = RETRY_SECONDS) -> None:
        self.app = app
        self.topics = [table.changelog_topic.get_topic_name() for table in tables]
        self.retry_seconds = retry_seconds
        self._tracked: set[str] = set()
        self.waits = 0

    async def ready(self) -> None:
        """Return once the producer's metadata has the partitions of every changelog topic."""
        try:
            producer = self.app.producer._ensure_producer()  # the aiokafka producer
        except NotReady:  # no producer runs (an agent's test context): nothing to make known
            return
        cluster = producer.client.cluster
        for topic in self.topics:
            if topic not in self._tracked:  # keep it in the producer's metadata refreshes
                producer.client.add_topic(topic)
                self._tracked.add(topic)
            while cluster.partitions_for_topic(topic) is None:
                self.waits += 1
                try:
                    await producer.partitions_for(topic)  # refreshes the metadata, waits for it
                except Exception as exc:  # the broker is away: wait for it as the producer does
                    log.warning(
                        "changelog partitions unknown; waiting for the broker",
                        extra={"event": "changelog_metadata", "topic": topic, "error": repr(exc)},
                    )
                    await asyncio.sleep(self.retry_seconds)
