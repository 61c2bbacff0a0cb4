"""A time budget for a synchronous call on the worker's main thread.

Classification is pure Python on the event loop's thread: a pathological article must
not stall its partition. SIGALRM interrupts Python code between bytecodes, so the call
is stopped at the budget and the article dead-lettered. Off the main thread (where
signals cannot be delivered) the budget is not enforced.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class BudgetExceededError(Exception):
    """The call ran past its time budget."""


_ARMED = threading.Event()  # set only while a budgeted call runs: a late alarm is ignored


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _ARMED.is_set():
        raise BudgetExceededError


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceededError inside the block once `seconds` have passed (0 or less: no budget)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED.set()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _ARMED.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
