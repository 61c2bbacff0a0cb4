"""Generic party nouns ("the paramilitaries", "the army") stand for the party of their kind named before."""

from __future__ import annotations

from streams.classify.extract.actors import Context, find_parties
from streams.classify.extract.generic import generic_mentions, kind_of, resolve


def test_a_generic_noun_takes_the_latest_party_of_its_kind() -> None:
    (rebels,) = generic_mentions("The rebels shelled the town.")
    assert rebels.kind == "generic-group"
    assert resolve(rebels, [], ["Rwanda", "M23", "ADF"]) == "M23"  # Rwanda is a state, not a group
    assert resolve(rebels, ["ADF"], ["M23"]) == "ADF"  # named earlier in the sentence wins


def test_the_army_of_a_civil_war_story_is_that_war_s_army_not_a_foreign_state() -> None:
    (army,) = generic_mentions("Reinforcements were sent by the army.")
    assert resolve(army, [], ["Turkey", "Sudan"]) == "SAF"  # Sudan's army is a side of its own
    assert resolve(army, [], ["Poland", "Germany"]) == "Poland"


def test_kinds_of_parties() -> None:
    assert [kind_of(p) for p in ("Mali", "SAF", "RSF", "MINUSCA", "NATO")] == [
        "state",
        "state",
        "group",
        "mission",
        "mission",
    ]


def test_generic_nouns_need_a_party_before_and_never_override_a_name() -> None:
    assert find_parties("The paramilitaries killed 20 people in the camp.", "casualty", None) == (
        "civilians",
        None,
    )
    assert find_parties(
        "The paramilitaries killed 20 people in the camp.", "casualty", None, ["RSF", "SAF"]
    ) == (
        "civilians",
        "RSF",
    )
    assert generic_mentions("Troops took the army-held town.") == []  # "army-held" is no party


def test_the_context_remembers_the_parties_of_earlier_events_latest_first() -> None:
    context = Context()
    context.update("casualty", "civilians", "RSF")
    context.update("deployment", "SAF", None)
    assert context.seen == ["SAF", "RSF"]  # "civilians" is no party to refer back to
