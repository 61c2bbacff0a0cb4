"""Two prefixes on one broker share nothing: topics, changelogs, Faust's internal topics and the
consumer group all start with the worker's own prefix. The topics get the configured replication
factor and min.insync.replicas, or the broker's defaults.

These tests start a broker of their own, so the whole topic and group list of the cluster is theirs
to check: nothing the workers create can hide among other tests' topics.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams import broker
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics
from streams.runtime.app import create_app
from streams.runtime.worker import changelog_configs, leader_topic
from tests.e2e.conftest import (
    WorkerProcess,
    consume_all,
    local_broker,
    produce,
    start_worker,
    stop_worker,
    wait_caught_up,
    wait_ready,
    worker_env,
)

pytestmark = pytest.mark.kafka

BLUE, GREEN = TopicNames("blue."), TopicNames("green.")
DYNAMIC_TOPIC_CONFIG = 1  # DescribeConfigs config_source: set on the topic itself
ARTICLE = {
    "id": "isolation-1",
    "body": "Russia sent 40 tanks to Belarus on Monday, the defence ministry said.",
}


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One broker for the module: these tests list every topic and group on it."""
    with local_broker(tmp_path_factory.mktemp("isolation-broker")) as own:
        yield own.bootstrap


@pytest.fixture(scope="module")
def workers(own_broker: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, WorkerProcess]]:
    """blue: default app id and replication factor; green: replication factor 1, set."""
    running = {
        "blue": start_worker(
            own_broker, tmp_path_factory.mktemp("blue"), {"SITREP_APP_ID": ""}, names=BLUE, wait=False
        ),
        "green": start_worker(
            own_broker,
            tmp_path_factory.mktemp("green"),
            {"SITREP_TOPIC_REPLICATION_FACTOR": "1"},
            names=GREEN,
            wait=False,
        ),
    }
    try:
        for worker in running.values():
            wait_ready(worker)
        yield running
    finally:
        for worker in running.values():
            stop_worker(worker)


async def _admin(bootstrap: str) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    return admin


async def _cluster_view(bootstrap: str) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """(topics other than Kafka's own, consumer groups, group -> topics it committed offsets on)."""
    admin = await _admin(bootstrap)
    try:
        topics = {t for t in await admin.list_topics() if not t.startswith("__")}
        groups = {group for group, *_ in await admin.list_consumer_groups()}
        committed = {g: {tp.topic for tp in await admin.list_consumer_group_offsets(g)} for g in groups}
    finally:
        await admin.close()
    return topics, groups, committed


def _expected_topics(prefix: str, tmp: Path) -> set[str]:
    sitrep = create_app(Settings(topic_prefix=prefix, data_dir=tmp))
    return {*sitrep.names.all(), *changelog_configs(sitrep.app), leader_topic(sitrep.app)}


def _events(bootstrap: str, names: TopicNames) -> list[tuple[str, dict[str, Any]]]:
    return [
        (topic, value)
        for topic, _, value in asyncio.run(consume_all(bootstrap, names.outputs()))
        if topic.startswith(f"{names.prefix}events.")
    ]


def test_two_prefixes_share_no_topic_and_no_group(
    own_broker: str, workers: dict[str, WorkerProcess], tmp_path: Path
) -> None:
    message = [(ARTICLE["id"].encode(), orjson.dumps(ARTICLE))]
    for worker in workers.values():  # the same article under both prefixes
        asyncio.run(produce(own_broker, worker.names.raw, message))
        wait_caught_up(worker, [worker.names.raw])

    topics, groups, committed = asyncio.run(_cluster_view(own_broker))
    blue_topics = {t for t in topics if t.startswith("blue.")}
    green_topics = {t for t in topics if t.startswith("green.")}
    assert topics == blue_topics | green_topics, (
        f"topics under no prefix: {topics - blue_topics - green_topics}"
    )
    # Every topic each worker created: ours, the tables' changelogs, the assignor's leader topic.
    assert blue_topics == _expected_topics("blue.", tmp_path / "blue")
    assert green_topics == _expected_topics("green.", tmp_path / "green")
    assert {"blue.sitrep-claims-changelog", "blue.sitrep-__assignor-__leader"} <= blue_topics
    assert groups == {"blue.sitrep", "green.sitrep"} == {w.app_id for w in workers.values()}
    for prefix in ("blue.", "green."):
        group = f"{prefix}sitrep"
        assert committed[group] and all(t.startswith(prefix) for t in committed[group]), committed[group]

    # Claim state is not shared: each prefix sees the article's claims as new, and publishes them once.
    blue_events, green_events = _events(own_broker, BLUE), _events(own_broker, GREEN)
    assert blue_events and len(blue_events) == len(green_events)
    assert all(
        value["corroboration"] == 1 and value["article_id"] == ARTICLE["id"] for _, value in blue_events
    )
    assert sorted(v["claim_id"] for _, v in blue_events) == sorted(v["claim_id"] for _, v in green_events)


async def _replication(bootstrap: str, prefix: str) -> dict[str, tuple[set[int], str, int]]:
    """topic -> (replica counts of its partitions, min.insync.replicas, that setting's source)."""
    admin = await _admin(bootstrap)
    try:
        names = [t for t in await admin.list_topics() if t.startswith(prefix)]
        described = {
            t["topic"]: {len(p["replicas"]) for p in t["partitions"]}
            for t in await admin.describe_topics(names)
        }
        resources = [
            ConfigResource(ConfigResourceType.TOPIC, n, {"min.insync.replicas": None}) for n in names
        ]
        [response] = await admin.describe_configs(resources)
    finally:
        await admin.close()
    out = {}
    for resource in response.to_object()["resources"]:
        [entry] = resource["config_entries"]
        out[resource["resource_name"]] = (
            described[resource["resource_name"]],
            entry["config_value"],
            entry["config_source"],
        )
    return out


async def _broker_default(bootstrap: str, name: str) -> str:
    admin = await _admin(bootstrap)
    try:
        node = (await admin.describe_cluster())["brokers"][0]["node_id"]
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.BROKER, str(node), {name: None})]
        )
    finally:
        await admin.close()
    [entry] = response.to_object()["resources"][0]["config_entries"]
    return str(entry["config_value"])


def test_unset_replication_factor_leaves_the_brokers_defaults(
    own_broker: str, workers: dict[str, WorkerProcess], tmp_path: Path
) -> None:
    default_replicas = int(asyncio.run(_broker_default(own_broker, "default.replication.factor")))
    blue = asyncio.run(_replication(own_broker, "blue."))
    assert len(blue) == len(_expected_topics("blue.", tmp_path))
    for topic, (replicas, _, source) in blue.items():
        assert replicas == {default_replicas}, topic
        assert source != DYNAMIC_TOPIC_CONFIG, f"{topic} has a min.insync.replicas of its own"


def test_replication_factor_1_sets_min_insync_replicas_1(
    own_broker: str, workers: dict[str, WorkerProcess]
) -> None:
    green = asyncio.run(_replication(own_broker, "green."))
    assert "green.sitrep-claims-changelog" in green and "green.sitrep-__assignor-__leader" in green
    for topic, (replicas, min_insync, source) in green.items():
        assert (replicas, min_insync, source) == ({1}, "1", DYNAMIC_TOPIC_CONFIG), topic


def _run_worker(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_more_replicas_than_brokers_stops_the_worker_in_one_line(own_broker: str, tmp_path: Path) -> None:
    env = worker_env(own_broker, "triple.", broker.free_port(), tmp_path / "worker")
    env["SITREP_TOPIC_REPLICATION_FACTOR"] = "3"
    result = _run_worker(env)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert (
        line.startswith("sitrep: cannot create topic 'triple.")
        and "SITREP_TOPIC_REPLICATION_FACTOR=3" in line
    )
    assert "only 1 broker(s)" in line
    topics, _, _ = asyncio.run(_cluster_view(own_broker))
    assert not [t for t in topics if t.startswith("triple.")]


def test_app_id_outside_the_prefix_is_refused_in_one_line(own_broker: str, tmp_path: Path) -> None:
    env = worker_env(own_broker, "red.", broker.free_port(), tmp_path / "worker")
    env["SITREP_APP_ID"] = "sitrep"
    result = _run_worker(env)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("sitrep: SITREP_APP_ID='sitrep' does not start with SITREP_TOPIC_PREFIX='red.'")


def test_existing_topics_with_other_partitions_are_named_in_a_warning(
    own_broker: str, caplog: pytest.LogCaptureFixture
) -> None:
    names = TopicNames("narrow.")
    asyncio.run(ensure_topics(own_broker, names.all(), 2))
    caplog.set_level(logging.WARNING, logger="sitrep.topics")
    asyncio.run(ensure_topics(own_broker, [*names.all(), "narrow.new"], 4))
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "topic_partitions_differ"]
    assert record.__dict__["configured"] == 4
    assert record.__dict__["topics"] == dict.fromkeys(names.all(), 2)


def _partition_warnings(worker: WorkerProcess) -> list[dict[str, Any]]:
    lines = [line for line in worker.log().splitlines() if line.startswith("{")]
    return [e for e in map(orjson.loads, lines) if e.get("event") == "topic_partitions_differ"]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} in {timeout} s")
        time.sleep(0.2)


async def _grow(bootstrap: str, prefix: str, partitions: int) -> list[str]:
    """What the README's kafka-topics.sh loop does: every topic of the prefix but the leader topic."""
    admin = await _admin(bootstrap)
    try:
        grown = [t for t in await admin.list_topics() if t.startswith(prefix) and "__assignor" not in t]
        await admin.create_partitions(dict.fromkeys(grown, NewPartitions(partitions)))
    finally:
        await admin.close()
    return grown


def test_partitions_added_as_documented(own_broker: str, tmp_path: Path) -> None:
    names = TopicNames("grown.")
    for run in ("four", "early", "eight"):
        (tmp_path / run).mkdir()
    first = start_worker(own_broker, tmp_path / "four", names=names)  # creates them with 4 partitions
    stop_worker(first)
    assert not _partition_warnings(first)

    wider = {"SITREP_TOPIC_PARTITIONS": "8"}
    early = start_worker(own_broker, tmp_path / "early", wider, names=names, wait=False)
    try:
        _wait_for(lambda: bool(_partition_warnings(early)), 60, "topic_partitions_differ warning")
    finally:
        stop_worker(early)
    [warning] = _partition_warnings(early)
    assert warning["level"] == "warning" and warning["configured"] == 8
    expected = _expected_topics("grown.", tmp_path) - {"grown.sitrep-__assignor-__leader"}
    claims = {names.claims, "grown.sitrep-claims-changelog"}  # SITREP_CLAIM_PARTITIONS: 1, not 4 or 8
    assert claims <= expected
    assert warning["topics"] == dict.fromkeys(expected - claims, 4)

    grown = asyncio.run(_grow(own_broker, "grown.", 8))  # the claims topics too: the worker follows them
    assert len(grown) == len(warning["topics"]) + len(claims)
    after = start_worker(own_broker, tmp_path / "eight", wider, names=names)
    try:
        asyncio.run(
            produce(own_broker, names.raw, [(b"grown-1", orjson.dumps({**ARTICLE, "id": "grown-1"}))])
        )
        wait_caught_up(after, [names.raw, names.claims])
        assert any(value["article_id"] == "grown-1" for _, value in _events(own_broker, names))
    finally:
        stop_worker(after)
    assert not _partition_warnings(after)
