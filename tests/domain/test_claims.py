from streams.domain.claims import (
    CORROBORATING,
    NEW,
    REPEAT,
    ClaimState,
    body_hash,
    claim_id,
    observe,
    quantity_bucket,
)

EVENT = {
    "category": "supply",
    "actor": "Iran",
    "counterpart": "Russia",
    "systems": ["shahed-136 drone"],
    "quantity": {"value": 1000, "unit": "drones"},
    "when": None,
}


def test_same_claim_in_other_words_has_one_fingerprint() -> None:
    reworded = dict(
        EVENT, actor="IRAN", systems=["Shahed-136 drone"], quantity={"value": 1100, "unit": "drones"}
    )
    assert claim_id(dict(EVENT, location="Odesa"), "2025-01-05T10:00:00Z") == claim_id(
        dict(reworded, location="odesa"), "2025-01-05T18:30:00Z"
    )
    assert claim_id(EVENT, "2025-01-05T10:00:00Z") == claim_id(reworded, "2025-01-05T18:30:00Z")


def test_fingerprint_separates_what_differs() -> None:
    base = claim_id(EVENT, "2025-01-05T10:00:00Z")
    assert claim_id(dict(EVENT, counterpart="Sudan"), "2025-01-05T10:00:00Z") != base
    assert claim_id(dict(EVENT, quantity={"value": 5000, "unit": "drones"}), "2025-01-05T10:00:00Z") != base
    assert claim_id(EVENT, "2025-01-06T10:00:00Z") != base  # another day, no resolved date
    assert claim_id(dict(EVENT, location="Kharkiv"), "2025-01-05T10:00:00Z") != base
    assert claim_id(dict(EVENT, location="Kharkiv"), "2025-01-05T10:00:00Z") != claim_id(
        dict(EVENT, location="Odesa"), "2025-01-05T10:00:00Z"
    )  # one party, one day, two places: two claims
    dated = dict(EVENT, when={"text": "on Monday", "date": "2025-01-06"})
    assert claim_id(dated, "2025-01-05T10:00:00Z") == claim_id(dated, "2025-01-07T10:00:00Z")


def test_quantity_bucket_is_a_half_decade() -> None:
    assert quantity_bucket({"value": 1000, "unit": "x"}) == quantity_bucket({"value": 1100, "unit": "x"})
    assert quantity_bucket({"value": 1000, "unit": "x"}) != quantity_bucket({"value": 4000, "unit": "x"})
    assert quantity_bucket(None) == quantity_bucket({"value": 0, "unit": "x"}) == "-"


def test_body_hash_ignores_whitespace_only() -> None:
    assert body_hash("Troops  moved\n north.") == body_hash("Troops moved north.")
    assert body_hash("Troops moved north.") != body_hash("Troops moved south.")


def test_observe_counts_articles_once_and_texts_once() -> None:
    day = 86400.0
    state, verdict = observe(
        None, article_id="a1", text_hash="h1", outlet="Reuters", seen_at=0, retention_seconds=day
    )
    assert verdict == NEW and state.corroboration == 1
    state, verdict = observe(
        state, article_id="a1", text_hash="h2", outlet="Reuters", seen_at=5, retention_seconds=day
    )
    assert verdict == REPEAT  # a rewrite of a1 restating the claim
    state, verdict = observe(
        state, article_id="a2", text_hash="h1", outlet="AP", seen_at=6, retention_seconds=day
    )
    assert verdict == REPEAT  # the same text under another id
    state, verdict = observe(
        state, article_id="a3", text_hash="h3", outlet="AP", seen_at=7, retention_seconds=day
    )
    assert verdict == CORROBORATING
    assert state.corroboration == 2 and state.outlets == ("Reuters", "AP") and state.first_seen == 0
    state, verdict = observe(
        state, article_id="a4", text_hash="h4", outlet="BBC", seen_at=8 + day, retention_seconds=day
    )
    assert verdict == NEW and state.corroboration == 1 and state.first_seen == 8 + day  # expired, starts over


def test_an_older_article_replayed_later_keeps_the_claims_time_span() -> None:
    day = 86400.0
    state, _ = observe(
        None, article_id="a1", text_hash="h1", outlet="Reuters", seen_at=10 * day, retention_seconds=7 * day
    )
    state, verdict = observe(
        state, article_id="a0", text_hash="h0", outlet="AP", seen_at=2 * day, retention_seconds=7 * day
    )
    assert verdict == CORROBORATING and state.corroboration == 2
    # last_seen stays the newest, so the expiry sweep (newest last_seen minus retention) keeps the claim
    assert (state.first_seen, state.last_seen) == (2 * day, 10 * day)


def test_the_claim_state_crosses_the_table_as_a_plain_dict() -> None:
    state, _ = observe(None, article_id="a1", text_hash="h1", outlet="AP", seen_at=3, retention_seconds=60)
    value = state.to_table()
    assert value == {
        "first_seen": 3.0,
        "last_seen": 3.0,
        "articles": {"a1": "h1"},
        "outlets": ["AP"],
        "corroboration": 1,
    }  # the changelog's format is unchanged: a worker of the previous version restores it
    assert ClaimState.from_table(value) == state and ClaimState.from_table(None) is None
