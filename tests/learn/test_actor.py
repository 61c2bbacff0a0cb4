"""The actor chooser's training (streams/learn/actor.py): units recorded from classify's own loop, a
fitted ranking, C chosen on validation, weights that load back as they were fitted."""

from __future__ import annotations

from pathlib import Path

from streams.classify.extract import actor_choice
from streams.classify.pipeline import classify
from streams.learn.actor import Recorder, Unit, accuracy, ceiling, fit, units, write
from streams.learn.data import Item
from streams.learn.folds import grouped_cv

HIMARS = "New HIMARS launchers were delivered to the Ukrainian army last week, Kyiv said."


def _unit(i: int, theatre: str = "t") -> Unit:
    cands: dict[str | None, list[str]] = {None: ["none"], f"R{i}": ["in_sentence", "rule"]}
    cands[f"M{i}"] = ["maker"]
    return Unit(theatre, "supply", f"R{i}", f"m{i}", actor_choice.Candidates(cands, ("named:1",)))


def test_a_fitted_chooser_learns_that_the_maker_acts_where_the_rules_miss() -> None:
    train, held = [_unit(i) for i in range(20)], [_unit(i) for i in range(20, 25)]
    assert accuracy(held, None) == 0.0
    assert accuracy(held, fit(train, 1.0)) == 1.0
    assert ceiling(held) == 1.0


def test_the_recorder_keeps_the_rules_actor_and_sees_what_classify_computes() -> None:
    recorder = Recorder()
    ruled = classify(HIMARS, actor_model=None)
    assert classify(HIMARS, actor_model=recorder) == ruled
    assert len(recorder.seen) == len([e for e in ruled if e.status != "denied"]) > 0
    category, cands = recorder.seen[0]
    assert category == ruled[0].category and "rule" in cands.where[ruled[0].actor]
    assert "maker" in cands.where["United States"] and cands.traits[0].startswith("named:")


def test_units_pair_each_found_event_with_its_label() -> None:
    label = (
        {"category": ruled.category, "sentence": HIMARS, "actor": "United States"}
        if (ruled := classify(HIMARS, actor_model=None)[0])
        else {}
    )
    item = Item("x", "t", "train", "sentences", HIMARS, None, (label,))
    [unit] = units([item], None)
    assert unit.gold == "united states" and unit.rule == ruled.actor and "United States" in unit.cands.where


def test_weights_written_load_back_as_fitted(tmp_path: Path) -> None:
    model = fit([_unit(i) for i in range(20)], 1.0)
    write(model, {"features": sorted(model.weights)}, tmp_path)
    loaded = actor_choice.read(tmp_path)
    assert loaded is not None
    assert loaded.weights == model.weights  # fitted in half precision, as stored
    assert loaded.bias == model.bias


def test_grouped_cv_holds_out_each_theatre_group_once() -> None:
    every = [_unit(i, theatre=f"t{i % 3}") for i in range(30)]
    fitted_on: list[set[str]] = []

    def fit_(rest: list[Unit]) -> object:
        fitted_on.append({u.theatre for u in rest})
        return fit(rest, 1.0)

    folds = grouped_cv(
        [u.theatre for u in every], lambda keep: [u for u, k in zip(every, keep, strict=True) if k], fit_,
        accuracy, k=3,
    )  # fmt: skip
    assert folds == [(0.0, 1.0)] * 3
    assert sorted(map(sorted, fitted_on)) == [["t0", "t1"], ["t0", "t2"], ["t1", "t2"]]
