from __future__ import annotations

from streams.classify.text.normalize import normalize
from streams.classify.text.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Lt. Gen. Jane Roe met U.S. and U.K. envoys on Dec. 3 at No. 10 with Mr. Smith. Talks ended."
    assert sentences(text) == [text[: text.index(" Talks")], "Talks ended."]


def test_initials_and_dotted_acronyms() -> None:
    assert len(sentences("John F. Kennedy spoke at the U.N. Security Council. He left.")) == 2


def test_newlines_end_headlines_and_offsets_index_the_text() -> None:
    text = "Troops to Stay in Region\n\n  First line here. Second one!  \nCaption without period"
    spans = split_sentences(text)
    got = [text[a:b] for a, b in spans]
    assert got == ["Troops to Stay in Region", "First line here.", "Second one!", "Caption without period"]
    assert all(text[a] != " " and text[b - 1] != " " for a, b in spans)


def test_quotes_and_credits() -> None:
    text = 'He said "we will stay." Then he left. A photo caption. (Photo: Reuters)'
    assert sentences(text) == [
        'He said "we will stay."',
        "Then he left.",
        "A photo caption. (Photo: Reuters)",
    ]


def test_punctuation_runs_are_linear() -> None:
    assert sentences("." * 200_000 + " A") == ["." * 200_000, "A"]


def test_normalised_text_splits_like_the_original() -> None:
    body = "Seoul\u00a0said\u00a0so.\u00a0\u201cTroops moved,\u201d he\u00a0said."
    assert [len(s) for s in sentences(normalize(body))] == [14, 24]
