"""Which systems an event lists: the category decides (sentences from other conflicts, not the dev sets)."""

from __future__ import annotations

from streams.classify import Category, classify
from streams.classify.extract.event_systems import event_systems
from streams.classify.extract.systems import system_mentions


def systems_by_category(body: str) -> dict[str, tuple[str, ...]]:
    return {e.category: e.systems for e in classify(body)}


def listed(text: str, category: Category, with_supply: bool = False) -> tuple[str, ...]:
    """What an event of `category` lists, whatever the detector makes of the sentence."""
    return event_systems(text, system_mentions(text), category, with_supply)


def test_deployment_sharing_a_sentence_with_a_supply_lists_none() -> None:
    text = "Iran is shipping Shahed-136 drones to Russia while sending instructors to Crimea."
    assert listed(text, "supply", with_supply=True) == ("shahed-136 drone",)
    assert listed(text, "deployment", with_supply=True) == ()


def test_a_deployment_keeps_its_weapons_when_no_transfer_is_worded() -> None:
    """The weapons go to the supply only where the sentence says a transfer ("shipping", "support")."""
    text = "Fighter jets and warships have been sent out, Chinese state media said."
    found = system_mentions(text)
    assert event_systems(text, found, "deployment", with_supply=True) == ("fighter jet", "warship")
    shipped = "Iran is shipping Shahed-136 drones to Russia while sending instructors to Crimea."
    assert event_systems(shipped, system_mentions(shipped), "deployment", with_supply=True) == ()


def test_a_casualty_lists_identified_weapons_only() -> None:
    got = systems_by_category("A drone strike on a market in Gao killed 14 people, officials said.")
    assert got["casualty"] == ()
    got = systems_by_category("Six civilians were killed when Russian drones hit an apartment block in Sumy.")
    assert got["casualty"] == ("drone",)
    got = systems_by_category("Two soldiers died when an anti-tank missile hit their vehicle near Avdiivka.")
    assert "anti-tank missile" in got["casualty"]


def test_a_forecast_keeps_a_named_weapon_but_not_a_bare_class() -> None:
    got = systems_by_category("Analysts expect Pyongyang to test a Hwasong-19 missile before the election.")
    assert got["forecast"] == ("hwasong-19 intercontinental ballistic missile",)
    got = systems_by_category(
        "Officials warned that drone attacks could escalate along the border with Chad."
    )
    assert got.get("forecast", ()) == ()


def test_the_missiles_refer_back_to_the_named_system() -> None:
    body = (
        "Britain has quietly delivered Storm Shadow cruise missiles to Ukraine, officials said.\n"
        "Defence officials said the missiles were shipped to Ukraine in May."
    )
    events = [e for e in classify(body) if e.evidence.text.startswith("Defence")]
    assert events and events[0].systems == ("storm shadow cruise missile",)


def test_the_aircraft_that_carries_a_transfer_is_not_transferred() -> None:
    flown = "Russia flew Pantsir-S1 systems into Caracas aboard Il-76 transports."
    assert listed(flown, "supply", with_supply=True) == ("pantsir air defense system",)
    received = "Nigeria received two C-130 transport aircraft from the United States."
    assert listed(received, "supply", with_supply=True) == ("c-130 transport aircraft",)
