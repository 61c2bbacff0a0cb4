"""Score the alert rules on labelled article sequences (corpus/alerts/README.md).

Each sequence's articles go through what the worker does, without Kafka: the classify step
(domain/enrichment.py), the claims fold (domain/claims.py) and the rules with their state
(domain/alerting.py), in a fresh state per sequence and in event time (published_at). The
alerts that fire are compared with the labelled ones on (rule, party).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from streams.classify.extract.parties import party_of as canonical_party
from streams.contracts.messages import ClaimsBundle
from streams.contracts.records import published_event
from streams.contracts.topics import TopicNames
from streams.domain.alerting import apply
from streams.domain.claims import REPEAT, ClaimState, observe
from streams.domain.enrichment import Source, process
from streams.domain.rules import Rule, RuleError, load_rules
from streams.errors import UsageError
from streams.evaluation import CategoryScore

DEFAULT_SEQUENCES = Path("corpus/alerts/sequences.jsonl")
SPLIT_FILE = "split.json"
PARTS = ("development", "held_back")
_TOPICS = TopicNames("")
_MAX_BYTES = 1_000_000
_RETENTION_SECONDS = 7 * 86400.0


RuleScore = CategoryScore  # a rule's alerts are counted as a category's events are: tp, fp, fn


@dataclass
class AlertReport:
    part: str
    sequences: int = 0
    rules: dict[str, RuleScore] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def overall(self) -> RuleScore:
        total = RuleScore()
        for score in self.rules.values():
            total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
        return total

    def to_dict(self, *, errors: bool) -> dict[str, Any]:
        def scores(score: RuleScore) -> dict[str, Any]:
            return {
                "tp": score.tp, "fp": score.fp, "fn": score.fn,
                "precision": round(score.precision, 4), "recall": round(score.recall, 4),
            }  # fmt: skip

        out: dict[str, Any] = {
            "part": self.part,
            "sequences": self.sequences,
            "rules": {name: scores(score) for name, score in sorted(self.rules.items())},
            "overall": scores(self.overall),
        }
        if errors:
            out["errors"] = self.errors
        return out


def party_of(alert: dict[str, Any], event: dict[str, Any]) -> str:
    """Whom an alert is about: its `party` when the engine names one, else the firing event's actor."""
    return str(alert.get("party") or event.get("actor") or "unknown")


def party_key(name: str) -> str:
    """A party as compared: its canonical name where parties.json knows it ("DRC", "Congo" ->
    Democratic Republic of the Congo), case-insensitive."""
    name = name.strip()
    return (canonical_party(name) or name).lower()


def _seconds(published_at: str) -> float:
    return datetime.fromisoformat(published_at.replace("Z", "+00:00")).timestamp()


def run_sequence(articles: list[dict[str, Any]], rules: list[Rule]) -> list[tuple[dict[str, Any], str]]:
    """The alerts a worker raises on these articles, in order, each with its party: classify,
    fold each claim (repeats of one text dropped, corroboration counted), then every rule."""
    claims: dict[str, ClaimState] = {}
    state: dict[str, Any] = {}
    fired: list[tuple[dict[str, Any], str]] = []
    for article in articles:
        at = _seconds(article["published_at"])
        raw = {
            "id": article["id"],
            "title": article.get("title", ""),
            "body": article["body"],
            "published_at": article["published_at"],
            "source": article["outlet"],
        }
        outcome = process(
            orjson.dumps(raw), Source("articles.raw", timestamp=at), _TOPICS, _MAX_BYTES, claim_partitions=1
        )
        for output in outcome.outputs:
            if output.topic != _TOPICS.claims:
                continue
            bundle = ClaimsBundle.decode(output.value, output.key)
            for claimed in bundle.claims:
                claim_state, verdict = observe(
                    claims.get(claimed.claim),
                    article_id=claimed.event["article_id"],
                    text_hash=bundle.text_hash,
                    outlet=bundle.outlet,
                    seen_at=bundle.seen_at,
                    retention_seconds=_RETENTION_SECONDS,
                )
                claims[claimed.claim] = claim_state
                if verdict == REPEAT:
                    continue
                event = published_event(
                    claimed.event,
                    claimed.claim,
                    claim_state.first_seen,
                    claim_state.corroboration,
                    outlet=bundle.outlet,
                    outlets=len(claim_state.outlets),
                )
                for rule in rules:
                    alert = apply(rule, event, bundle.seen_at, state)
                    if alert is not None:
                        fired.append((alert, party_of(alert, event)))
    return fired


def score_sequence(report: AlertReport, sequence: dict[str, Any], rules: list[Rule]) -> None:
    """Add one sequence: a labelled (rule, party) found among the fired alerts is a hit; each
    distinct fired (rule, party) without a label is a false alert; a label not fired is a miss."""
    report.sequences += 1
    wanted = {(label["rule"], party_key(label["party"])): label["party"] for label in sequence["alerts"]}
    fired = run_sequence(sequence["articles"], rules)
    got: dict[tuple[str, str], dict[str, Any]] = {}
    for alert, party in fired:
        got.setdefault((alert["rule"], party_key(party)), alert)
    for rule, party in wanted.keys() | got.keys():
        score = report.rules.setdefault(rule, RuleScore())
        if (rule, party) in wanted and (rule, party) in got:
            score.tp += 1
        elif (rule, party) in got:
            score.fp += 1
            report.errors.append(
                f"FP {rule} ({party}) | {sequence['id']}: {got[(rule, party)]['summary'][:140]}"
            )
        else:
            score.fn += 1
            report.errors.append(f"FN {rule} ({wanted[(rule, party)]}) | {sequence['id']}")
    for rule in rules:
        report.rules.setdefault(rule.id, RuleScore())


def load_sequences(path: Path) -> Iterator[dict[str, Any]]:
    """The sequences of a labelled file, each checked for what scoring needs."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}; give a file of labelled sequences") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            sequence = json.loads(line)
            for article in sequence["articles"]:
                article["id"], article["body"], article["outlet"], _seconds(article["published_at"])
            for label in sequence["alerts"]:
                label["rule"], label["party"].strip()
            sequence["id"], sequence["theatre"]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(
                f"{path}:{number}: not a labelled sequence ({type(exc).__name__}: {exc}); "
                "see corpus/alerts/README.md for the format"
            ) from None
        yield sequence


def held_back_theatres(path: Path) -> set[str]:
    """The theatres of the held-back part, from split.json beside the sequences (none if absent)."""
    split = path.parent / SPLIT_FILE
    if not split.exists():
        return set()
    try:
        return set(json.loads(split.read_text(encoding="utf-8"))["held_back"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{split}: not a split file ({exc}); it needs a 'held_back' list") from None


def evaluate_alerts(path: Path, rules: list[Rule]) -> dict[str, AlertReport]:
    """A report per part: development, and held_back (the theatres of split.json)."""
    held_back = held_back_theatres(path)
    reports = {part: AlertReport(part) for part in PARTS}
    for sequence in load_sequences(path):
        part = "held_back" if sequence["theatre"] in held_back else "development"
        score_sequence(reports[part], sequence, rules)
    return reports


def format_report(report: AlertReport) -> str:
    lines = [
        f"{report.part}: {report.sequences} sequences",
        f"{'rule':<38}{'P':>7}{'R':>7}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for name, s in [*sorted(report.rules.items()), ("overall", report.overall)]:
        lines.append(f"{name:<38}{s.precision:>7.3f}{s.recall:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """`sitrep eval --alerts [FILE]`: both parts' scores; errors (with --errors) of development only."""
    path = Path(args.alerts)
    try:
        rules = load_rules(args.rules)
    except (OSError, RuleError) as exc:
        raise UsageError(
            f"{args.rules}: {exc}; give a rules file that `sitrep rules check` accepts"
        ) from None
    reports = evaluate_alerts(path, rules)
    if args.json:
        data = [r.to_dict(errors=args.errors and r.part == "development") for r in reports.values()]
        print(json.dumps(data, indent=2))
        return 0
    for report in reports.values():
        print(format_report(report))
        if args.errors and report.part == "development":  # the held-back part's errors are never shown
            print("\n".join(sorted(report.errors)))
        print()
    return 0
