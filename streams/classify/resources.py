"""Read the classifier's data files once, through importlib.resources (works from a wheel too)."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from typing import Any

_DATA = files("streams.classify").joinpath("data")


def read_text(name: str) -> str:
    return _DATA.joinpath(name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty lines of a text data file, without `#` comment lines."""
    return [s for s in (line.strip() for line in read_text(name).splitlines()) if s and not s.startswith("#")]


def read_json(name: str) -> Any:
    return json.loads(read_text(name))


def data_digest() -> str:
    """sha256 over the names and bytes of every data file (not the prose .md): the data's identity."""
    digest = hashlib.sha256()
    for entry in sorted(_DATA.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith(".md"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()
