"""The command line the label harmonisers share: apply (logging each change), --check, --dev."""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Changes = list[tuple[Any, ...]]  # each: (the label's file position, then the logged columns)


def run(
    argv: list[str] | None,
    *,
    doc: str,
    corpus: Path,
    shared: Path,
    harmonise: Callable[[Path, bool], tuple[Changes, Counter[tuple[str, ...]]]],
    dev_convention: Callable[[Path], Counter[tuple[str, ...]]],
    log_name: str,
    header: Sequence[str],
    noun: str,
) -> int:
    """Parse the arguments and run one harmoniser; exit 1 under --check when a label would change."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a label would change")
    parser.add_argument("--dev", action="store_true", help="count the dev sets' convention and exit")
    parser.add_argument("--corpus", type=Path, default=corpus)
    parser.add_argument("--shared", type=Path, default=shared)
    args = parser.parse_args(argv)
    if args.dev:
        for key, n in sorted(dev_convention(args.shared).items()):
            print("\t".join(key), n, sep="\t")
        return 0
    changes, outcomes = harmonise(args.corpus, not args.check)
    if not args.check and changes:
        with (args.corpus / "agreement" / log_name).open("a", encoding="utf-8", newline="") as f:
            log = csv.writer(f, delimiter="\t", lineterminator="\n")
            if f.tell() == 0:
                log.writerow(header)
            log.writerows(change[1:] for change in changes)
    for key, n in sorted(outcomes.items()):
        print("\t".join(key), n, sep="\t")
    print(f"# {len(changes)} {noun}", file=sys.stderr)
    return 1 if args.check and changes else 0
