"""Article inputs from files: JSON Lines, a JSON array or object, or plain text.

Items come out as raw payload bytes, as a feed would send them: a malformed line is
passed on unchanged so the worker dead-letters it with its reason; nothing is dropped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from streams.records import article_id_for


@dataclass(frozen=True, slots=True)
class InputItem:
    """One payload to send, its key (the article id when it can be told), and its size on disk."""

    payload: bytes
    key: bytes | None
    consumed_bytes: int


def read_inputs(paths: list[Path]) -> Iterator[InputItem]:
    """Every article of every path, in order."""
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            yield from _json_lines(path)
        elif suffix == ".json":
            yield from _json_document(path)
        else:
            yield _text_file(path)


def total_bytes(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


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
        for line in handle:
            payload = line.rstrip(b"\r\n")
            if payload.strip():
                yield InputItem(payload, key_for(payload), len(line))


def _json_document(path: Path) -> Iterator[InputItem]:
    data = path.read_bytes()
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        yield InputItem(data, None, len(data))  # the worker will say why
        return
    items = value if isinstance(value, list) else [value]
    for item in items:
        payload = orjson.dumps(item)
        yield InputItem(payload, key_for(payload), len(data) // max(len(items), 1))


def _text_file(path: Path) -> InputItem:
    data = path.read_bytes()
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError:
        return InputItem(data, None, len(data))
    title = next((line.strip() for line in body.splitlines() if line.strip()), None)
    article: dict[str, str] = {"body": body}
    if title:
        article["title"] = title[:300]
    payload = orjson.dumps(article)
    return InputItem(payload, key_for(payload), len(data))
