"""The labelled items of corpus/ and ../shared/data, each with its split (corpus/splits.json).

Test theatres are loaded only to be scored: nothing here hands them to training.
An article's sentences not listed as events are negatives.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.errors import UsageError

SHARED_FILES = ("dev-sentences.jsonl", "dev-articles.jsonl", "seed-article.jsonl")


@dataclass(frozen=True)
class Item:
    id: str
    theatre: str
    split: str  # train, validation or test
    kind: str  # sentences or articles
    body: str
    published_at: str | None
    events: tuple[dict[str, Any], ...]  # each with the exact `sentence` of `body` it labels


def _read(path: Path, theatre_default: str, splits: dict[str, str], kind: str) -> list[Item]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            body = d["body"] if "body" in d else d["text"]
        except (ValueError, KeyError, TypeError):
            raise UsageError(f"{path}:{number}: not a labelled line; see corpus/README.md") from None
        theatre = d.get("theatre") or theatre_default
        events = tuple({**e, "sentence": e.get("sentence") or body} for e in d.get("events", []))
        split = splits.get(theatre, "train")
        items.append(
            Item(
                d.get("id", f"{path.stem}:{number}"),
                theatre,
                split,
                kind,
                body,
                d.get("published_at"),
                events,
            )
        )
    return items


def load(corpus: Path, shared: Path | None) -> list[Item]:
    """Every labelled item, corpus first then the shared dev sets, in a stable order."""
    splits_path = corpus / "splits.json"
    if not splits_path.is_file():
        raise UsageError(f"no {splits_path}; give the corpus directory (the one with splits.json)")
    raw = json.loads(splits_path.read_text(encoding="utf-8"))
    splits = {t: name for name in ("test", "validation") for t in raw.get(name, [])}
    items: list[Item] = []
    for kind in ("sentences", "articles"):
        for path in sorted((corpus / kind).glob("*.jsonl")):
            items += _read(path, path.stem, splits, kind)
    if shared is not None:
        for name in SHARED_FILES:
            path = shared / name
            if path.is_file():
                kind = "sentences" if "sentences" in name else "articles"
                items += [
                    Item(i.id, "dev-sets", "train", i.kind, i.body, i.published_at, i.events)
                    for i in _read(path, "dev-sets", {}, kind)
                ]
    return items


def default_shared(corpus: Path) -> Path:
    """../shared/data beside the repository that holds `corpus`."""
    return corpus.resolve().parent.parent / "shared" / "data"


def need_training_tools() -> None:
    """Training needs scikit-learn and scipy (the dev extra); without them, say so in one line."""
    import importlib.util

    missing = [name for name in ("sklearn", "scipy") if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"training needs {' and '.join(missing)} (the dev extra): pip install -e '.[dev]' or make venv"
        )


def theatre_folds(theatres: Sequence[str], k: int = 5) -> list[list[str]]:
    """The theatres dealt into k groups by their number of rows, largest first, each to the smallest group."""
    sizes: dict[str, int] = {}
    for t in theatres:
        sizes[t] = sizes.get(t, 0) + 1
    k = min(k, len(sizes))
    groups: list[list[str]] = [[] for _ in range(k)]
    load_: list[int] = [0] * k
    for theatre, size in sorted(sizes.items(), key=lambda t: (-t[1], t[0])):
        g = load_.index(min(load_))
        groups[g].append(theatre)
        load_[g] += size
    return groups
