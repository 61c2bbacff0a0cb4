"""The seed article: every labelled event found with its category and status, nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from streams.classify import classify


def test_seed_article_events(shared_data: Path) -> None:
    article = json.loads((shared_data / "seed-article.jsonl").read_text(encoding="utf-8").splitlines()[0])
    body = (shared_data / "seed-article.txt").read_text(encoding="utf-8")
    events = classify(body, article["published_at"])
    got = {(body.find(e.evidence.text), e.category, e.status) for e in events}
    want = {(body.find(g["sentence"]), g["category"], g["status"]) for g in article["events"]}
    assert len(want) == 15
    assert got == want
    assert all(body[e.evidence.start : e.evidence.end] == e.evidence.text for e in events)
