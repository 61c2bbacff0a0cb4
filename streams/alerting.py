"""Evaluating one rule on one event with the rule's state: windows, new counterparts, suppression.

Pure and deterministic in event time (`at`, seconds), so replays raise the same alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streams.ruleset import Rule, alert_id, group_of, iso, matches


class _Blank(dict[str, Any]):
    """Template values: a missing or empty field reads as 'unknown' rather than failing."""

    def __missing__(self, key: str) -> str:
        return "unknown"


def evaluate(
    rule: Rule,
    event: Mapping[str, Any],
    at: float,
    state: Mapping[str, Any] | None,
    seen_counterparts: list[str] | None = None,
) -> tuple[dict[str, Any] | None, list[str] | None, dict[str, Any] | None]:
    """Returns (new group state or None when untouched, new counterparts list or None, alert or None)."""
    if not matches(rule, event):
        return None, None, None
    counterparts = None
    if rule.match.get("new_counterpart"):
        counterpart = event.get("counterpart")
        known = list(seen_counterparts or [])
        if not counterpart or counterpart in known:
            return None, None, None
        counterparts = [*known, counterpart]
    group = group_of(rule, event)
    entry = [at, event.get("claim_id"), event["event_id"], event["article_id"]]
    window = list((state or {}).get("window", []))
    if rule.window_seconds is not None:
        window = [item for item in window if at - item[0] <= rule.window_seconds and item[0] <= at]
    else:
        window = []
    window.append(entry)
    new_state: dict[str, Any] = {"window": window, "last_fired": (state or {}).get("last_fired")}
    distinct = {item[1] or item[2] for item in window}
    last = new_state["last_fired"]
    if len(distinct) < rule.window_at_least or (last is not None and at - last < rule.suppress_seconds):
        return new_state, counterparts, None
    new_state["last_fired"] = at
    return new_state, counterparts, build_alert(rule, group, event, window=window, at=at, count=len(distinct))


def build_alert(
    rule: Rule, group: str, event: Mapping[str, Any], *, window: list[list[Any]], at: float, count: int
) -> dict[str, Any]:
    """The message published on `alerts`: which rule, how bad, what it says, and on what evidence."""
    quantity = event.get("quantity") or {}
    values = _Blank(
        {
            key: event.get(key)
            for key in ("actor", "counterpart", "category", "status", "location")
            if event.get(key)
        }
    )
    values.update(
        systems=", ".join(event.get("systems") or ()) or "unspecified systems",
        quantity=quantity.get("value", "unknown"),
        quantity_text=quantity.get("text") or quantity.get("value") or "unknown",
        corroboration=event.get("corroboration") or 1,
        count=count,
        evidence=" ".join(str((event.get("evidence") or {}).get("text", "")).split()),
    )
    return {
        "alert_id": alert_id(rule, group, at),
        "rule": rule.id,
        "severity": rule.severity,
        "summary": rule.summary.format_map(values),
        "group": group,
        "category": event.get("category"),
        "events": sorted({item[2] for item in window}),
        "claims": sorted({item[1] for item in window if item[1]}),
        "articles": sorted({item[3] for item in window}),
        "window": {"start": iso(min(item[0] for item in window)), "end": iso(at)},
        "fired_at": iso(at),
    }
