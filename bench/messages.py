"""Encode and decode the claims bundle (sitrep.claims) as a dict, a slotted dataclass and, when
msgspec is installed, a msgspec Struct, all over orjson (msgspec also with its own codec).
The pick of streams/contracts/messages.py rests on this; it times nothing else.
Run: python bench/messages.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from streams.contracts.messages import ClaimedEvent, ClaimsBundle
from streams.contracts.topics import TopicNames
from streams.domain.enrichment import Source, process

BODY = (
    "Russia sent 200 tanks to Belarus on Monday. Iran delivered 40 drones to Russia, officials said. "
    "Ukraine said 300 soldiers were killed near Bakhmut. China will deploy two carriers, analysts expect."
)


def sample() -> bytes:
    """A real bundle: the classify stage's sitrep.claims message for one article."""
    outcome = process(orjson.dumps({"id": "a", "body": BODY}), Source("articles.raw"), TopicNames(), 10**6,
                      claim_partitions=1)  # fmt: skip
    return next(o.value for o in outcome.outputs if o.topic == TopicNames().claims)


def per_call(function: Callable[[], Any], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        function()
    return (time.perf_counter() - started) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20_000)
    rounds = parser.parse_args().rounds
    raw = sample()
    as_dict = orjson.loads(raw)
    bundle = ClaimsBundle.decode(raw, None)
    assert bundle.encode() == raw  # same bytes on the topic as the dict it replaced
    rows = {
        "dict: orjson.dumps": per_call(lambda: orjson.dumps(as_dict), rounds),
        "dict: orjson.loads": per_call(lambda: orjson.loads(raw), rounds),
        "dataclass: orjson.dumps": per_call(bundle.encode, rounds),
        "dataclass: orjson.loads + checks": per_call(lambda: ClaimsBundle.decode(raw, None), rounds),
    }
    try:
        import msgspec
    except ImportError:
        msgspec = None
    if msgspec is not None:
        claim_type = msgspec.defstruct("StructClaim", [("claim", str), ("event", dict[str, Any])])
        bundle_type = msgspec.defstruct(
            "StructBundle",
            [("claims", list[claim_type]), ("published_at", str | None), ("text_hash", str),
             ("outlet", str), ("seen_at", float)],
        )  # fmt: skip
        struct = msgspec.json.decode(raw, type=bundle_type)
        rows["msgspec: orjson.dumps(to_builtins)"] = per_call(
            lambda: orjson.dumps(msgspec.to_builtins(struct)), rounds
        )
        rows["msgspec: orjson.loads + convert"] = per_call(
            lambda: msgspec.convert(orjson.loads(raw), bundle_type), rounds
        )
        rows["msgspec: json.encode"] = per_call(lambda: msgspec.json.encode(struct), rounds)
        rows["msgspec: json.decode(type=)"] = per_call(
            lambda: msgspec.json.decode(raw, type=bundle_type), rounds
        )
    print(f"claims bundle of {len(bundle.claims)} events, {len(raw)} bytes; microseconds per call")
    for name, micros in rows.items():
        print(f"{name:40} {micros:7.2f}")
    _ = ClaimedEvent  # the element type, for readers of this file


if __name__ == "__main__":
    main()
