"""Systems the gazetteer lacks or names another way (issue 13 error analysis, tools/corpus/system_errors.py):
a model named before its class phrase, ship classes, class corrections from reference data, synonyms of a
class, and small-arms rounds."""

from __future__ import annotations

import pytest

from streams.classify.extract.systems import _DATA, extract_systems, names_weapon


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a capitalised model name before its class phrase, the class in the labels' wording
        ("Lebanon bought sixteen Guarani armoured vehicles last year.", ("guarani armored vehicle",)),
        ("Four MD 530 helicopters went from the US government to El Salvador.", ("md 530 helicopter",)),
        ("Three Ansat light helicopters have been bought for the police.", ("ansat helicopter",)),
        (
            "The army has turned to Mexican-built Yagu, Black Mamba and Hurricane armoured vehicles.",
            ("yagu armored vehicle", "black mamba armored vehicle", "hurricane armored vehicle"),
        ),
        # the sentence's first word, a number word, a party and a maker are not part of the name
        ("Thirteen Hermes drones from Elbit were on the list.", ("hermes drone",)),
        ("Assembly of Turkish Anka drones is to start in 2024.", ("anka drone",)),
        ("Elbit drones were on the list.", ("drone",)),
        ("Two Turkish frigates kept escorting the survey ship.", ("frigate",)),
        ("On Sunday drones hit the port.", ("drone",)),
        ("Two Mi-171A2s came from JSC Russian Helicopters.", ("mi-171a2 helicopter",)),
        ("Three more CH-4 Rainbow drones have reached Congo.", ("ch-4 drone",)),
        ("Satellite pictures show work at the Parchin and Shahroud missile plants.", ()),
        ("Searchers have turned up hideouts and a large cave.", ()),
        # ship classes, with the diacritics of the name dropped
        ("Two Ming-class submarines bought from China were accepted.", ("ming-class submarine",)),
        ("The Navy took delivery of its third Scorpène-class submarine.", ("scorpene-class submarine",)),
        # carriers after a name that is no ship class are no aircraft carriers; after a ship class they are
        ("Three more Piraña carriers are being handed to the police.", ()),
        ("Two Queen Elizabeth class carriers sailed.", ("queen elizabeth-class aircraft carrier",)),
        ("Bolivia took in ten Tiger 4x4 armoured vehicles.", ("tiger armored vehicle",)),
        ("The deal for two Type 053H3 frigates was signed.", ("type 053h3 frigate",)),
    ],
)
def test_a_model_named_before_its_class(text: str, want: tuple[str, ...]) -> None:
    assert extract_systems(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Twenty-four Yak-130s worth $800 million were bought.", ("yak-130 jet trainer",)),
        ("Six blasts were caused by Iranian-made Shahed 136 drones.", ("shahed-136 drone",)),
        ("Brazil ordered 36 ATMOS guns.", ("atmos self-propelled howitzer",)),
        ("Iraq's Cheongung II batteries arrive next year.", ("cheongung-ii surface-to-air missile",)),
        ("Madrid approved forty-five Hurjet trainers from Turkish Aerospace.", ("hurjet jet trainer",)),
        ("KAI will turn out eighteen FA-50 light combat jets.", ("fa-50 light combat aircraft",)),
        ("The Harop is assembled in Azerbaijan under licence.", ("harop loitering munition",)),
        ("The first two Centauros are due in Brazil for trials.", ("centauro ii armored vehicle",)),
        ("Up to sixteen Typhoons could be on Dhaka's shopping list.", ("eurofighter typhoon fighter jet",)),
        ("Ten Predators and four Reapers were at the camp.", ("mq-1 predator drone", "mq-9 reaper drone")),
    ],
)
def test_class_corrections_and_plural_aliases(text: str, want: tuple[str, ...]) -> None:
    """weapon-systems.csv: trainers are jet trainers, the FA-50 a light combat aircraft, the plural of an
    ambiguous name ("Typhoons", not the storm) is the aircraft."""
    assert extract_systems(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Russia will probably send combat vessels into the Caribbean.", ("warship",)),
        ("A naval vessel docked at the port.", ("naval vessel",)),  # the dev sets' word
        ("Russian cargo ships and military aircraft carried the soldiers.", ()),  # civilian craft
        ("Armed drones circled the base.", ("drone",)),
        ("Two IAI radars were also on the list.", ("radar",)),
        ("Nine guns and 477 rounds were bound for San Pedro Sula.", ("ammunition",)),
        ("Nigeria bought two offshore patrol vessels.", ("offshore patrol vessel",)),
        ("Armour and a multiple rocket launch system have come.", ("multiple rocket launcher",)),
        ("Russia fired 3,000 rounds at the town overnight.", ("artillery shell",)),
        (
            "Caesar guns and thousands of shells would reach Ukraine.",
            ("caesar self-propelled howitzer", "artillery shell"),
        ),
        ("Police seized two explosive devices near the border.", ("explosive device",)),
        ("An extra Air Force fighter squadron is on its way.", ("fighter jet",)),
        (
            "Dozens of tanks, bulldozers and armoured carriers rolled in.",
            ("tank", "bulldozer", "armored personnel carrier"),
        ),
        ("The Army and the Assam Rifles have been spread along the fringes.", ()),  # a force, not its rifles
        ("Police seized 40 rifles from the Assam camp.", ("rifle",)),
        ("Seven Koksan guns were seen on a train.", ("koksan self-propelled howitzer",)),
        (
            "Two APCs, six lorries and 48 bullets were seized.",
            ("armored personnel carrier", "truck", "ammunition"),
        ),
        (
            "Sixteen multirole fighters and 120-mm mortar bombs were ordered.",
            ("fighter jet", "120-mm mortar shell"),
        ),
        ("They ferried drones and missile parts to Russia.", ("drone", "missile component")),
        ("The North could detonate another nuclear device.", ("nuclear weapon",)),
        # an air defence system's missiles are its missiles, as "HIMARS rockets" are its ammunition
        ("Riyadh asked for 730 Patriot missiles.", ("patriot missile",)),
        ("Three hundred Patriot interceptors may go to Riyadh.", ("patriot missile",)),
        ("The Patriot missile system arrived.", ("patriot air defense system",)),
        ("Patriot missile batteries arrived.", ("patriot air defense system",)),
    ],
)
def test_generic_synonyms(text: str, want: tuple[str, ...]) -> None:
    """systems.json phrases and heads: the labels' word for a class; rounds beside guns are cartridges, shells
    never; a regiment named after a weapon ("Assam Rifles") is none."""
    assert extract_systems(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Vostok 2022 drew in 140 aircraft and 60 ships.", ("aircraft", "ship")),
        ("Twenty-one aircraft and five ships were tracked.", ("aircraft", "ship")),
        ("Humvees, trucks and fuel tankers went to the brigades.", ("humvee", "truck")),
        ("The volunteers are handed weapons and radios.", ("weapon", "radio")),
        ("Helicopters, small arms and ammunition arrived.", ("helicopter", "small arms", "ammunition")),
        # alone, a list-only class names no system
        ("Delivery of the ships is due in 2027.", ()),
        ("Trucks carried the troops.", ()),
    ],
)
def test_list_only_classes_in_a_list_with_counts(text: str, want: tuple[str, ...]) -> None:
    """systems.json coordination_only: ships, trucks, radios, spare parts count in a list of systems,
    also when the next item has its own count ("and 60 ships")."""
    assert extract_systems(text) == want


def test_every_not_brand_word_blocks_a_name() -> None:
    """data/systems.json "not_brand": none of these words starts a model name before a class phrase."""
    assert len(_DATA["not_brand"]) > 100
    for word in _DATA["not_brand"]:
        if word.lower() in {*_DATA["modifiers"], *_DATA["civil_before"]} or extract_systems(
            f"Officials said {word}."
        ):
            continue  # a modifier ("Government vessels", "Cargo ships") or a system ("Kalashnikov")
        got = extract_systems(f"Officials said {word} tanks moved.")
        assert got == ("tank",), word


@pytest.mark.parametrize(
    ("text", "military"),
    [
        ("Two surveillance radars were handed over.", False),  # listed as a system, no evidence of arms
        ("Four fuel trucks were handed over.", False),
        ("Madrid approved forty-five Hurjet trainers.", True),  # a named type is evidence
        ("Lebanon bought sixteen Guarani armoured vehicles.", True),  # the class, not the new name, says so
        ("Sixteen Xyzzy radars were handed over.", False),  # a model name read off "radars" adds nothing
    ],
)
def test_what_makes_a_transfer_military_is_unchanged_by_new_names(text: str, military: bool) -> None:
    """names_weapon, the rules' evidence: models read off a class phrase and list-only classes add none."""
    assert names_weapon(text) is military
