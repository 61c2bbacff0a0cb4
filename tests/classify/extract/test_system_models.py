"""Model names read from context (extract/system_models.py) and the one pass that gives both views."""

from __future__ import annotations

import pytest

from streams.classify.extract import systems
from streams.classify.extract.system_models import ClassPhrase, read_models
from streams.classify.text.memo import per_sentence


def test_a_capitalised_name_before_a_class_phrase_is_a_model() -> None:
    text = "Lebanon bought sixteen Guarani armoured vehicles."
    start = text.index("armoured")
    phrase = ClassPhrase(start, text.index("."), "armored vehicle", "armored vehicle", sized=False)
    assert read_models(text, [phrase], []) == (
        [(text.index("Guarani"), phrase.end, "guarani armored vehicle")],
        set(),
    )


def test_a_name_right_after_a_named_system_or_a_calibre_is_no_model() -> None:
    text = "Three CH-4 Rainbow drones and M109 155-mm howitzers arrived."
    drones = ClassPhrase(text.index("drones"), text.index(" and"), "drone", "drone", sized=False)
    guns = ClassPhrase(text.index("155"), text.index(" arrived"), "howitzer", "howitzer", sized=True)
    named = [(text.index("CH-4"), text.index("CH-4") + 4)]
    assert read_models(text, [drones, guns], named) == ([], set())


def test_only_a_ship_class_names_a_carrier() -> None:
    text = "Two Guardian carriers patrolled."
    phrase = ClassPhrase(
        text.index("carriers"), text.index(" patrolled"), "aircraft carrier", "aircraft carrier", False
    )
    assert read_models(text, [phrase], []) == ([], {phrase.start})


@pytest.mark.parametrize(
    ("text", "military"),
    [
        ("Sixteen Xyzzy radars were handed over.", False),  # the model read off "radars" is no evidence
        ("Lebanon bought sixteen Xyzzy armoured vehicles.", True),  # its class is
    ],
)
def test_the_finder_scans_a_sentence_once_for_both_views(
    text: str, military: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """system_mentions and names_weapon share one scan: the names and class phrases are read once."""
    calls: list[str] = []
    scan = systems._specific

    def counted(sentence: str) -> list[tuple[int, int, str, int]]:
        calls.append(sentence)
        return scan(sentence)

    monkeypatch.setattr(systems, "_specific", counted)
    monkeypatch.setattr(systems, "_views", per_sentence(systems._views.__wrapped__))
    assert any(kind == systems.MODEL for _, _, _, kind in systems.system_mentions(text))
    assert systems.names_weapon(text) is military
    assert calls == [text]
