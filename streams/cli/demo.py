"""`sitrep demo`: the whole pipeline on one machine, end to end, then tidied away.

Starts a local broker if none answers, starts a worker process, sends the sample
articles (or the files given), prints each event as it arrives, and stops what it started.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer

from streams.broker import free_port
from streams.classify import CATEGORIES
from streams.cli.inputs import InputItem, read_inputs
from streams.cli.tail import format_line
from streams.config import ENV_NAMES, Settings
from streams.contracts.topics import TopicNames
from streams.domain.claims import claim_id
from streams.kafka.clients import ensure_topics, group_caught_up, topic_partitions
from streams.kafka.probe import kafka_answers
from streams.kafka.security import kafka_options, start_client


def sample_paths() -> list[Path]:
    """The sample articles shipped in the package."""
    folder = resources.files("streams") / "samples"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".json"))


def run_demo(paths: list[Path], settings: Settings, timeout: float) -> int:
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    items = list(read_inputs(paths or sample_paths()))
    if not settings.topic_prefix:
        # A namespace of its own per run: claims remembered from an earlier run would
        # (rightly) not be published again, and the demo would show nothing.
        run = f"demo-{int(time.time())}"
        settings = replace(settings, topic_prefix=f"{run}.", app_id="")  # derived from the prefix
    print(f"topics: {settings.topic_prefix}* on {settings.bootstrap_servers}", flush=True)
    started_broker = _ensure_broker(settings)
    names = TopicNames(settings.topic_prefix)
    asyncio.run(ensure_topics(settings.bootstrap_servers, names.all(), settings.topic_partitions, settings))
    web_port = free_port()
    worker = _start_worker(settings, web_port)
    try:
        _wait_ready(worker, web_port, timeout)
        print(f"worker ready on http://127.0.0.1:{web_port}; sending {len(items)} article(s)", flush=True)
        seen = asyncio.run(_send_and_watch(settings, names, items, timeout))
    finally:
        _stop_worker(worker)
        if started_broker:
            from streams import broker

            broker.stop(port=_port_of(settings.bootstrap_servers))
    print(
        f"done: {seen['articles']} article(s), {seen['events']} event(s), "
        f"{seen['alerts']} alert(s), {seen['dead']} dead letter(s)"
    )
    return 0 if seen["articles"] + seen["dead"] == len(items) else 1


def _ensure_broker(settings: Settings) -> bool:
    if kafka_answers(settings.bootstrap_servers, options=kafka_options(settings)):
        return False
    from streams import broker

    print("no broker answers; starting a local one", flush=True)
    broker.start(port=_port_of(settings.bootstrap_servers))
    return True


def _port_of(bootstrap: str) -> int:
    return int(bootstrap.split(",", maxsplit=1)[0].rsplit(":", 1)[1])


def _start_worker(settings: Settings, web_port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env[ENV_NAMES["web_port"]] = str(web_port)
    env[ENV_NAMES["topic_prefix"]] = settings.topic_prefix
    env[ENV_NAMES["app_id"]] = settings.app_id
    env[ENV_NAMES["log_level"]] = "error"  # the demo prints what matters itself
    command = [sys.executable, "-m", "streams.cli", "--log-format", "text", "worker"]
    # Faust draws a spinner on a terminal's stdout; the demo's own lines are the output here.
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def _wait_ready(worker: subprocess.Popen[bytes], web_port: int, timeout: float) -> None:
    """Poll /readyz until the worker has its partitions; fail fast if it exits."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{web_port}/readyz"
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with code {worker.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the worker was not ready within {timeout:.0f} s")


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


async def _send_and_watch(
    settings: Settings, names: TopicNames, items: list[InputItem], timeout: float
) -> dict[str, int]:
    """Send the items, then print what comes out until every item has its enriched article or dead
    letter, every claim of those articles has come out on its events topic, and the worker has
    committed every event (so every alert they raise is out too)."""
    from aiokafka import AIOKafkaProducer

    bootstrap = settings.bootstrap_servers
    event_topics = [names.events(c) for c in CATEGORIES]
    watched = [names.enriched, names.deadletter, *event_topics, names.alerts]
    options = kafka_options(settings)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, **options
    )
    await start_client(consumer, bootstrap, options)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **options)
    await start_client(producer, bootstrap, options)
    seen = {"articles": 0, "events": 0, "dead": 0, "alerts": 0}
    claims: dict[str, set[str]] = {"expected": set(), "published": set()}
    try:
        partitions = await topic_partitions(consumer, watched)
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:
            await consumer.position(tp)
        for item in items:
            await producer.send_and_wait(names.raw, item.payload, key=item.key)
        deadline = time.monotonic() + timeout
        caught_up = False
        while time.monotonic() < deadline and not caught_up:
            for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                for record in records:
                    _show(tp.topic, names, orjson.loads(record.value), seen, claims)
            outputs_done = (
                seen["articles"] + seen["dead"] >= len(items) and claims["expected"] <= claims["published"]
            )
            caught_up = outputs_done and await group_caught_up(
                bootstrap, settings.app_id, event_topics, settings
            )
        for tp, records in (await consumer.getmany(timeout_ms=500)).items():  # the last alerts
            for record in records:
                _show(tp.topic, names, orjson.loads(record.value), seen, claims)
    finally:
        await producer.stop()
        await consumer.stop()
    return seen


def _show(
    topic: str, names: TopicNames, value: dict[str, Any], seen: dict[str, int], claims: dict[str, set[str]]
) -> None:
    if topic == names.enriched:
        seen["articles"] += 1
        claims["expected"].update(claim_id(e, value.get("published_at")) for e in value["events"])
        print(format_line(value), flush=True)
    elif topic == names.alerts:
        seen["alerts"] += 1
        print(format_line(value), flush=True)
    elif topic == names.deadletter:
        seen["dead"] += 1
        print(format_line(value), flush=True)
    else:
        seen["events"] += 1
        claims["published"].add(value["claim_id"])
        print(format_line(value), flush=True)
