"""Run one worker process: the Faust app under Faust's Worker, with our logging."""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import socket
from dataclasses import replace
from typing import IO, Any

from aiokafka.admin import AIOKafkaAdminClient
from faust import Worker

from streams.config import ENV_NAMES, ConfigError, Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from streams.kafka.security import kafka_options, start_client
from streams.runtime.app import create_app
from streams.runtime.observability.logs import logging_config
from streams.runtime.state_store import LocalState

log = logging.getLogger("sitrep.worker")


def run_worker(settings: Settings) -> int:
    # Every topic exists before the consumer subscribes: Faust's assignor skips missing topics
    # and does not come back to them when they appear later. Faust creates none itself
    # (topic_allow_declare is off, streams/runtime/app.py): all get the same replication here.
    check_web_address(settings)
    local_state = LocalState(settings)  # locked until the process ends, kill -9 included
    local_state.create()
    kept = settings.state_store == "rocksdb" and local_state.acquire()
    names = TopicNames(settings.topic_prefix)
    sitrep = create_app(settings)  # first: a mistake in the worker's own files is told before Kafka is asked
    if (found := asyncio.run(claim_partitions(settings, names.claims))) != settings.claim_partitions:
        settings = replace(settings, claim_partitions=found)
        sitrep = create_app(settings)  # 10 ms: the classifier and the rules are loaded once per process

    @sitrep.app.task
    async def tell_local_state() -> None:  # once logging is set up
        extra = {"event": "local_state", "store": settings.state_store, "kept": kept}
        log.info("local state kept" if kept else "local state restored in full", extra=extra)

    changelogs = changelog_configs(sitrep.app)
    claims = [names.claims, sitrep.tables["claims"].changelog_topic.get_topic_name()]
    replication = settings.topic_replication_factor or None  # 0: the broker's default
    # A topic the broker refuses (TopicSetupError, a ConfigError) ends the CLI in one line, exit 2.
    for topics, partitions in (
        ([t for t in [*names.all(), *changelogs] if t not in claims], settings.topic_partitions),
        (claims, settings.claim_partitions),
        ([leader_topic(sitrep.app)], 1),
    ):
        asyncio.run(
            ensure_topics(
                settings.bootstrap_servers,
                topics,
                partitions,
                settings,
                configs=changelogs,
                replication_factor=replication,
            )
        )
    logging.captureWarnings(True)  # Python's warnings as log lines, not bare text on stderr
    worker = LoggingWorker(
        sitrep.app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, settings.log_format),
        redirect_stdouts=False,
    )
    try:
        worker.execute_from_commandline()  # returns only through SystemExit
    except SystemExit as stop:
        if stop.code in (0, None) and settings.state_store == "rocksdb":
            local_state.mark_clean()  # a crash raises otherwise, or exits with os._exit
        raise
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


async def claim_partitions(settings: Settings, claims_topic: str) -> int:
    """The claims topic's partition count if it exists (a claim's state lives on the partition its
    claim hashes to, so the worker follows the topic), else SITREP_CLAIM_PARTITIONS for a new one."""
    options = kafka_options(settings)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, **options)
    await start_client(admin, settings.bootstrap_servers, options)  # unreachable: one line, as ensure_topics
    try:
        if claims_topic not in set(await admin.list_topics()):
            return settings.claim_partitions
        [described] = await admin.describe_topics([claims_topic])
    finally:
        await admin.close()
    return len(described["partitions"])


def leader_topic(app: Any) -> str:
    """Faust's assignor topic (one partition), named after the app id like the changelogs."""
    return str(app._leader_assignor._leader_topic_name)  # no public name for it


def check_web_address(settings: Settings) -> None:
    """Refuse a web address this process cannot listen on (a port another worker holds, a host that is
    not this machine's) now, with the variable named, rather than as Faust's crash after start."""
    host, port = settings.web_host, settings.web_port
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            fix = f"another process listens there: give each worker on a host its own {ENV_NAMES['web_port']}"
        else:
            fix = f"set {ENV_NAMES['web_host']} to an address of this machine, e.g. 127.0.0.1"
        raise ConfigError(
            f"{ENV_NAMES['web_host']}:{ENV_NAMES['web_port']} is {host}:{port}: cannot listen there "
            f"({exc.strerror or exc}); {fix}"
        ) from None


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
