"""Score the classifier against a labelled set (../shared/spec/taxonomy.md, data/README.md).

Units are (labelled sentence, category). A predicted event counts for a unit when
the categories agree and its evidence overlaps the sentence by at least half of
the shorter span; several predictions on one unit count once; predictions that
match no unit of their category are false positives. Field accuracies are taken
over matched pairs; scope accuracy over the matched pairs whose label carries a `scope`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from streams.classify import CATEGORIES, Event, classify
from streams.errors import UsageError


@dataclass
class CategoryScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    dataset: str
    items: int = 0
    categories: dict[str, CategoryScore] = field(
        default_factory=lambda: {c: CategoryScore() for c in CATEGORIES}
    )
    matched: int = 0
    status_ok: int = 0
    actor_ok: int = 0
    counterpart_ok: int = 0
    quantity_ok: int = 0
    systems: CategoryScore = field(default_factory=CategoryScore)
    scope_labelled: int = 0  # matched pairs whose label has a scope
    scope_ok: int = 0
    cumulative: CategoryScore = field(default_factory=CategoryScore)  # the cumulative scope as a class
    errors: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.categories.values()) / len(self.categories)

    @property
    def scope_accuracy(self) -> float:
        return self.scope_ok / self.scope_labelled if self.scope_labelled else 1.0

    def rate(self, ok: int) -> float:
        return ok / self.matched if self.matched else 1.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "items": self.items,
            "macro_f1": round(self.macro_f1, 4),
        }
        out["categories"] = {
            c: {
                **asdict(s),
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
            }
            for c, s in self.categories.items()
        }
        out["matched"] = self.matched
        for name in ("status", "actor", "counterpart", "quantity"):
            out[f"{name}_accuracy"] = round(self.rate(getattr(self, f"{name}_ok")), 4)
        out["systems_f1"] = round(self.systems.f1, 4)
        out["scope_labelled"] = self.scope_labelled
        out["scope_accuracy"] = round(self.scope_accuracy, 4)
        out["cumulative_f1"] = round(self.cumulative.f1, 4)
        out["errors"] = self.errors
        return out


def _items(path: Path) -> Iterator[tuple[str, str, str | None, list[dict[str, Any]]]]:
    """(id, body, published_at, events) per line; a sentence line is its own body."""
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                body = d["body"] if "body" in d else d["text"]
            except (ValueError, KeyError, TypeError) as exc:
                what = f"no {exc} field" if isinstance(exc, KeyError) else f"not a JSON object ({exc})"
                raise UsageError(
                    f"{path}:{number}: {what}; a labelled line is the format of ../shared/data/README.md"
                ) from None
            yield d.get("id", "?"), body, d.get("published_at"), d.get("events", [])


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The scoring rule of ../shared/data/README.md: the spans share at least half of the shorter."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


Unit = tuple[int, int, str]  # a labelled sentence's span in the body and its category


def label_units(body: str, labels: list[dict[str, Any]]) -> tuple[dict[Unit, dict[str, Any]], list[str]]:
    """Each (span, category) of `body` the labels name, with its first label; and the label sentences
    not found in the body. A label without a sentence covers the whole body (a standalone sentence)."""
    units: dict[Unit, dict[str, Any]] = {}
    missing: list[str] = []
    for gold in labels:
        sentence = gold.get("sentence") or body
        start = body.find(sentence)
        if start < 0:
            missing.append(sentence)
            continue
        units.setdefault((start, start + len(sentence), gold["category"]), gold)
    return units, missing


def matches(preds: Sequence[Event], unit: Unit) -> list[int]:
    """The indices of the predictions of the unit's category whose evidence overlaps its span."""
    start, end, category = unit
    return [
        i
        for i, p in enumerate(preds)
        if p.category == category and overlaps((p.evidence.start, p.evidence.end), (start, end))
    ]


def _norm(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _quantity_ok(pred: Event, gold: dict[str, Any] | None) -> bool:
    if gold is None or pred.quantity is None:
        return gold is None and pred.quantity is None
    return float(gold["value"]) == float(pred.quantity.value) and _norm(gold.get("unit")) == _norm(
        pred.quantity.unit
    )


def _score_fields(report: Report, pred: Event, gold: dict[str, Any], where: str) -> None:
    report.matched += 1
    checks = {
        "status": pred.status == gold.get("status"),
        "actor": _norm(pred.actor) == _norm(gold.get("actor")),
        "counterpart": _norm(pred.counterpart) == _norm(gold.get("counterpart")),
        "quantity": _quantity_ok(pred, gold.get("quantity")),
    }
    for name, ok in checks.items():
        if ok:
            setattr(report, f"{name}_ok", getattr(report, f"{name}_ok") + 1)
        else:
            want = gold.get(name)
            got: Any = getattr(pred, name)
            got = got.to_dict() if hasattr(got, "to_dict") else got
            report.errors.append(f"{name} {gold['category']}: want {want!r} got {got!r} | {where}")
    want_sys, got_sys = {_norm(s) for s in gold.get("systems") or []}, {_norm(s) for s in pred.systems}
    report.systems.tp += len(want_sys & got_sys)
    report.systems.fp += len(got_sys - want_sys)
    report.systems.fn += len(want_sys - got_sys)
    if want_sys != got_sys:
        missed, extra = sorted(want_sys - got_sys), sorted(got_sys - want_sys)
        report.errors.append(f"systems {gold['category']}: missed {missed} extra {extra} | {where}")
    if gold.get("scope") is not None:
        _score_scope(report, pred, gold["scope"], where)


def _score_scope(report: Report, pred: Event, want: str, where: str) -> None:
    """Scope counts only where the label has one (../shared/data carries none: not labelled)."""
    report.scope_labelled += 1
    wanted, got = want == "cumulative", pred.scope == "cumulative"
    report.cumulative.tp += wanted and got
    report.cumulative.fp += got and not wanted
    report.cumulative.fn += wanted and not got
    if pred.scope == want:
        report.scope_ok += 1
    else:
        report.errors.append(f"scope {pred.category}: want {want!r} got {pred.scope!r} | {where}")


Classifier = Callable[[str, str | None], list[Event]]


def score_item(
    report: Report,
    item_id: str,
    body: str,
    published: str | None,
    labels: list[dict[str, Any]],
    *,
    classifier: Classifier = classify,
) -> list[tuple[Event, bool]]:
    """Add one article or sentence to the report; each prediction with whether it matched a label."""
    report.items += 1
    units, missing = label_units(body, labels)
    report.errors.extend(f"label sentence not in body: {item_id}: {sentence[:60]!r}" for sentence in missing)
    preds = classifier(body, published)
    used: set[int] = set()
    for (start, end, category), gold in units.items():
        hits = matches(preds, (start, end, category))
        where = f"{item_id}: {body[start:end][:110]}"
        if hits:
            report.categories[category].tp += 1
            used.update(hits)
            _score_fields(report, preds[hits[0]], gold, where)
        else:
            report.categories[category].fn += 1
            report.errors.append(f"FN {category} ({gold.get('status')}) | {where}")
    for i, p in enumerate(preds):
        if i not in used:
            report.categories[p.category].fp += 1
            report.errors.append(f"FP {p.category} ({p.status}) | {item_id}: {p.evidence.text[:110]}")
    return [(p, i in used) for i, p in enumerate(preds)]


def evaluate(path: str | Path) -> Report:
    """Classify every item of a labelled JSON Lines file and score it."""
    path = Path(path)
    report = Report(dataset=path.name)
    for item_id, body, published, labels in _items(path):
        score_item(report, item_id, body, published, labels)
    return report


def format_report(report: Report) -> str:
    """A readable table: per-category P/R/F1, the macro-F1 line, then field accuracies."""
    lines = [
        f"{report.dataset}: {report.items} items",
        f"{'category':<12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for c, s in report.categories.items():
        lines.append(f"{c:<12}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    lines.append(f"{'macro-F1':<12}{report.macro_f1:>21.3f}")
    lines.append(
        f"over {report.matched} matched: status {report.rate(report.status_ok):.3f}"
        f"  actor {report.rate(report.actor_ok):.3f}"
        f"  counterpart {report.rate(report.counterpart_ok):.3f}  systems F1 {report.systems.f1:.3f}"
        f"  quantity {report.rate(report.quantity_ok):.3f}"
    )
    if report.scope_labelled:
        lines.append(
            f"over {report.scope_labelled} with a scope label: scope {report.scope_accuracy:.3f}"
            f"  cumulative F1 {report.cumulative.f1:.3f}"
        )
    return "\n".join(lines)
