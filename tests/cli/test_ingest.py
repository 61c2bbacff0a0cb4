"""`sitrep ingest` without a broker: the checks, the dry run, the resume point and the summary."""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
import pytest

from streams.cli.ingest import IngestSummary, Position, run_ingest
from streams.config import Settings
from streams.errors import UsageError

SETTINGS = Settings(bootstrap_servers="127.0.0.1:1", max_article_bytes=1000)


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    lines = [
        orjson.dumps({"id": "ok-1", "body": "Troops moved."}),
        b"not json",
        b"",
        orjson.dumps({"id": "big", "body": "x" * 2000}),
        orjson.dumps({"title": "no body"}),
        orjson.dumps({"id": "ok-2", "body": "Two killed.", "published_at": "yesterday"}),
        orjson.dumps({"id": "ok-3", "body": "Tanks arrived."}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_dry_run_checks_as_the_worker_would_and_reports_file_and_line(
    feed: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "sitrep.ingest")
    summary = run_ingest(SETTINGS, [feed], "t.articles.raw", dry_run=True)  # nothing listens: sends nothing
    assert (summary.read, summary.valid, summary.sent) == (6, 2, 0)
    assert summary.rejected == {"invalid_json": 1, "too_large": 1, "missing_body": 1, "invalid_field": 1}
    assert summary.exit_code == 1
    rejected = [r for r in caplog.records if getattr(r, "event", None) == "ingest_rejected"]
    assert [(r.line, r.reason) for r in rejected] == [  # type: ignore[attr-defined]
        (2, "invalid_json"),
        (4, "too_large"),
        (5, "missing_body"),
        (6, "invalid_field"),
    ]
    assert rejected[1].getMessage().startswith(f"{feed}:4: rejected (too_large)")
    assert "raise SITREP_MAX_ARTICLE_BYTES" in rejected[1].getMessage()
    (final,) = [r for r in caplog.records if getattr(r, "event", None) == "ingest"]
    assert final.getMessage() == (
        "dry run: 2 of 6 articles would be sent to t.articles.raw, rejected 4 (invalid_field 1, "
        "invalid_json 1, missing_body 1, too_large 1); nothing sent"
    )
    assert final.rejected == summary.rejected  # type: ignore[attr-defined]


def test_a_clean_dry_run_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Soldiers were sent.")
    summary = run_ingest(SETTINGS, [path], "raw", dry_run=True)
    assert (summary.valid, summary.exit_code) == (1, 0)


def test_resume_skips_what_comes_before_the_position(feed: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_bytes(orjson.dumps([{"body": "a"}, {"body": "b"}]))
    summary = run_ingest(SETTINGS, [feed, other], "raw", dry_run=True, resume_from=f"{feed}:6")
    assert (summary.skipped, summary.read, summary.valid) == (4, 4, 3)  # line 3 is blank: no item
    summary = run_ingest(SETTINGS, [feed, other], "raw", dry_run=True, resume_from=f"{other}:2")
    assert (summary.skipped, summary.read) == (7, 1)
    # a position past the last line of its file goes on with the next file
    summary = run_ingest(SETTINGS, [feed, other], "raw", dry_run=True, resume_from=f"{feed}:99")
    assert (summary.skipped, summary.read) == (6, 2)


@pytest.mark.parametrize("text", ["feed.jsonl", "feed.jsonl:", "feed.jsonl:0", ":3", "feed.jsonl:x"])
def test_a_bad_resume_position_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="write FILE:LINE"):
        Position.parse(text)


def test_resume_from_a_file_not_given_is_refused(feed: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not among the PATHs"):
        run_ingest(SETTINGS, [feed], "raw", dry_run=True, resume_from=f"{tmp_path / 'x.jsonl'}:1")


def test_an_interrupted_summary_says_how_to_go_on() -> None:
    summary = IngestSummary("raw", read=10, valid=10, sent=7, interrupted=True, resume_from="f.jsonl:8")
    assert summary.exit_code == 130
    assert summary.message().endswith(
        "interrupted: to go on, run the same command with --resume-from f.jsonl:8 "
        "(an article sent again is a duplicate that consumers drop by its id)"
    )
