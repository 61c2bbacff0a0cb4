"""The supervisor exit: one critical log line, then EX_TEMPFAIL without running cleanup."""

from __future__ import annotations

import subprocess
import sys

_SCRIPT = """
import atexit, logging, sys
logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(message)s %(event)s %(exit_code)s")
atexit.register(lambda: print("atexit ran"))
from streams.runtime.reliability.supervision import exit_for_supervisor
exit_for_supervisor(logging.getLogger("t"), "giving up", "test_exit", "because")
print("still running")
"""


def test_exit_for_supervisor_logs_then_exits_75_without_cleanup() -> None:
    command = [sys.executable, "-c", _SCRIPT]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 75
    assert "CRITICAL giving up test_exit 75" in done.stderr
    assert done.stdout == ""  # neither the next line nor atexit handlers ran
