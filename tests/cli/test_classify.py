"""`sitrep classify` on files: the same enriched JSON as the worker, skipped languages included."""

from __future__ import annotations

import io
from pathlib import Path

import orjson

from streams.cli.classify import classify_files
from streams.config import Settings


def test_classify_files_prints_a_foreign_article_enriched_and_skipped_and_succeeds(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    articles = [
        {"id": "de", "body": "Nordkoreanische Soldaten kämpfen an der Seite Russlands in Kursk."},
        {"id": "en", "body": "Russia has deployed 2,000 troops to the border with Finland, officials said."},
    ]
    feed.write_bytes(b"\n".join(orjson.dumps(a) for a in articles) + b"\n")
    out = io.StringIO()
    assert classify_files([feed], Settings(data_dir=tmp_path), out) == 0, "skipping is not a rejection"
    german, english = (orjson.loads(line) for line in out.getvalue().splitlines())
    assert (german["id"], german["language"], german["skipped"], german["events"]) == (
        "de",
        "de",
        "unsupported_language",
        [],
    )
    assert (english["language"], english["skipped"], english["categories"]) == ("en", None, ["deployment"])
