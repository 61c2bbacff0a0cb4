"""What subscribers ask of `sitrep tail`: filters over event messages, and a readable line format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def event_filter(
    *,
    categories: list[str] | None = None,
    actors: list[str] | None = None,
    min_confidence: float | None = None,
    new_claims_only: bool = False,
) -> Callable[[Any], bool]:
    """A predicate over decoded messages; a message without a field a filter needs does not pass."""
    wanted_categories = {c.lower() for c in categories or ()}
    wanted_actors = {a.lower() for a in actors or ()}

    def keep(value: Any) -> bool:
        if not isinstance(value, dict):
            return not (wanted_categories or wanted_actors or min_confidence is not None or new_claims_only)
        if wanted_categories and str(value.get("category", "")).lower() not in wanted_categories:
            return False
        if wanted_actors and str(value.get("actor") or "").lower() not in wanted_actors:
            return False
        if min_confidence is not None and float(value.get("confidence") or 0) < min_confidence:
            return False
        return not (new_claims_only and value.get("corroboration") != 1)

    return keep


def format_line(value: Any) -> str:
    """One readable line for an event, an alert, an enriched article or a dead letter."""
    if not isinstance(value, dict):
        return str(value)
    if "rule" in value and "severity" in value:
        return f"ALERT {value['severity']} {value['rule']}: {value['summary']}"
    if "events" in value and "body" in value:
        return f"article {value['id']}: {len(value['events'])} event(s), categories {value['categories']}"
    if "reason" in value and "payload" in value:
        return f"dead letter ({value['reason']}): {value['error']}"
    if "category" in value and "evidence" in value:
        return format_event(value)
    return str(value)


def format_event(event: dict[str, Any]) -> str:
    """Category/status, who -> whom, systems, quantity, corroboration, and the evidence."""
    parts = [f"[{event['category']}/{event['status']}]", str(event.get("actor") or "?")]
    if event.get("counterpart"):
        parts.append(f"-> {event['counterpart']}")
    if event.get("systems"):
        parts.append("systems: " + ", ".join(map(str, event["systems"])))
    quantity = event.get("quantity")
    if isinstance(quantity, dict):
        parts.append(f"quantity: {quantity.get('value')} {quantity.get('unit') or ''}".rstrip())
    if event.get("corroboration"):
        parts.append("new claim" if event["corroboration"] == 1 else f"x{event['corroboration']} sources")
    evidence = event.get("evidence")
    snippet = " ".join(str(evidence.get("text", "") if isinstance(evidence, dict) else "").split())
    parts.append(f'| "{snippet[:140]}{"..." if len(snippet) > 140 else ""}"')
    return " ".join(parts)
