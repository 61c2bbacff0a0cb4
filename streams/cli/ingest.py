"""`sitrep ingest`: check every article as the worker would, send the good ones, say what happened.

An article the worker would dead-letter (not JSON, no body, a field of the wrong type, too
large) is reported with its file and line and not sent: a feed tool tells its user now, not
through the dead-letter topic later. Every run ends with one summary line (sent, rejected by
reason, skipped), an interrupted one too, with the `--resume-from FILE:LINE` that goes on
from the first article the broker does not have. Ids are deterministic, so an article sent
again by a resume is a duplicate that consumers drop (README, "Claims and alerts").
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError  # type: ignore[import-untyped]

from streams.cli.inputs import InputItem, input_files, read_inputs, total_bytes
from streams.cli.progress import Progress
from streams.cli.send import SendError, produce_items
from streams.config import ENV_NAMES, Settings
from streams.contracts.records import Reason, Rejected, parse_article
from streams.errors import UsageError

log = logging.getLogger("sitrep.ingest")

EXIT_REJECTED = 1  # done, but some articles were rejected (as `sitrep classify`)
EXIT_INTERRUPTED = 130

_HINTS = {Reason.TOO_LARGE: f"To send it, raise {ENV_NAMES['max_article_bytes']} (and max.message.bytes)."}


@dataclass(frozen=True, slots=True)
class Position:
    """Where a run resumes: the first article at or after `line` of `path` (a file among the inputs)."""

    path: Path
    line: int

    @classmethod
    def parse(cls, text: str) -> Position:
        name, colon, line = text.rpartition(":")
        if not colon or not name or not line.isdigit() or int(line) < 1:
            raise UsageError(f"--resume-from {text!r}: write FILE:LINE, as the summary of a run prints it")
        return cls(Path(name), int(line))


@dataclass
class IngestSummary:
    """What one run did; `as_fields` is the structured log's view of it."""

    topic: str
    dry_run: bool = False
    read: int = 0
    valid: int = 0
    sent: int = 0
    skipped: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False
    resume_from: str | None = None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_REJECTED if self.rejected else 0

    def message(self) -> str:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(self.rejected.items()))
        rejected = f"rejected {sum(self.rejected.values())}" + (f" ({reasons})" if reasons else "")
        skipped = f", skipped {self.skipped} before --resume-from" if self.skipped else ""
        if self.dry_run:
            text = f"dry run: {self.valid} of {self.read} articles would be sent to {self.topic}, {rejected}"
            text += f"{skipped}; nothing sent"
        else:
            text = f"sent {self.sent} of {self.read} articles to {self.topic}, {rejected}{skipped}"
        if self.interrupted:
            text += (
                f"; interrupted: to go on, run the same command with --resume-from {self.resume_from}"
                " (an article sent again is a duplicate that consumers drop by its id)"
            )
        return text

    def as_fields(self) -> dict[str, Any]:
        return {
            "event": "ingest",
            "topic": self.topic,
            "dry_run": self.dry_run,
            "read": self.read,
            "valid": self.valid,
            "sent": self.sent,
            "skipped": self.skipped,
            "rejected": dict(self.rejected),
            "interrupted": self.interrupted,
            "resume_from": self.resume_from,
        }


def run_ingest(
    settings: Settings,
    paths: list[Path],
    topic: str,
    *,
    dry_run: bool = False,
    resume_from: str | None = None,
    show_progress: bool = False,
) -> IngestSummary:
    """Check and send (or, dry, only check) the articles of `paths`; log the summary and return it."""
    files = input_files(paths)  # a missing path stops here, before any connection
    run = _Run(settings, files, IngestSummary(topic, dry_run=dry_run), show_progress)
    if resume_from:
        run.start = _start_index(files, Position.parse(resume_from))
    try:
        if dry_run:
            for _ in run.checked():
                run.outstanding.popleft()
        else:
            asyncio.run(run.send())
    except KeyboardInterrupt:
        run.summary.interrupted = True
        run.summary.resume_from = run.resume_point()
    finally:
        run.progress.finish(complete=not run.summary.interrupted)
    summary = run.summary
    level = logging.WARNING if summary.interrupted or summary.rejected else logging.INFO
    log.log(level, summary.message(), extra=summary.as_fields())
    return summary


class _Run:
    """One run's state: what was read last, and what was passed on to be sent but not acknowledged."""

    def __init__(self, settings: Settings, files: list[Path], summary: IngestSummary, show: bool) -> None:
        self.settings = settings
        self.files = files
        self.summary = summary
        self.start: tuple[int, int] | None = None  # (file number, line) to resume from
        self.outstanding: deque[InputItem] = deque()
        self.last: InputItem | None = None
        self.progress = Progress(total_bytes(files), f"ingest -> {summary.topic}", force=show)

    def checked(self) -> Iterator[InputItem]:
        """The items to send: those before the resume point skipped, those the worker would reject
        reported and left out."""
        index = {path: number for number, path in enumerate(self.files)}
        for item in read_inputs(self.files):
            self.last = item
            self.progress.advance(1, item.consumed_bytes)
            if self.start is not None and (index[item.path], item.line) < self.start:
                self.summary.skipped += 1
                continue
            self.summary.read += 1
            outcome = parse_article(item.payload, self.settings.max_article_bytes)
            if isinstance(outcome, Rejected):
                self.summary.rejected[outcome.reason] += 1
                _report(item, outcome)
                continue
            self.summary.valid += 1
            self.outstanding.append(item)
            yield item

    async def send(self) -> None:
        def delivered(item: InputItem) -> None:
            assert self.outstanding.popleft() is item  # acknowledgements come in input order
            self.summary.sent += 1

        settings = self.settings
        try:
            await produce_items(
                settings.bootstrap_servers,
                self.summary.topic,
                self.checked(),
                settings,
                max_request_size=max(2 * settings.max_article_bytes, 1024 * 1024),
                delivered=delivered,
            )
        except SendError as failed:
            raise _refusal(failed, self.summary.sent) from None

    def resume_point(self) -> str:
        """The first article the broker does not have; else the one after the last read."""
        if self.outstanding:
            return self.outstanding[0].position
        if self.last is not None:
            return f"{self.last.path}:{self.last.line + 1}"
        return f"{self.files[0]}:1"


def _refusal(failed: SendError, sent: int) -> Exception:
    """A broker that refuses an article: a size limit is a setting to change (UsageError); any other
    failure (the broker gone) is said with where to resume."""
    item, resume = failed.item, f"--resume-from {failed.item.position}"
    if isinstance(failed.error, MessageSizeTooLargeError):
        return UsageError(
            f"{item.position}: the broker refused this article of {len(item.payload)} bytes as too large; "
            f"raise the topic's max.message.bytes (or the broker's message.max.bytes), or lower "
            f"{ENV_NAMES['max_article_bytes']} so that ingest rejects such articles; {sent} sent "
            f"before it; then run the same command with {resume}"
        )
    return SystemExit(
        f"sitrep: {item.position}: the broker did not take this article ({type(failed.error).__name__}: "
        f"{failed.error}); {sent} sent before it; when it answers, run the same command with {resume}"
    )


def _report(item: InputItem, rejected: Rejected) -> None:
    hint = _HINTS.get(rejected.reason)
    log.warning(
        f"{item.position}: rejected ({rejected.reason}), not sent: {rejected.error}"
        + (f" {hint}" if hint else ""),
        extra={
            "event": "ingest_rejected",
            "file": str(item.path),
            "line": item.line,
            "reason": rejected.reason,
            "error": rejected.error,
        },
    )


def _start_index(files: list[Path], position: Position) -> tuple[int, int]:
    """(file number, line) of the resume point, comparable with each item's."""
    wanted = position.path.resolve()
    for number, path in enumerate(files):
        if path.resolve() == wanted:
            return number, position.line
    raise UsageError(f"--resume-from {position.path}:{position.line}: that file is not among the PATHs")
