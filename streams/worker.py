"""Run one worker process: the Faust app under Faust's Worker, with our logging."""

from __future__ import annotations

import asyncio

from faust import Worker

from streams.app import create_app
from streams.clients import ensure_topics
from streams.config import Settings
from streams.logs import logging_config
from streams.topics import TopicNames


def run_worker(settings: Settings) -> int:
    # Every topic exists before the consumer subscribes: Faust's assignor skips missing topics
    # and does not come back to them when they appear later.
    names = TopicNames(settings.topic_prefix)
    asyncio.run(ensure_topics(settings.bootstrap_servers, names.all(), settings.topic_partitions, settings))
    sitrep = create_app(settings)
    worker = Worker(
        sitrep.app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, settings.log_format),
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()  # returns only through SystemExit
    return 0
