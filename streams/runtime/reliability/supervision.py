"""Leave the process so that its supervisor starts a fresh worker.

Used when a worker cannot recover in place (an output undeliverable for a minute, input
partitions still stalled after a restart of the fetching). `os._exit` is deliberate: like
kill -9, nothing unacked gets committed on the way out, so the restarted worker replays it.

Not a Faust workaround itself: the last resort of acking.py and liveness.py, deleted with them.
"""

from __future__ import annotations

import logging
import os

EXIT_TEMPFAIL = 75  # EX_TEMPFAIL from sysexits.h: try again later


def exit_for_supervisor(log: logging.Logger, message: str, event: str, reason: str) -> None:
    """Log one critical line saying why, flush the logs, and exit with EX_TEMPFAIL."""
    log.critical(message, extra={"event": event, "error": reason, "exit_code": EXIT_TEMPFAIL})
    logging.shutdown()
    os._exit(EXIT_TEMPFAIL)
