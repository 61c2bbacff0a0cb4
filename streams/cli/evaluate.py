"""`sitrep eval`: score the classifier on labelled files, on the corpus per split (learn/measure.py), or the
alert rules on labelled article sequences (alert_evaluation.py). The scoring itself is evaluation.py's."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from streams import evaluation
from streams.errors import UsageError
from streams.learn import measure


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `sitrep eval` (shared with `python -m streams.cli.evaluate`)."""
    parser.add_argument("dataset", nargs="*", help="labelled JSON Lines file(s)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--errors", action="store_true", help="also list misses and field errors")
    parser.add_argument(
        "--corpus", type=Path, metavar="DIR", help="score a corpus (corpus/) per split; never the test errors"
    )
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation by theatre (of --corpus)")
    parser.add_argument("--rules-only", action="store_true", help="with --corpus: the rules alone")
    parser.add_argument(
        "--alerts", nargs="?", const="corpus/alerts/sequences.jsonl", metavar="FILE",
        help="score the alert rules on labelled article sequences (default: corpus/alerts/sequences.jsonl)",
    )  # fmt: skip
    parser.add_argument(
        "--rules", type=Path, metavar="FILE", help="with --alerts: a rules file (default: the packaged)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sitrep eval", description="Score the classifier on a labelled set."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Score each dataset and print the tables (or JSON); or the corpus per split (learn/measure.py)."""
    if args.alerts is not None:
        from streams import alert_evaluation

        return alert_evaluation.run(args)
    if args.corpus is not None or args.cv:
        return measure.run(args)
    if not args.dataset:
        raise UsageError("give a labelled JSON Lines file, or --corpus DIR to score the corpus per split")
    reports = [evaluation.evaluate(p) for p in args.dataset]
    if args.json:
        data = [r.to_dict() for r in reports]
        if not args.errors:
            for d in data:
                d.pop("errors")
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2))
        return 0
    for r in reports:
        print(evaluation.format_report(r))
        if args.errors:
            print("\n".join(sorted(r.errors)))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
