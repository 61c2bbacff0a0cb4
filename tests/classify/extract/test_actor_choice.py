"""The actor chooser inside classify (extract/actor_choice.py): candidates, the earlier parties filed as
classify goes, the ranking, the shipped weights, and the switch that keeps the rules' actor."""

from __future__ import annotations

from typing import Any

from streams.classify import classify
from streams.classify.extract import actor_choice
from streams.classify.extract.actor_choice import (
    MODEL,
    ActorModel,
    Candidates,
    Earlier,
    event_sources,
    pair_features,
    sentence_sources,
)
from streams.classify.extract.systems import extract_systems

HIMARS = "The HIMARS have joined the Ukrainian army, Kyiv said."
ORDER = "Peru has finalised an order for twelve Rafale fighters, its defence minister said."


def _bare(found: actor_choice.Candidates) -> actor_choice.Sources:
    """The candidates' sources (the sentence's traits are apart, crossed with them in pair_features)."""
    return found.where


def test_a_named_systems_maker_and_the_sentences_party_are_candidates() -> None:
    found = event_sources(
        sentence_sources(HIMARS),
        "casualty",
        systems=extract_systems(HIMARS),
        rule="Ukraine",
        context_actor="Russia",
        seen=["Russia"],
        earlier={"Poland": {3}},
        home="Romania",
    )
    found = _bare(found)
    assert found["United States"] == ["maker"]
    assert {"in_sentence", "rule", "source"} <= set(found["Ukraine"])
    assert {"context_actor", "seen:0"} <= set(found["Russia"])
    assert found["Poland"] == ["prev_sentence:3"] and found["Romania"] == ["dateline"]
    assert found[None] == ["none"]
    assert "civilians" not in found  # an army named, and no one else


def test_civilians_are_a_casualtys_candidate_unless_only_soldiers_or_police_are_named() -> None:
    assert "civilians" in _candidates("Twelve villagers and two soldiers were killed in the raid.")
    assert "civilians" in _candidates("The blast left 53 dead.")
    assert "civilians" not in _candidates("Clashes killed 120 soldiers on Tuesday.")
    # only a casualty's candidates are read for whom it names
    assert "civilians" in _candidates("The army got six drones.", "supply")


def test_earlier_parties_are_told_by_how_many_event_sentences_back() -> None:
    earlier = Earlier()
    assert earlier.before(0) == {}
    earlier.add(0, "Iran sent drones to Yemen.")
    earlier.add(2, "Tehran denied it.")
    assert earlier.before(3) == {"Iran": {0, 2}, "Yemen": {2}}
    assert earlier.before(7) == {"Iran": {3}, "Yemen": {3}}  # three back or more are one


def test_pair_features_cross_each_source_with_the_category_and_the_rules_pick() -> None:
    names = pair_features("supply", ["maker", "rule"])
    assert {"maker", "supply|maker", "rule=True|maker", "rule", "supply|rule", "n_sources:2"} == set(names)


def test_the_best_scoring_candidate_is_chosen_the_first_on_a_tie() -> None:
    model = ActorModel({"maker": 2.0, "rule": 1.0}, 0.0)
    assert (
        model.choose("supply", Candidates({"Ukraine": ["rule"], "United States": ["maker"]}))
        == "United States"
    )
    assert model.choose("supply", Candidates({"A": ["none"], "B": ["none"]})) == "A"
    assert model.score("supply", ["maker", "rule"]) == 3.0


def test_a_chooser_that_names_the_seller_of_an_order_makes_the_buyer_the_counterpart() -> None:
    assert MODEL is not None, "run `sitrep train`"
    assert [(e.category, e.actor) for e in classify(ORDER, actor_model=None)] == [("supply", "Peru")]
    makers_first = ActorModel({"maker": 5.0, "rule": 1.0}, 0.0)  # a ranking that trusts a system's maker
    chosen = classify(ORDER, actor_model=makers_first)
    assert [(e.category, e.actor, e.counterpart) for e in chosen] == [("supply", "France", "Peru")]


def test_a_chooser_sets_the_actor_of_every_event_but_a_denial() -> None:
    class Never:
        def choose(self, category: str, cands: actor_choice.Candidates) -> str | None:
            return "Atlantis"

    text = f"{ORDER} Berlin denied that it had sent Taurus missiles to Kyiv."
    ruled = classify(text, actor_model=None)
    forced = classify(text, actor_model=Never())
    assert [e.actor for e in forced] == [e.actor if e.status == "denied" else "Atlantis" for e in ruled]
    assert any(e.status == "denied" for e in ruled), "a denial keeps the rules' actor"


def test_the_shipped_chooser_beat_the_rules_on_validation() -> None:
    import json
    from importlib.resources import files

    config = json.loads(
        files("streams.classify").joinpath("data", actor_choice.CONFIG_FILE).read_text(encoding="utf-8")
    )
    validation = config["validation"]
    assert validation["accuracy_by_c"][str(config["c"])] > validation["rules_alone"]
    assert MODEL is not None and len(MODEL.weights) == len(config["features"])


def _found(sentence: str, category: str = "casualty") -> actor_choice.Candidates:
    return event_sources(
        sentence_sources(sentence),
        category,
        systems=(),
        rule=None,
        context_actor=None,
        seen=(),
        earlier={},
        home=None,
    )


def _candidates(sentence: str, category: str = "casualty") -> actor_choice.Sources:
    return _found(sentence, category).where


def test_the_kinds_of_attacker_the_labels_name_are_candidates() -> None:
    """roles.json's attacker nouns: the labels name "militants" or "pirates" when no party is known."""
    found = _bare(_found("Three more militants lay dead after a firefight with pirates near the coast."))
    assert found["militants"] == ["kind_noun"] and found["pirates"] == ["kind_noun"]


def test_a_states_forces_named_without_the_state_stand_for_it() -> None:
    """tools/gazetteers/sources/state-forces.csv: "RNZAF" reads as New Zealand, "Carabineros" as Chile."""
    assert (
        "in_sentence"
        in _candidates("An RNZAF Orion was sent to survey the damage.", "deployment")["New Zealand"]
    )
    assert "in_sentence" in _candidates("Two Carabineros were shot dead at a checkpoint.")["Chile"]


def test_a_casualtys_striker_is_never_made_its_victim() -> None:
    """An attacker made the victim would raise a toll alert about it: the rules' actor stands."""

    class Striker:
        def choose(self, category: str, cands: actor_choice.Candidates) -> str | None:
            return "al-Shabaab"

    clash = (
        "Clashes between the army and al-Shabaab militants killed 120 soldiers and 80 fighters on Tuesday."
    )
    [ruled] = classify(clash, actor_model=None)
    assert (ruled.actor, ruled.counterpart) == (None, "al-Shabaab")
    [chosen] = classify(clash, actor_model=Striker())
    assert (chosen.actor, chosen.counterpart) == (None, "al-Shabaab")
    [order] = classify(ORDER, actor_model=Striker())  # outside a casualty the pick stands
    assert order.actor == "al-Shabaab"


def test_a_candidates_sources_are_crossed_with_the_sentences_traits() -> None:
    """A sentence that names no party and speaks of soldiers points away from its own names."""
    soldiers = _found("Ten soldiers were killed when their patrol was ambushed.")
    assert soldiers.traits == ("named:0", "state_men")
    found = pair_features("casualty", soldiers.where[None], soldiers.traits)
    assert {"none&named:0", "casualty|none&state_men", "rule=True|none&named:0"} <= set(found)
    assert "none&people" not in found
    villagers = _found("They said Russian drones killed four villagers in Kherson.")
    crossed = set(pair_features("casualty", villagers.where["Russia"], villagers.traits))
    assert {"in_sentence&named:1", "in_sentence&people", "in_sentence&anaphor"} <= crossed
    assert {"in_sentence", "casualty|in_sentence"} <= crossed and not any(f.startswith("&") for f in crossed)
    assert not any("&" in w for where in villagers.where.values() for w in where)  # traits stand apart


def test_a_civil_wars_army_and_a_ships_crew_are_candidates() -> None:
    """Soldiers in Sudan's towns are the SAF's, as the labels read them; a crew are seafarers."""
    found = _bare(_found("Eleven soldiers died when the barracks in El Obeid were shelled."))
    assert found["SAF"] == ["state_army"] and "place_country" in found["Sudan"]
    crew = _bare(_found("Pirates seized the tanker and took six crew members hostage."))
    assert crew["seafarers"] == ["crew"]
    assert "seafarers" not in _candidates("Pirates seized the tanker off Somalia.")


def test_forces_carriers_and_ship_prefixes_stand_for_their_state() -> None:
    """state-forces.csv: units, fleets, commands and ships whose names say no country."""
    assert (
        "in_sentence"
        in _candidates("Paratroopers of the 82nd Airborne landed in Poland.", "deployment")["United States"]
    )
    assert "in_sentence" in _candidates("HMS Diamond sailed for the Red Sea.", "deployment")["United Kingdom"]
    assert "in_sentence" in _candidates("The Black Sea Fleet moved two frigates.", "deployment")["Russia"]


def test_a_sentences_part_is_computed_once_and_read_by_each_of_its_events() -> None:
    """Two events of one sentence share its part: the same candidates as computing it for each."""
    sentence = "Russian drones killed four villagers in Kherson, and Moscow sent more troops to the border."
    part = sentence_sources(sentence)
    for category in ("casualty", "deployment"):
        kw: dict[str, Any] = dict(
            systems=("shahed-136 drone",), rule="Russia", context_actor="Ukraine", seen=["Ukraine"],
            earlier={"Belarus": {1}}, home="Ukraine",
        )  # fmt: skip
        assert event_sources(part, category, **kw) == event_sources(
            sentence_sources(sentence), category, **kw
        )
    assert part.named["Russia"][0] == "in_sentence" and part.traits[0] == "named:1"
    first = event_sources(
        part, "casualty", systems=(), rule="Ukraine", context_actor=None, seen=(), earlier={}, home=None
    )
    assert "rule" in first.where["Ukraine"] and "rule" not in part.named.get("Ukraine", [])  # not shared
