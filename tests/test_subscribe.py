from streams.subscribe import event_filter, format_line

EVENT = {
    "category": "supply",
    "status": "reported",
    "actor": "Iran",
    "counterpart": "Russia",
    "systems": ["shahed-136 drone"],
    "quantity": {"value": 200, "unit": "drones"},
    "confidence": 0.8,
    "corroboration": 1,
    "evidence": {"text": "Iran  sent 200 drones to Russia.", "start": 0, "end": 31},
}


def test_filters_combine() -> None:
    assert event_filter()(EVENT)
    assert event_filter(categories=["Supply", "casualty"], actors=["iran"])(EVENT)
    assert not event_filter(categories=["casualty"])(EVENT)
    assert not event_filter(actors=["Russia"])(EVENT)
    assert event_filter(min_confidence=0.8)(EVENT) and not event_filter(min_confidence=0.9)(EVENT)
    assert event_filter(new_claims_only=True)(EVENT)
    assert not event_filter(new_claims_only=True)(dict(EVENT, corroboration=3))
    assert not event_filter(categories=["supply"])(None)  # not JSON: a filter cannot pass it
    assert event_filter()(None)


def test_line_format_for_each_kind_of_message() -> None:
    line = format_line(EVENT)
    assert line.startswith("[supply/reported] Iran -> Russia systems: shahed-136 drone quantity: 200 drones")
    assert "new claim" in line and '"Iran sent 200 drones to Russia."' in line
    alert = {"rule": "r", "severity": "critical", "summary": "s"}
    assert format_line(alert) == "ALERT critical r: s"
    assert format_line({"id": "a", "body": "b", "events": [EVENT], "categories": ["supply"]}).startswith(
        "article a:"
    )
    assert (
        format_line({"reason": "invalid_json", "error": "bad", "payload": "{"})
        == "dead letter (invalid_json): bad"
    )
