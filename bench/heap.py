"""A worker under tracemalloc, for the soak run's heap diff: `python -m bench.heap DIR worker`.

The bench asks for a snapshot by creating DIR/NAME.want; a thread of the worker process dumps
DIR/NAME.snapshot and removes the request. Two snapshots (after warm-up, at the end) diffed by
line say what Python objects grew: what RSS alone cannot tell. tracemalloc slows the worker,
so only the soak run's `--heap` uses it.
"""

from __future__ import annotations

import sys
import threading
import time
import tracemalloc
from pathlib import Path

FRAMES = 1  # the allocating line only: each frame more slows the worker further, and the diff is by line
POLL_SECONDS = 0.2


def serve_snapshots(directory: Path) -> None:
    """Forever: answer each DIR/NAME.want with DIR/NAME.snapshot."""
    while True:
        for want in sorted(directory.glob("*.want")):
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            partial = want.with_suffix(".partial")
            snapshot.dump(str(partial))
            partial.rename(want.with_suffix(".snapshot"))
            want.unlink()
        time.sleep(POLL_SECONDS)  # the request's poll interval


def request(directory: Path, name: str, timeout: float = 300.0) -> tracemalloc.Snapshot:
    """Ask the worker for a snapshot and wait for it (a large heap takes seconds to dump)."""
    (directory / f"{name}.want").touch()
    done = directory / f"{name}.snapshot"
    deadline = time.monotonic() + timeout
    while not done.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"no heap snapshot {name} in {timeout} s")
        time.sleep(POLL_SECONDS)  # poll for the file the worker writes
    return tracemalloc.Snapshot.load(str(done))


def traced_mb(snapshot: tracemalloc.Snapshot) -> float:
    """Every live Python allocation of the snapshot, in MB: what RSS would follow if Python objects grew."""
    return round(sum(stat.size for stat in snapshot.statistics("filename")) / 1e6, 1)


def grown(first: tracemalloc.Snapshot, last: tracemalloc.Snapshot, top: int = 10) -> list[dict[str, object]]:
    """The lines whose live memory grew most from `first` to `last`."""
    rows: list[dict[str, object]] = []
    for stat in last.compare_to(first, "lineno")[:top]:
        frame = stat.traceback[0]
        rows.append(
            {
                "where": f"{frame.filename}:{frame.lineno}",
                "grew_kb": round(stat.size_diff / 1024, 1),
                "size_kb": round(stat.size / 1024, 1),
                "blocks_grew": stat.count_diff,
            }
        )
    return rows


def main() -> int:
    directory = Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(FRAMES)
    threading.Thread(target=serve_snapshots, args=(directory,), daemon=True, name="heap-snapshots").start()
    from streams.cli.main import main as sitrep

    return sitrep(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
