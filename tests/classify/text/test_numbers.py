"""The number finder tries its full pattern only near a number's core, and finds what the full scan found."""

from __future__ import annotations

import random
import re
from pathlib import Path

from streams.classify.text import numbers
from streams.classify.text.normalize import normalize
from streams.classify.text.segment import split_sentences

_CORE = re.compile(r"[\d$\u20ac\u00a3]|(?<![\w$.,\-/])(?:" + numbers._WORD + r")(?![\w])")
_PIECES = [
    *numbers._DATA["approx"], *numbers._DATA["exact"], *numbers._WORDS, "between", "and", "to", "-", "$",
    "us$", "\u20ac", "\u00a3", "1,200", "3.5", "2024", "12", "7", "million", "bn", "k", "m", "troops",
    "F-16", "/", ".", ",", "(", "x", "\u00e9",
]  # fmt: skip
_GLUE = ["", " ", " ", "  ", "\t", "\u00a0", "-", ".", ",", "/", "$"]


def _reference(subject: str) -> list[tuple[int, int]]:
    """The full scan, from the first core less the qualifier allowance, as it ran before."""
    first = _CORE.search(subject)
    start = max(0, first.start() - numbers._QUALIFIER) if first else 0
    return [m.span() for m in numbers._NUMBER.finditer(subject, start)] if first else []


def test_matches_are_those_of_the_full_scan(shared_data: Path) -> None:
    texts: list[str] = []
    for path in sorted(shared_data.glob("*.jsonl")):
        body = normalize(path.read_text(encoding="utf-8"))
        texts += [body[s:e].lower() for s, e in split_sentences(body)]
    rng = random.Random(5)
    for _ in range(4000):
        texts.append("".join(rng.choice(_GLUE) + rng.choice(_PIECES) for _ in range(rng.randint(1, 12))))
    for subject in texts:
        assert [m.span() for m in numbers._matches(subject)] == _reference(subject), subject


def test_a_number_with_its_hedge_and_currency() -> None:
    found = numbers.find_numbers.__wrapped__("they pledged an additional estimated  us$ 2.5 billion to it")
    assert [(n.text, n.value, n.approx, n.currency) for n in found] == [
        ("an additional estimated  us$ 2.5 billion", 2.5e9, True, "usd")
    ]


def test_values_are_floats_as_typed() -> None:
    """A number word times a scale ("three thousand") is a float, as `Number.value: float` says: the
    data's JSON ints stayed ints in Python but became floats under mypyc (bench/README.md, "mypyc")."""
    found = numbers.find_numbers.__wrapped__("three thousand troops, between 10 and 12 hundred")
    assert [(n.value, n.high) for n in found] == [(3000, None), (1000, 1200)]
    assert all(type(v) is float for n in found for v in (n.value, n.low, n.high) if v is not None)


def test_a_bound_from_above_is_the_count_s_high() -> None:
    """ "fewer than 100" keeps the labels' value 100 (approx) and says it is at most 99: its `high`."""
    cases = {
        "fewer than 100 people": (100, None, 99),
        "under 5,000 troops": (5000, None, 4999),
        "up to 400 killed": (400, None, 400),
        "no more than 200 soldiers": (200, None, 200),
        "more than 100 people": (100, None, None),
        "no fewer than 500 troops": (500, None, None),
    }
    for text, bounds in cases.items():
        (found,) = numbers.find_numbers.__wrapped__(text)
        assert (found.value, found.low, found.high) == bounds, text
        assert found.approx, text


def test_a_range_shares_its_scale_only_with_a_bound_under_a_thousand() -> None:
    """ "5.3 to 5.7 billion dollars" is labelled 5.3 billion; "three thousand to 5,000" is not 5 million."""
    cases = {
        "worth 5.3 to 5.7 billion dollars": (5.3e9, 5.7e9),
        "between 110 and 150 million euros": (1.1e8, 1.5e8),
        "$4-7bn in arms": (4e9, 7e9),
        "three thousand to 5,000 troops": (3000, 5000),
        "between 3,000 and 5 million people": (3000, 5e6),
        "10-12 km away": (10, 12),
    }
    for text, bounds in cases.items():
        (found,) = numbers.find_numbers.__wrapped__(text)
        assert (found.value, found.low, found.high) == (bounds[0], *bounds), text


def test_compound_number_words_are_one_number() -> None:
    """ "Thirty-one soldiers" was no number at all (the hyphen ended "thirty", "-one" was no word), and
    "one hundred and twenty" was 100: news writes tolls in words, and 120 crosses an alert's threshold."""
    cases = {
        "Thirty-one soldiers were killed": ("Thirty-one", 31),
        "forty five people died": ("forty five", 45),
        "one hundred and twenty soldiers": ("one hundred and twenty", 120),
        "two hundred and fifty-six troops": ("two hundred and fifty-six", 256),
        "One Hundred and Twenty Six dead": ("One Hundred and Twenty Six", 126),
        "a hundred and fifty villagers": ("a hundred and fifty", 150),
        "three thousand and forty people": ("three thousand and forty", 3040),
    }
    for text, (words, value) in cases.items():
        (found,) = numbers.find_numbers.__wrapped__(text)
        assert (found.text, found.value) == (words, value), text


def test_and_joins_a_number_only_after_hundred_or_thousand() -> None:
    """ "100 and twenty wounded" is two counts; only a spelt-out hundred or thousand takes an "and" part."""
    found = numbers.find_numbers.__wrapped__("killed 100 and twenty wounded, 1 million and five more")
    assert [n.value for n in found] == [100, 20, 1e6, 5]


def test_a_range_in_words_keeps_each_bounds_and_part() -> None:
    """The second bound takes its own "and N" (the rest2 group): not 100 to 100 and a stray fifty."""
    (found,) = numbers.find_numbers.__wrapped__("one hundred to one hundred and fifty fighters")
    assert (found.value, found.low, found.high) == (100, 100, 150)
