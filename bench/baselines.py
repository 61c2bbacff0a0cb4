"""The benchmark's baselines, each run in a fresh process so caches and the interpreter start
as cold as the worker's: the classifier alone (the CPU limit), a bare aiokafka forwarder
(the transport limit), and a hand-written aiokafka classify loop (what a user could write
instead of Faust). Prints one JSON object on stdout.

Run: python bench/baselines.py {classify,forward,handloop} --articles N --tag T [...]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import corpus
from streams.classify import classify
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Source, process
from streams.kafka.clients import topic_partitions

MAX_ARTICLE_BYTES = 1024 * 1024


def own_usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def classify_only(articles: int, tag: str) -> dict[str, Any]:
    """Time streams.classify.classify over the bodies, nothing else."""
    bodies = [orjson.loads(value)["body"] for _, value in corpus(articles, tag)]
    cpu0 = own_usage()["cpu_s"]
    started, events = time.perf_counter(), 0
    for body in bodies:
        events += len(classify(body))
    seconds = time.perf_counter() - started
    chars = sum(len(b.encode()) for b in bodies)
    return {
        "articles_per_s": round(len(bodies) / seconds, 1),
        "mb_per_s": round(chars / seconds / 1e6, 3),
        "ms_per_article": round(seconds / len(bodies) * 1000, 3),
        "cpu_s_per_1k": round((own_usage()["cpu_s"] - cpu0) / len(bodies) * 1000, 2),
        "events_per_article": round(events / len(bodies), 2),
    }


async def kafka_loop(bootstrap: str, src: str, dst_prefix: str | None, dst: str, n: int) -> dict[str, Any]:
    """Read `n` records of `src`; forward each to `dst`, or (dst_prefix) publish what process() makes.

    Sends are batched by the producer and settled once per fetched batch, then the offsets
    are committed: at least once, as the worker does.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=f"{dst}-group", enable_auto_commit=False
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await consumer.start()
    await producer.start()
    names = TopicNames(dst_prefix) if dst_prefix is not None else None
    try:
        partitions = await topic_partitions(consumer, [src])
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        cpu0, done = own_usage()["cpu_s"], 0
        while done < n:
            pending = []
            for records in (await consumer.getmany(timeout_ms=1000, max_records=500)).values():
                for r in records:
                    if names is None:
                        pending.append(await producer.send(dst, r.value, key=r.key))
                        continue
                    source = Source(r.topic, r.partition, r.offset, r.key, r.timestamp / 1000)
                    outcome = process(
                        r.value, source, names, MAX_ARTICLE_BYTES, claim_partitions=len(partitions)
                    )
                    for out in outcome.outputs:
                        pending.append(
                            await producer.send(out.topic, out.value, key=out.key, partition=out.partition)
                        )
                done += len(records)
            await asyncio.gather(*pending)
            await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()
    return {"cpu_s_per_1k": round((own_usage()["cpu_s"] - cpu0) / n * 1000, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["classify", "forward", "handloop"])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--tag", default="a")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--src", default="")
    parser.add_argument("--dst", default="")
    parser.add_argument("--dst-prefix", default=None)
    args = parser.parse_args(argv)
    if args.mode == "classify":
        result = classify_only(args.articles, args.tag)
    else:
        prefix = args.dst_prefix if args.mode == "handloop" else None
        result = asyncio.run(kafka_loop(args.bootstrap, args.src, prefix, args.dst, args.articles))
    print(orjson.dumps({**result, **own_usage()}).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
