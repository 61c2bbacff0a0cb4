"""Time `domain.alerting.apply` per event over the default rules, the alert stage's own work, with the
state in a dict of plain values as the stage's table holds it. To time another checkout's code in
the same session (the typed alert state against the dicts before it, issue 14), alternate runs with
`PYTHONPATH=<checkout>`, which the import below then follows.
Run: python bench/alert_apply.py [--events 4000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

import streams
from streams.domain.alerting import apply
from streams.domain.rules import load_rules

ACTORS = ("North Korea", "Russia", "Iran")
COUNTERPARTS = ("Russia", "Ukraine", "Syria", "Iran")
CATEGORIES = ("deployment", "casualty", "supply", "forecast")


def events(n: int) -> list[dict[str, Any]]:
    """Events of every category over a few actors, outlets and incidents, 50 claims repeating."""
    return [
        {
            "event_id": f"e{i}", "article_id": f"a{i // 4}", "claim_id": f"c{i % 50}",
            "category": CATEGORIES[i % 4], "status": "reported", "scope": "incident",
            "actor": ACTORS[i % 3], "counterpart": COUNTERPARTS[i % 4],
            "systems": ["kn-23 ballistic missile"] if i % 8 == 2 else [],
            "quantity": {"value": 100 + i % 700, "unit": "killed", "text": "x"} if i % 4 == 1 else None,
            "evidence": {"text": "troops were killed near the border"}, "outlet": f"o{i % 7}",
            "corroboration": 1 + i % 3, "outlets": 1 + i % 2, "when": {"date": f"2024-05-{1 + i % 28:02d}"},
        }
        for i in range(n)
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    rules, told = load_rules(), events(args.events)
    per_event = []
    for _ in range(args.rounds):
        table: dict[str, Any] = {}
        began = time.perf_counter()
        for index, event in enumerate(told):
            for rule in rules:
                apply(rule, event, 1000.0 + 30 * index, table)
        per_event.append((time.perf_counter() - began) / len(told) * 1e6)
    print(
        f"{streams.__file__}: apply over {len(rules)} rules, per event: best {min(per_event):.1f} us, "
        f"median {statistics.median(per_event):.1f} us"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
