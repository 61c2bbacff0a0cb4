"""Example consumer: post every Sitrep alert to a webhook (Slack-, Teams- or your own endpoint).

    python examples/alerts_to_webhook.py --url https://hooks.example/T000/B000 [--bootstrap 127.0.0.1:9092]

It joins its own consumer group and commits an alert's offset only after the webhook
answered 2xx, so an alert is delivered at least once even across restarts; failed
posts are retried with backoff. Alert ids are stable: the receiver can deduplicate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys

import aiohttp
from aiokafka import AIOKafkaConsumer, TopicPartition

log = logging.getLogger("alerts_to_webhook")


async def post_with_retry(session: aiohttp.ClientSession, url: str, alert: dict[str, object]) -> None:
    """POST until the endpoint answers 2xx; back off from 0.5 s to 30 s between tries."""
    delay = 0.5
    while True:
        try:
            async with session.post(url, json=alert, timeout=aiohttp.ClientTimeout(total=10)) as response:
                if 200 <= response.status < 300:
                    return
                log.warning("webhook answered %s for alert %s", response.status, alert.get("alert_id"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("webhook failed for alert %s: %r", alert.get("alert_id"), exc)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 30.0)


async def forward(args: argparse.Namespace) -> int:
    consumer = AIOKafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if args.from_beginning else "latest",
    )
    await consumer.start()
    delivered = 0
    try:
        async with aiohttp.ClientSession() as session:
            async for record in consumer:
                alert = json.loads(record.value)
                await post_with_retry(session, args.url, alert)
                await consumer.commit({TopicPartition(record.topic, record.partition): record.offset + 1})
                delivered += 1
                log.info("delivered %s (%s)", alert.get("alert_id"), alert.get("rule"))
                if args.limit and delivered >= args.limit:
                    break
    finally:
        await consumer.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the webhook to POST each alert to (JSON body)")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--topic", default=os.environ.get("SITREP_TOPIC_PREFIX", "") + "alerts")
    parser.add_argument(
        "--group",
        default=os.environ.get("SITREP_TOPIC_PREFIX", "") + "sitrep-alerts-webhook",
        help="consumer group (offsets survive restarts); starts with the prefix, like the worker's",
    )
    parser.add_argument(
        "--from-beginning", action="store_true", help="start at the oldest alert, not the next"
    )
    parser.add_argument("--limit", type=int, default=0, help="stop after N alerts (0: run forever)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return asyncio.run(forward(args))


if __name__ == "__main__":
    sys.exit(main())
