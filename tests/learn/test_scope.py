"""The scope model's training: its units keep their theatres, and grouped CV scores the cues and the model."""

from __future__ import annotations

from streams.learn import scope
from streams.learn.data import Item
from streams.learn.folds import subset


def _item(number: int, theatre: str, text: str, cumulative: bool) -> Item:
    event = {"category": "casualty", "sentence": text, "scope": "cumulative" if cumulative else "incident"}
    return Item(f"s{number}", theatre, "train", "sentences", text, None, (event,))


def _items() -> list[Item]:
    out = []
    for n in range(40):
        theatre = f"t{n % 5}"
        if n % 2:
            out.append(_item(n, theatre, f"more than {n + 100} have died since the war began.", True))
        else:
            out.append(_item(n, theatre, f"a strike killed {n + 3} soldiers at a checkpoint.", False))
    return out


def test_units_carry_their_theatres_and_a_subset_keeps_rows_aligned() -> None:
    units = scope.units(_items())
    assert units.theatres[:3] == ["t0", "t1", "t2"]
    keep = [t == "t1" for t in units.theatres]
    part = subset(units, keep)
    assert part.theatres == ["t1"] * 8
    texts = [low[s:e] for low, (s, e) in zip(part.low, part.spans, strict=True)]
    assert [("since the war began" in t) for t in texts] == part.cumulative.tolist()
    assert part.cumulative.any() and not part.cumulative.all()


def test_grouped_cross_validation_scores_each_fold_of_theatres() -> None:
    folds = scope.cross_validate(_items(), c=4.0)
    assert len(folds) == 5
    for cues, model in folds:
        assert 0.0 <= cues <= 1.0 and 0.0 <= model <= 1.0
    # "since the war began" is a cue: the cues alone find the totals where a fold holds any
    assert max(cues for cues, _ in folds) == 1.0
