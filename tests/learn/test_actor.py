"""The actor chooser's measurement (streams/learn/actor.py): candidates, their sources, the ranking."""

from __future__ import annotations

from streams.classify.extract.systems import extract_systems
from streams.classify.text.segment import split_sentences
from streams.learn.actor import Unit, accuracy, fit
from streams.learn.actor_features import ActorModel, Earlier, pair_features, sources

HIMARS = "The HIMARS have joined the Ukrainian army, Kyiv said."


def test_a_named_systems_maker_and_the_sentences_party_are_candidates() -> None:
    found = sources(
        HIMARS,
        systems=extract_systems(HIMARS),
        rule="Ukraine",
        context_actor="Russia",
        seen=["Russia"],
        earlier={},
        home=None,
    )
    assert found["United States"] == ["maker"]
    assert {"in_sentence", "rule", "source"} <= set(found["Ukraine"])
    assert {"context_actor", "seen:0"} <= set(found["Russia"])
    assert found[None] == ["none"] and found["civilians"] == ["civilians"]


def test_earlier_parties_are_told_by_how_many_sentences_back() -> None:
    text = "Iran sent drones to Yemen. Nothing else happened. Tehran denied it. The shipment arrived."
    spans = split_sentences(text)
    assert Earlier(text, spans).before(spans[3][0]) == {"Iran": {0, 2}, "Yemen": {2}}
    assert Earlier(text, spans).before(spans[0][0]) == {}


def test_pair_features_cross_each_source_with_the_category_and_the_rules_pick() -> None:
    names = pair_features("supply", ["maker", "rule"])
    assert {"maker", "supply|maker", "rule=True|maker", "rule", "supply|rule", "n_sources:2"} == set(names)


def test_the_best_scoring_candidate_is_chosen_the_first_on_a_tie() -> None:
    model = ActorModel({"maker": 2.0, "rule": 1.0}, 0.0)
    assert model.choose("supply", {"Ukraine": ["rule"], "United States": ["maker"]}) == "United States"
    assert model.choose("supply", {"A": ["none"], "B": ["none"]}) == "A"


def test_a_fitted_chooser_learns_that_the_maker_acts_where_the_rules_miss() -> None:
    def unit(i: int) -> Unit:
        cands: dict[str | None, list[str]] = {None: ["none"], f"R{i}": ["in_sentence", "rule"]}
        cands[f"M{i}"] = ["maker"]
        return Unit("t", "supply", f"R{i}", f"m{i}", cands)

    train, held = [unit(i) for i in range(20)], [unit(i) for i in range(20, 25)]
    assert accuracy(held, None) == 0.0
    assert accuracy(held, fit(train, 1.0)) == 1.0
