from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from streams.classify.text.normalize import is_chrome, lower_same_length, normalize


def test_translation_is_ascii_for_typography() -> None:
    assert (
        normalize("a\u00a0b \u201cq\u201d \u2018s\u2019 1\u20132 \u2014 x\u2026") == "a b \"q\" 's' 1-2 - x."
    )


@given(st.text())
def test_length_is_preserved(text: str) -> None:
    assert len(normalize(text)) == len(text)
    assert len(lower_same_length(text)) == len(text)


def test_chrome_lines() -> None:
    for line in (
        "2 min read",
        "See all",
        "Category",
        "Latest news",
        "Authors",
        "Share",
        "Read also: Something else",
    ):
        assert is_chrome(line), line
    assert not is_chrome("Two soldiers were killed in the shelling.")
