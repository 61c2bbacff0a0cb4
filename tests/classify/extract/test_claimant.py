"""The claimant of a toll: who says it did the killing, and what classify makes of it (issue 16)."""

from __future__ import annotations

import pytest

from streams.classify import classify
from streams.classify.extract.claimant import claimant


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("JNIM said its assault on the army camp killed 150 soldiers.", "JNIM"),
        ("The Taliban said they had killed 190 people.", "Taliban"),
        ("ISWAP said in a statement that its fighters killed 30 Nigerian soldiers.", "ISWAP"),
        ("Boko Haram claimed responsibility for the attack, which killed 40 soldiers.", "Boko Haram"),
        ("Hezbollah took credit for a roadside bomb that wounded two soldiers.", "Hezbollah"),
        ("The TTP said it was behind Friday's assaults, in which twenty policemen died.", "TTP"),
        ("Two soldiers were shot dead at a checkpoint, an attack the ELN later claimed.", "ELN"),
        ("Five police officers died in an ambush claimed by the TTP.", "TTP"),
        ("Islamic State claimed the bombing, which killed 60 worshippers.", "Islamic State"),
        ("Hamas said its fighters stormed the post, killing dozens of soldiers.", "Hamas"),
        ("Turkey said its jets had neutralised 16 PKK members in northern Iraq.", "Turkey"),
        ("Ukraine claims to have killed 300 Russian soldiers near Bakhmut.", "Ukraine"),
    ],
)
def test_the_party_that_says_it_struck_is_the_claimant(sentence: str, party: str) -> None:
    assert claimant(sentence) == party


@pytest.mark.parametrize(
    "sentence",
    [
        "Pakistan said its soldiers were killed when militants attacked the post.",  # its own loss, passive
        "The army said its base had been attacked and 12 soldiers killed.",  # no object: the army's loss
        "Israel said Hamas fighters killed 12 soldiers near the border.",  # says another struck
        "Russia said its troops repelled an attack by fighters who killed 12 soldiers.",  # another clause
        "Twelve soldiers were killed in an ambush in Borno, the army said.",  # no claim at all
        "Hamas said its commander's killing would be avenged.",  # a killing suffered, as a noun
        "Hamas claimed the Israeli strike killed 30 civilians in Gaza City.",  # another party's deed
        "Hamas claimed the strike killed 30 civilians.",  # an allegation: a that-clause follows
    ],
)
def test_a_loss_or_another_partys_deed_names_no_claimant(sentence: str) -> None:
    assert claimant(sentence) is None


def _casualty(sentence: str) -> tuple[str | None, str | None]:
    (event,) = [e for e in classify(sentence) if e.category == "casualty"]
    return event.actor, event.counterpart


def test_the_claimant_is_the_attacker_never_the_victim() -> None:
    # no victim named: the toll is nobody's rather than the claimant's (no alert about the wrong side)
    assert _casualty("JNIM said its assault on the army camp killed 150 soldiers.") == (None, "JNIM")
    assert _casualty("Boko Haram claimed responsibility for the attack, which killed 40 soldiers.") == (
        None,
        "Boko Haram",
    )
    # the victim named: the claimant is the counterpart
    assert _casualty("Hezbollah said its fighters killed 12 Israeli soldiers in southern Lebanon.") == (
        "Israel",
        "Hezbollah",
    )
    assert _casualty("Ukraine said its forces had killed 300 Russian soldiers near Bakhmut.") == (
        "Russia",
        "Ukraine",
    )
