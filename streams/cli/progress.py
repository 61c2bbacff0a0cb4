"""A one-line progress bar on stderr for long CLI work; silent when stderr is not a terminal
unless forced, so logs and CI output stay readable."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts items and bytes against a known total; redraws at most ten times a second."""

    def __init__(
        self, total_bytes: int, label: str, stream: TextIO | None = None, force: bool = False
    ) -> None:
        self.total = max(total_bytes, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.items = 0
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def advance(self, items: int, consumed: int) -> None:
        self.items += items
        self.done += consumed
        now = time.monotonic()
        if self.enabled and now - self._drawn >= 0.1:
            self._drawn = now
            self._draw(now)

    def finish(self, complete: bool = True) -> None:
        """End the bar's line (so what follows starts on its own); `complete=False` after an interrupt
        leaves the bar where it stopped."""
        if self.enabled:
            self.done = self.total if complete else self.done
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        fraction = min(self.done / self.total, 1.0)
        elapsed = now - self.started
        rate = self.items / elapsed if elapsed > 0 else 0.0
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        bar = "#" * int(fraction * 30)
        self.stream.write(
            f"\r{self.label} [{bar:<30}] {fraction:6.1%} {self.items} items {rate:,.0f}/s eta {eta:4.0f}s"
        )
        self.stream.flush()
