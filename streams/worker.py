"""Run one worker process: the Faust app under Faust's Worker, with our logging."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import IO, Any

from faust import Worker

from streams.app import create_app
from streams.clients import ensure_topics
from streams.config import Settings
from streams.logs import logging_config
from streams.topics import TopicNames

log = logging.getLogger("sitrep.worker")


def run_worker(settings: Settings) -> int:
    # Every topic exists before the consumer subscribes: Faust's assignor skips missing topics
    # and does not come back to them when they appear later.
    names = TopicNames(settings.topic_prefix)
    sitrep = create_app(settings)
    changelogs = changelog_configs(sitrep.app)
    asyncio.run(
        ensure_topics(
            settings.bootstrap_servers,
            [*names.all(), *changelogs],
            settings.topic_partitions,
            settings,
            configs=changelogs,
        )
    )
    logging.captureWarnings(True)  # Python's warnings as log lines, not bare text on stderr
    worker = LoggingWorker(
        sitrep.app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, settings.log_format),
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()  # returns only through SystemExit
    return 0


class LoggingWorker(Worker):
    """Faust's Worker, with what mode prints on the console (a spinner, "-INT- -INT-" at SIGINT)
    sent to the log instead, so that every line of stderr is a log line (JSON, when so set)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spinner = None

    def _say(self, msg: str, file: IO[str] | None = None, end: str = "\n", **kwargs: Any) -> None:
        if msg.strip():
            log.info(msg.strip(), extra={"event": "console"})

    def _on_sigint(self) -> None:
        self._stop_on(signal.SIGINT)

    def _on_sigterm(self) -> None:
        self._stop_on(signal.SIGTERM)

    def _stop_on(self, signum: signal.Signals) -> None:
        log.info("stopping on %s", signum.name, extra={"event": "signal", "signal": signum.name})
        self._schedule_shutdown(signum)


def changelog_configs(app: Any) -> dict[str, dict[str, str]]:
    """The tables' changelog topics with the configs Faust would give them. Created up front too:
    when Faust creates one itself, the assignor may see it without partitions yet, and the
    agent reading the table's source crashes for good (PartitionsMismatch, seen in the tests)."""
    out: dict[str, dict[str, str]] = {}
    for table in app.tables.values():
        topic = table.changelog_topic
        policy = ",".join(p for p, on in (("compact", topic.compacting), ("delete", topic.deleting)) if on)
        config = {"cleanup.policy": policy} if policy else {}
        if topic.retention:
            config["retention.ms"] = str(int(topic.retention * 1000))
        out[topic.get_topic_name()] = config
    return out
