"""How the broker manager talks back: progress lines on stderr and one error type."""

from __future__ import annotations

import sys
from pathlib import Path


class BrokerError(RuntimeError):
    """Fetching, formatting or starting the broker failed; the message says why."""


def say(message: str) -> None:
    """Progress goes to stderr: a cold start takes a minute and must not look hung."""
    print(f"[sitrep.broker] {message}", file=sys.stderr, flush=True)


def excerpt(path: Path, last: int = 15) -> str:
    """The first errors and the last lines of a log: a dead broker's cause is often far above its end."""
    if not path.is_file():
        return f"--- {path}: (missing)"
    lines = path.read_text(errors="replace").splitlines()
    if not lines:
        return f"--- {path}: (empty)"
    starts = [i for i, line in enumerate(lines) if " ERROR " in line or " FATAL " in line][:3]
    errors = [line for i in starts for line in lines[i : i + 2]]
    parts = [f"--- {path}, first errors:", *errors] if errors else []
    return "\n".join([*parts, f"--- {path}, last lines:", *lines[-last:]])
