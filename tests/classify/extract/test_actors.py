"""Actor and counterpart: who acts on whom, as short party names."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.classify.extract.actors import Context, find_parties
from streams.classify.model import Category
from tests.classify.field_accuracy import Score, measure


@pytest.mark.parametrize(
    ("text", "category", "actor", "counterpart"),
    [
        (
            "Turkey delivered Bayraktar drones to Azerbaijan, officials in Ankara said.",
            "supply",
            "Turkey",
            "Azerbaijan",
        ),
        ("Armenia has received Indian artillery systems.", "supply", "India", "Armenia"),
        ("Taiwan will receive 66 F-16 jets in 2026.", "supply", "United States", "Taiwan"),
        ("Khalifa Haftar's forces received Russian jets.", "supply", "Russia", "LNA"),
        ("The junta got Turkish drones and Chinese armoured vehicles.", "supply", "Turkey", None),
        ("Azerbaijan bought Turkish Akinci drones.", "supply", "Turkey", "Azerbaijan"),
        ("The RSF killed hundreds of people in Zamzam camp.", "casualty", "civilians", "RSF"),
        ("Three Israelis killed in Hamas attack", "casualty", "Israel", "Hamas"),  # a headline's passive
        ("A Russian glide bomb killed two people in Zaporizhzhia.", "casualty", "Ukraine", "Russia"),
        ("Ukrainian forces captured two North Korean soldiers.", "casualty", "North Korea", "Ukraine"),
        ("Ukraine claims to have killed 1,100 Russian soldiers.", "casualty", "Russia", "Ukraine"),
        ("Poland is set to receive Apache helicopters next year.", "supply", "United States", "Poland"),
        ("Caracas bought Su-30 jets from Moscow.", "supply", "Russia", "Venezuela"),
        ("Sudan denied receiving Iranian drones.", "supply", "Iran", "Sudan"),
        (
            "Britain will send Storm Shadow missiles to Ukraine, Ben Wallace told parliament.",
            "supply",
            "United Kingdom",
            "Ukraine",
        ),
        (
            "About 3,000 Ethiopian troops were sent to Somalia to assist government forces.",
            "deployment",
            "Ethiopia",
            "Somalia",
        ),
        ("Washington is sending two destroyers to the Red Sea.", "deployment", "United States", None),
        (  # the reporter's country is not a party: "with X estimating" attributes
            "Eritrea sent troops to help Ethiopian forces, with Kenya's intelligence agency estimating "
            "around 800 Eritrean casualties.",
            "casualty",
            "Eritrea",
            None,
        ),
        (
            "Rwandan soldiers were deployed in Mozambique's Cabo Delgado province.",
            "deployment",
            "Rwanda",
            "Mozambique",
        ),
        ("JNIM militants killed 30 Burkinabe soldiers near Djibo.", "casualty", "Burkina Faso", "JNIM"),
        ("Israeli strikes on Lebanon killed 12 people.", "casualty", "Lebanon", "Israel"),
        (
            "At least 12 Indian soldiers were killed in clashes with Chinese troops.",
            "casualty",
            "India",
            "China",
        ),
        ("An RSF drone attack on a market in El Fasher killed 20 civilians.", "casualty", "civilians", "RSF"),
        ("Tokyo expects Beijing to step up drills around Taiwan.", "forecast", "China", None),
        (
            "Kim Jong Un could order a nuclear test before the U.S. election, Seoul's spy agency said.",
            "forecast",
            "North Korea",
            None,
        ),
        # a party joined by "and" shares the role of the first: both receive
        ("The sale of guided bombs to Saudi Arabia and the UAE was cleared.", "supply", None, "Saudi Arabia"),
        # "and" joins two demonyms to one force noun; the first of them leads
        (
            "Moscow had massed about 50,000 Russian and North Korean soldiers in the Kursk region.",
            "deployment",
            "Russia",
            "North Korea",
        ),
        # a group's members with a verb of loss are the victims; members who act are not
        ("Seventeen PKK members were 'neutralised' in Turkish air strikes.", "casualty", "PKK", "Turkey"),
        ("Ukrainian troops took two North Korean soldiers prisoner.", "casualty", "North Korea", "Ukraine"),
        ("The CCMSR claimed to have killed ten soldiers in Wouri district.", "casualty", None, "CCMSR"),
        ("Three of the cargo ship's crew members were killed in the strike.", "casualty", "seafarers", None),
        ("Twenty inmates died in the riot.", "casualty", "civilians", None),
        # who tells of a move or a transfer is not who makes it
        (
            "Larger Russian reserves should reach Kursk within a week, an Estonian military commander said.",
            "deployment",
            "Russia",
            None,
        ),
        ("A Chinese intelligence-gathering warship came near the Senkaku zone.", "deployment", "China", None),
        ("Serbia ordered three FK-3 systems in all.", "supply", "China", "Serbia"),  # a buyer orders
        (
            "Biden ordered 1,700 soldiers to Poland.",
            "deployment",
            "United States",
            "Poland",
        ),  # a leader orders
        (
            "Two Israeli air-defence batteries are now due in Cyprus.",
            "supply",
            "Israel",
            "Cyprus",
        ),  # where it is
        # "the military" with no army named before: the army of the state the sentence is in
        (
            "Three Abu Sayyaf members died in a clash with the military in Mindanao.",
            "casualty",
            "Abu Sayyaf",
            "Philippines",
        ),
        ("Inmates died when an RSF drone hit the prison in El Obeid.", "casualty", "civilians", "RSF"),
        (
            "The Sudanese army said it had received Iranian drones.",
            "supply",
            "Iran",
            "SAF",
        ),  # the speaker bought
        # a forecast's condition names who would trigger it, not whose move is predicted
        (
            "If American forces join the campaign, Iran could start sowing mines in the strait.",
            "forecast",
            "Iran",
            None,
        ),
        (
            "Ten CH-3A drones handed over by China are flown by Myanmar's air force.",
            "supply",
            "China",
            "Myanmar",
        ),
        (
            "North Korea has also handed Moscow dozens of ballistic missiles.",
            "supply",
            "North Korea",
            "Russia",
        ),
        ("Hamas' October 7 attack killed more than 1,200 people in Israel.", "casualty", "Israel", "Hamas"),
        (
            "Two soldiers died when BLA fighters tried to storm the port authority complex.",
            "casualty",
            None,  # whose soldiers, the sentence does not say
            "BLA",
        ),
        ("Baku was close to a two-billion-dollar arms deal with Israel.", "supply", "Israel", "Azerbaijan"),
        (
            "Ukraine was sending a further 8,500 troops to its own frontier with Belarus.",
            "deployment",
            "Ukraine",
            None,
        ),
        (
            "Zelensky did not rule out a major Russian offensive at the end of May.",
            "forecast",
            "Russia",
            None,
        ),
        ("Ten soldiers fell when the base at Djibo came under assault.", "casualty", "Burkina Faso", None),
        (
            "Pakistan's military said 11 of its soldiers were killed in clashes with India.",
            "casualty",
            "Pakistan",
            "India",
        ),
        ("RSF fighters massacred more than 200 villagers in Wad al-Nura.", "casualty", "civilians", "RSF"),
        # two parties that strike together are both attackers, neither the victim
        (
            "Wagner fighters and the Malian army killed 500 people in Moura.",
            "casualty",
            "civilians",
            "Malian army",
        ),
        # an armed group's own claim kills the soldiers of the one state it fights
        (
            "The BLA said it had killed all 214 military personnel it took hostage.",
            "casualty",
            "Pakistan",
            "BLA",
        ),
        # a toll with no people named is of the place's people; a civil war's government counts civilians
        ("The death toll from the mosque bombing in Peshawar rose to 100.", "casualty", "Pakistan", None),
        ("At least 773 people died, Congo's government spokesman said.", "casualty", "civilians", None),
        ("At least 40 people were killed, Pakistan's interior minister said.", "casualty", "Pakistan", None),
        # "killed at least 20": an active verb with its count, not a reduced relative ("killed in Kabul")
        ("Eritrean soldiers killed at least 20 civilians there.", "casualty", "civilians", "Eritrea"),
        ("Russian servicemen killed in Kabul were buried on Friday.", "casualty", "Russia", None),
        (
            "Tshisekedi told parliament he had sent 22,000 troops into the area.",
            "deployment",
            "Democratic Republic of the Congo",
            None,
        ),
    ],
)
def test_parties(text: str, category: Category, actor: str, counterpart: str | None) -> None:
    assert find_parties(text, category, None) == (actor, counterpart)


def test_context_actor_fills_an_implicit_actor() -> None:
    assert find_parties("These drones could soon reach the front.", "forecast", "Iran") == ("Iran", None)
    assert find_parties("The brigade is to be fully formed by 2027.", "deployment", "Germany") == (
        "Germany",
        None,
    )


def test_named_system_reveals_its_maker() -> None:
    assert (
        find_parties("A spokesperson said the HIMARS deployment was extended.", "deployment", None)[0]
        == "United States"
    )


def test_newspaper_names_are_not_parties() -> None:
    assert find_parties("The Jerusalem Post described the call-up.", "deployment", None) == (None, None)


def test_adversarial_input_is_fast() -> None:
    for chunk in ("Russia ", "a", "North Korean troops ", "'s ", " "):
        start = time.perf_counter()
        find_parties(chunk * (1 << 20), "casualty", None)
        assert time.perf_counter() - start < 1.0


def test_dev_sets_accuracy(shared_data: Path) -> None:
    hits = total = 0
    for name in ("seed-article.jsonl", "dev-articles.jsonl", "dev-sentences.jsonl"):
        score = measure(name)["actor"]
        assert isinstance(score, Score)
        hits, total = hits + score.hits, total + score.total
    assert hits / total >= 0.93


def test_the_subject_of_a_transfer_verb_supplies() -> None:
    text = "Khartoum is seeking more drones beyond what Iran and others already deliver."
    assert find_parties(text, "supply", None)[0] == "Iran"


def test_civilians_hit_by_a_foreign_attacker_belong_to_the_attacked_state() -> None:
    text = "Four civilians were killed overnight as Russian drones struck Odesa and Mykolaiv."
    assert find_parties(text, "casualty", None) == ("Ukraine", "Russia")


def test_a_casualty_victim_is_not_the_acting_party_of_later_sentences() -> None:
    context = Context()
    context.update("deployment", "Israel")
    context.update("casualty", "civilians")
    assert context.actor_for("forecast") == "Israel"
    assert context.actor_for("casualty") == "civilians"


def test_an_enemys_town_is_no_host_but_a_partners_is() -> None:
    """S1a: a deployment's host is the country of the place it names, unless that is enemy ground."""
    assert find_parties("Russian troops were deployed in Kharkiv.", "deployment", None) == ("Russia", None)
    assert find_parties("Turkish troops were sent to Afrin.", "deployment", None) == ("Turkey", None)
    assert find_parties("German soldiers landed in Vilnius.", "deployment", None) == ("Germany", "Lithuania")
    assert find_parties("North Korean troops were sent to Kursk.", "deployment", None) == (
        "North Korea",
        "Russia",
    )
    # a country named outright keeps its role
    assert find_parties("Russian troops poured into Ukraine.", "deployment", None) == ("Russia", "Ukraine")


def test_a_forecast_without_a_target_faces_where_its_move_goes() -> None:
    """A forecast's counterpart is whom it faces, else the destination or recipient of the move."""
    assert find_parties(
        "Israel will move into Lebanon in the coming months, an official said.", "forecast", None
    ) == (
        "Israel",
        "Lebanon",
    )
    assert find_parties("Pyongyang may send more troops to Russia, analysts said.", "forecast", None) == (
        "North Korea",
        "Russia",
    )


def test_a_withdrawal_has_the_country_it_leaves_as_counterpart() -> None:
    """The host of forces that leave is the country of the place they leave, unless it is enemy ground."""
    assert find_parties(
        "Planes flew 60 Bundeswehr soldiers out of Niamey, an officer said.", "deployment", None
    ) == (
        "Germany",
        "Niger",
    )
    assert find_parties("The last four Russian aircraft have left Almaty.", "deployment", None) == (
        "Russia",
        "Kazakhstan",
    )
    assert find_parties("Russian troops left Kherson.", "deployment", None) == ("Russia", None)


def test_a_makers_forces_keep_the_towns_country_as_host() -> None:
    """No side named: the maker of what moves is the actor, the country of the town it goes to the host."""
    assert find_parties("A Gray Eagle drone has been sent to Mindanao.", "deployment", None) == (
        "United States",
        "Philippines",
    )


def test_a_deployments_uncued_party_of_another_clause_is_not_its_counterpart() -> None:
    """Only a cue (ally, destination, target, partner, the country left, "and") makes a counterpart."""
    text = "The mission will keep EU warships in an area where Houthi forces have attacked many vessels."
    assert find_parties(text, "deployment", None) == ("EU", None)
    text = "Moscow had massed about 50,000 Russian and North Korean soldiers in the Kursk region."
    assert find_parties(text, "deployment", None) == ("Russia", "North Korea")


def test_a_forecast_keeps_its_subject_before_the_speakers_further_remark() -> None:
    """ "..., a general said, adding that Moscow would ...": that that-clause is the speaker's addendum."""
    text = (
        "Washington could begin preparing a nuclear test at its Nevada site, a retired Russian general "
        "said, adding that Moscow would see it coming."
    )
    assert find_parties(text, "forecast", None)[0] == "United States"
    assert find_parties("Officials said that Russia could send troops.", "forecast", None)[0] == "Russia"
