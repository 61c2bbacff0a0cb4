"""Systems: canonical names from named systems, model codes and generic class phrases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.classify.extract.systems import _DATA, extract_systems
from tests.classify.field_accuracy import F1, measure


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Turkey delivered Bayraktar TB2 drones to Azerbaijan.", ("bayraktar tb2 drone",)),
        ("The package adds 120-millimetre mortar rounds.", ("120-mm mortar shell",)),
        (
            "It includes 105 mm and 155mm artillery rounds.",
            ("105-mm artillery shell", "155-mm artillery shell"),
        ),
        ("Britain sent Storm Shadow cruise missiles.", ("storm shadow cruise missile",)),
        (
            "Poland delivered Krab howitzers and Piorun missiles.",
            ("krab self-propelled howitzer", "piorun manpads"),
        ),
        ("Sweden is sending 10 Archer howitzers.", ("archer self-propelled howitzer",)),
        ("Russian troops laid anti-personnel mines.", ("anti-personnel mine",)),
        ("Workers died in a coal mine collapse.", ()),  # a mine needs a modifier to be a weapon
        ("It will buy 48 J-10C fighters from China.", ("j-10 fighter jet",)),
        (
            "Kyiv asked for more HIMARS rockets and Patriot interceptors.",
            ("himars ammunition", "patriot missile"),
        ),
        ("Pyongyang test-fired Hwasong-18 ICBMs.", ("hwasong-18 intercontinental ballistic missile",)),
        (
            "Armoured personnel carriers and main battle tanks arrived.",
            ("armored personnel carrier", "main battle tank"),
        ),
        ("The Army ordered new MQ-9 Reaper drones.", ("mq-9 reaper drone",)),
        ("Seoul shipped K9 Thunder howitzers to Poland.", ("k9 self-propelled howitzer",)),
        ("The think tank said the deal was done.", ()),
        ("An ammunition depot exploded near the front.", ()),
        ("Weapons were seized at the port.", ()),
        ("Weapons and ammunition were seized at the port.", ("weapon", "ammunition")),
        (
            "The USS Abraham Lincoln carrier strike group sailed on.",
            ("uss abraham lincoln aircraft carrier",),
        ),
        (
            "They received ALTIUS-600M drones and RIM-116 and Stinger missiles.",
            ("altius-600m drone", "rim-116 missile", "stinger anti-aircraft missile"),
        ),
        ("Helicopters lifted extra army units into the valley.", ("helicopter",)),  # a class: counts bare
        ("Military aircraft carried the soldiers to the front.", ()),  # names no class: only in a list
        ("Boats, aircraft and drones backed the troops.", ("aircraft", "drone")),
        ("The navy sent more equipment and munitions.", ("munition",)),  # "equipment" never alone
        (
            "Iran sent one-way attack drones and coast guard ships.",
            ("one-way attack drone", "coast guard vessel"),
        ),
        ("Four jets and two destroyers arrived.", ("fighter jet", "destroyer")),
        ("Ankara bought 40 Eurofighter jets.", ("eurofighter typhoon fighter jet",)),  # the named one only
        ("Riyadh received M142 HIMARS launchers.", ("himars rocket launcher",)),  # code + name = one entry
        ("The destroyer USS McFaul escorted the tanker.", ("uss mcfaul destroyer",)),
        ("Britain sent HMS Montrose, a frigate, to the Gulf.", ("hms montrose frigate",)),
        ("It sailed with the destroyer Nanchang.", ("nanchang destroyer",)),
        ("The carrier Shandong left port.", ("shandong aircraft carrier",)),
        ("The Carl Vinson and its escorts sailed north.", ("uss carl vinson aircraft carrier",)),
        ("A car bomb and roadside bombs went off.", ("vehicle-borne ied", "roadside bomb")),
        ("It took delivery of two Su-30SME jets.", ("su-30sme fighter jet",)),  # a variant of the Su-30SM
        ("Russia lost T-72B3M tanks near Avdiivka.", ("t-72b3m tank",)),
        ("Route M-4 was closed.", ()),  # a code that extends no known designation
        ("Germany's 45th Tank Brigade began service in Lithuania.", ()),  # a unit named after a weapon
        ("Fighters scrambled after the drone incursion.", ()),
        ("The deal was described by the Washington Post.", ()),  # not the USS George Washington
        ("The Lincoln carrier strike group sailed.", ("uss abraham lincoln aircraft carrier",)),
        ("Pistols and grenade launchers arrived.", ("pistol", "grenade launcher")),
        ("A suicide bomber struck the gate.", ("suicide bomb",)),
        ("A one-way drone hit the base.", ("one-way attack drone",)),
        ("Chinese government ships entered the zone.", ("government vessel",)),
    ],
)
def test_canonical_names(text: str, want: tuple[str, ...]) -> None:
    assert extract_systems(text) == want


def test_adversarial_input_is_fast() -> None:
    for chunk in ("a", "1", " ", "155mm ", "drone ", "-"):
        start = time.perf_counter()
        extract_systems(chunk * (1 << 20))
        assert time.perf_counter() - start < 1.0


def test_dev_sets_f1(shared_data: Path) -> None:
    tp = fp = fn = 0
    for name in ("seed-article.jsonl", "dev-articles.jsonl", "dev-sentences.jsonl"):
        score = measure(name)["systems"]
        assert isinstance(score, F1)
        tp, fp, fn = tp + score.tp, fp + score.fp, fn + score.fn
    assert 2 * tp / (2 * tp + fp + fn) >= 0.88


def test_every_word_of_the_data_makes_a_class_phrase_no_weapon() -> None:
    """data/systems.json "not_a_weapon_after": a depot, a unit or an event named after a weapon, any case."""
    words = _DATA["not_a_weapon_after"]
    assert len(words) > 50
    assert extract_systems("Officials described the artillery in the south.") == ("artillery",)
    for word in [*words, *(w.upper() for w in words)]:
        assert extract_systems(f"Officials described the artillery {word} in the south.") == (), word
    assert extract_systems("Officials described the artillery forcefully.") == ("artillery",)
