"""Article inputs from files: JSON Lines, a JSON array or object, or plain text; directories hold them.

Items come out as raw payload bytes, as a feed would send them: a malformed line is
passed on unchanged (the worker dead-letters it; `sitrep ingest` reports it first), each
with the file and line it came from, so a report or a resume point can name it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from streams.contracts.records import article_id_for
from streams.errors import UsageError, readable_file

SUFFIXES = (".jsonl", ".ndjson", ".json", ".txt")


@dataclass(frozen=True, slots=True)
class InputItem:
    """One payload to send, its key (the article id when it can be told), and its size on disk.

    `path` and `line` say where it came from: the line of a JSON Lines file, the element (from 1)
    of a JSON array, 1 for a whole file."""

    payload: bytes
    key: bytes | None
    consumed_bytes: int
    path: Path = Path()
    line: int = 1

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}"


def input_files(paths: list[Path]) -> list[Path]:
    """The files to read, in order: each file as given, each directory's input files (recursively,
    by name). A missing path, or a directory without inputs, is the user's mistake: UsageError."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                raise UsageError(f"{path}: no {', '.join(SUFFIXES)} files in this directory")
            files.extend(found)
        else:
            files.append(readable_file(path, "file or directory"))
    return files


def read_inputs(paths: list[Path]) -> Iterator[InputItem]:
    """Every article of every path, in order. The paths are checked now, the files read lazily."""
    return _read(input_files(paths))


def total_bytes(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in input_files(paths))


def _read(files: list[Path]) -> Iterator[InputItem]:
    for path in files:
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            yield from _json_lines(path)
        elif suffix == ".json":
            yield from _json_document(path)
        else:
            yield _text_file(path)


def key_for(payload: bytes) -> bytes | None:
    """The article id a payload will get from the worker, when the payload is a valid object."""
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("body"), str):
        return None
    given = value.get("id")
    if isinstance(given, str) and given:
        return given.encode()
    url = value.get("url")
    return article_id_for(url if isinstance(url, str) else None, value["body"]).encode()


def _json_lines(path: Path) -> Iterator[InputItem]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            payload = line.rstrip(b"\r\n")
            if payload.strip():
                yield InputItem(payload, key_for(payload), len(line), path, number)


def _json_document(path: Path) -> Iterator[InputItem]:
    data = path.read_bytes()
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        yield InputItem(data, None, len(data), path)  # the worker will say why
        return
    items = value if isinstance(value, list) else [value]
    for number, item in enumerate(items, start=1):
        payload = orjson.dumps(item)
        yield InputItem(payload, key_for(payload), len(data) // max(len(items), 1), path, number)


def _text_file(path: Path) -> InputItem:
    data = path.read_bytes()
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError:
        return InputItem(data, None, len(data), path)
    title = next((line.strip() for line in body.splitlines() if line.strip()), None)
    article: dict[str, str] = {"body": body}
    if title:
        article["title"] = title[:300]
    payload = orjson.dumps(article)
    return InputItem(payload, key_for(payload), len(data), path)
