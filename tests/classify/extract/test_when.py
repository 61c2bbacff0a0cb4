"""When: the time expression as written, resolved against the publication date."""

from __future__ import annotations

import datetime
import time

import pytest

from streams.classify.extract.when import extract_when

PUBLISHED = datetime.date(2025, 3, 5)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "written", "date"),
    [
        ("Troops crossed the river on March 3, officials said.", "March 3", "2025-03-03"),
        ("The convoy left on Monday.", "on Monday", "2025-03-03"),
        ("Strikes resumed Wednesday.", "Wednesday", "2025-03-05"),
        ("It was announced on Dec. 30 in Ankara.", "Dec. 30", "2024-12-30"),
        ("The deal was signed on Sept. 12, 2023.", "Sept. 12, 2023", "2023-09-12"),
        ("Fighting flared on 14 February 2025.", "14 February 2025", "2025-02-14"),
        ("Two soldiers died yesterday.", "yesterday", "2025-03-04"),
        ("The brigade arrived in November.", "in November", None),
        ("Kinshasa expects the offensive to start next month.", "next month", None),
        ("The war began in 2022.", "in 2022", None),
        ("The force goes back to the late 1980s, when it bought missiles.", "the late 1980s", None),
        ("Such raids were common in the 1990s.", "in the 1990s", None),
    ],
)
def test_when(text: str, written: str, date: str | None) -> None:
    assert extract_when(text, PUBLISHED) == extract_when(text, PUBLISHED)
    got = extract_when(text, PUBLISHED)
    assert got is not None and (got.text, got.date) == (written, date)


def test_modal_may_is_not_a_month() -> None:
    assert extract_when("Iran may have delivered the drones.", PUBLISHED) is None


def test_without_publication_date_only_explicit_years_resolve() -> None:
    got = extract_when("on Monday", None)
    assert got is not None and got.date is None
    got = extract_when("on Feb. 4, 2024", None)
    assert got is not None and got.date == "2024-02-04"


def test_adversarial_input_is_fast() -> None:
    for chunk in ("1", "May ", "on Monday ", " ", "2024 "):
        start = time.perf_counter()
        extract_when(chunk * (1 << 20), PUBLISHED)
        assert time.perf_counter() - start < 1.0
