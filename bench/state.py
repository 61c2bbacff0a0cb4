"""State that scales (issue 15, item 7): a worker with N claims retained against one with none.

Three runs, each on a fresh prefix:
- empty: first start, a drain of `--articles` articles (CPU per article), a clean stop, the restart;
- retained: `--claims` claims (1 million) written to the claims changelog, as a week of traffic would
  have left it, and into the worker's store through Faust's own RocksDB store code, with the stored
  changelog offsets and the clean-stop mark, as a worker that stopped cleanly leaves it. Then the
  same start, drain, stop and restart: restart to ready with the claims retained, and what it read;
- full restore: `--restore-claims` claims in the changelog only, and a first start on a fresh data
  dir, which reads them all (a new host, or after a kill -9): the restore rate, for extrapolation.
Each start is timed from the process start to /readyz 200, which Faust gives only after its
restore; RSS is read once ready, after the drain, and at its peak.

Run: python bench/state.py [--claims 1000000] [--restore-claims 100000] [--articles 300]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson
import rocksdict
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faust.types import TP

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Worker, collect, corpus, cpu_times, new_prefix, peak_rss_mb, produce, rss_mb
from bench.harness import start_worker as start_process
from bench.soak import metric
from streams.broker import free_port
from streams.cli.progress import Progress
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.domain.claims import ClaimState, claim_key, claim_partition
from streams.kafka.clients import ensure_topics, topic_partitions
from streams.runtime.app import create_app
from streams.runtime.state_store import LocalState, table_dir
from streams.runtime.worker import changelog_configs

PARTITIONS = 4
SEED_CHUNK = 20_000  # claims in flight at once while seeding
SPREAD_SECONDS = 6 * 24 * 3600  # seeded claims were last seen within the retention window (7 days)


def topics(bootstrap: str, prefix: str) -> str:
    """Create the prefix's topics and changelogs (compacted, as the worker would); the claims changelog."""
    settings = Settings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    changelogs = changelog_configs(create_app(settings).app)
    names = TopicNames(prefix)
    asyncio.run(ensure_topics(bootstrap, [*names.all(), *changelogs], PARTITIONS, configs=changelogs))
    return f"{settings.app_id}-claims-changelog"


async def seed(bootstrap: str, settings: Settings, changelog: str, claims: int, *, store: bool) -> float:
    """Write `claims` claims to the changelog, each on its partition, and with `store` into the worker's
    RocksDB store as a cleanly stopped worker leaves it; the seconds it took."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=1024 * 1024, acks=1)
    table = create_app(settings).tables["claims"].data if store else None
    await producer.start()
    started, now = time.monotonic(), time.time()
    rng = random.Random(5)
    progress = Progress(claims, "seeding claims")
    try:
        for first in range(0, claims, SEED_CHUNK):
            pending = []
            batches: dict[int, Any] = defaultdict(lambda: rocksdict.WriteBatch(raw_mode=True))
            for number in range(first, min(first + SEED_CHUNK, claims)):
                key, value, partition = _claim(number, now - rng.uniform(0, SPREAD_SECONDS))
                pending.append(await producer.send(changelog, value, key=key, partition=partition))
                batches[partition].put(key, value)
            await asyncio.gather(*pending)
            if table is not None:
                for partition, batch in batches.items():
                    table._db_for_partition(partition).write(batch)
            progress.advance(len(pending), len(pending))
        if table is not None:
            ends = await end_offsets(bootstrap, changelog)
            for partition, end in ends.items():
                table.set_persisted_offset(TP(changelog, partition), end - 1)
            table._dbs.clear()
            gc.collect()  # closes the databases
            (table_dir(settings) / LocalState.CLEAN).touch()
    finally:
        await producer.stop()
        progress.finish()
    return time.monotonic() - started


def _claim(number: int, seen: float) -> tuple[bytes, bytes, int]:
    """A claim as the claims table's changelog and store hold it: JSON key, JSON state, partition."""
    claim = f"seed-{number:08d}"
    state = ClaimState(
        first_seen=seen,
        last_seen=seen,
        articles={f"seed-article-{number}": f"{number:016x}"},
        outlets=(f"outlet-{number % 50}",),
        corroboration=1,
    )
    return claim_key(claim), orjson.dumps(state.to_table()), claim_partition(claim, PARTITIONS)


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(await topic_partitions(consumer, [topic]))
        return {tp.partition: end for tp, end in ends.items()}
    finally:
        await consumer.stop()


def start(
    bootstrap: str, prefix: str, data_dir: Path, env: dict[str, str]
) -> tuple[Worker, dict[str, float]]:
    """A worker on `data_dir`; seconds from its start to /readyz 200, RSS then, what its restore read."""
    started = time.monotonic()
    worker = start_process(
        bootstrap, prefix, free_port(), data_dir.parent, {**env, "SITREP_DATA_DIR": str(data_dir)}
    )
    ready = worker.wait_ready(timeout=3600)
    figures = {
        "ready_s": round(ready - started, 2),
        "rss_mb_ready": round(rss_mb(worker.process.pid), 1),
        "restored_messages": metric(worker.port, 'sitrep_state_restored_messages_total{table="claims"}'),
        "claims_tracked": metric(worker.port, "sitrep_claims_tracked"),
    }
    return worker, figures


def one_state(
    bootstrap: str, claims: int, articles: int, env: dict[str, str], workdir: Path, *, retained: bool = True
) -> dict[str, Any]:
    """With `retained`: the claims in the store, a start, a drain of `articles`, a clean stop and the
    restart. Without: the claims in the changelog only, and a first start that restores them all."""
    prefix = new_prefix()
    data_dir = workdir / prefix.rstrip(".") / "data"
    settings = Settings(
        bootstrap_servers=bootstrap, topic_prefix=prefix, data_dir=data_dir, topic_partitions=PARTITIONS
    )
    changelog = topics(bootstrap, prefix)
    report: dict[str, Any] = {"claims": claims}
    if claims:
        report["seed_s"] = round(asyncio.run(seed(bootstrap, settings, changelog, claims, store=retained)), 1)
    worker, report["start"] = start(bootstrap, prefix, data_dir, env)
    if not retained:
        worker.stop()
        return report
    try:
        names = TopicNames(prefix)
        batch = corpus(articles, f"state{claims}")
        user0, sys0 = cpu_times(worker.process.pid)
        asyncio.run(produce(bootstrap, names.raw, batch))
        asyncio.run(collect(bootstrap, names.enriched, {key for key, _ in batch}))
        deadline = time.monotonic() + 600
        while metric(worker.port, "sitrep_articles_consumed_total") < articles:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{articles} articles not consumed in 600 s")
            time.sleep(1.0)  # poll (each scrape counts the claims)
        user1, sys1 = cpu_times(worker.process.pid)
        report["cpu_s_per_1k_articles"] = round((user1 - user0 + sys1 - sys0) / articles * 1000, 2)
        report["rss_mb_after_articles"] = round(rss_mb(worker.process.pid), 1)
        report["peak_rss_mb"] = round(peak_rss_mb(worker.process.pid), 1)
    finally:
        worker.stop()
    worker, report["restart"] = start(bootstrap, prefix, data_dir, env)
    worker.stop()
    return report


def state_bench(
    bootstrap: str, claims: int, restore_claims: int, articles: int, env: dict[str, str]
) -> dict[str, Any]:
    """The empty run, the run with `claims` retained, and a full restore of `restore_claims`."""
    report: dict[str, Any] = {"env": env, "articles": articles}
    with tempfile.TemporaryDirectory(prefix="sitrep-state-") as tmp:
        report["empty"] = one_state(bootstrap, 0, articles, env, Path(tmp))
        report["retained"] = one_state(bootstrap, claims, articles, env, Path(tmp))
        if restore_claims:
            restore = one_state(bootstrap, restore_claims, articles, env, Path(tmp), retained=False)
            base = report["empty"]["start"]["ready_s"]
            rate = restore_claims / max(restore["start"]["ready_s"] - base, 1e-3)
            restore["restored_per_s"] = round(rate)
            restore["extrapolated_ready_s_for_claims"] = round(base + claims / rate, 1)
            report["full_restore"] = restore
    return report


def lines(report: dict[str, Any]) -> str:
    out = []
    for label in ("empty", "retained"):
        r = report[label]
        first, again = r["start"], r["restart"]
        out.append(
            f"{r['claims']:>9,} claims retained: start {first['ready_s']} s "
            f"({first['restored_messages']:,.0f} read, RSS {first['rss_mb_ready']} MB), "
            f"restart {again['ready_s']} s ({again['restored_messages']:,.0f} read, "
            f"RSS {again['rss_mb_ready']} MB); {r['cpu_s_per_1k_articles']} CPU s/1k articles, "
            f"RSS {r['rss_mb_after_articles']} MB after them, peak {r['peak_rss_mb']} MB"
        )
    if "full_restore" in report:
        r = report["full_restore"]
        out.append(
            f"{r['claims']:>9,} claims restored in full (new data dir): ready in {r['start']['ready_s']} s, "
            f"{r['restored_per_s']:,}/s, RSS {r['start']['rss_mb_ready']} MB; "
            f"{report['retained']['claims']:,} would take about {r['extrapolated_ready_s_for_claims']} s"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bootstrap", default=Settings.from_env().bootstrap_servers)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--restore-claims", type=int, default=100_000, help="full restore run (0: skip)")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the worker")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    report = state_bench(args.bootstrap, args.claims, args.restore_claims, args.articles, env)
    print(lines(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
