"""Mistakes a user can fix: the CLI prints each as one line, `sitrep: what is wrong and what to do`,
and exits 2, never with a traceback (README, "Mistakes")."""

from __future__ import annotations

import os
from pathlib import Path

USAGE_EXIT = 2


class UsageError(Exception):
    """A mistake in how a command was called (a missing file, a bad date); raised where it is found."""


def one_line(text: object) -> str:
    """The message on one line: YAML and JSON errors come with line breaks and indentation."""
    return " ".join(str(text).split())


def readable_file(path: Path, what: str = "file") -> Path:
    """`path` when it is a file this process can read; otherwise a UsageError that says why."""
    if not path.exists():
        raise UsageError(f"{path}: no such {what}; check the path")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give a {what}")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: permission denied; make the {what} readable")
    return path
