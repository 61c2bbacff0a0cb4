"""Evaluating one rule on one event with the rule's state: windows, new counterparts, suppression.

Pure and deterministic in event time (`at`, seconds), so replays raise the same alerts.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from streams.contracts.timestamps import utc_iso
from streams.domain.rules import Rule, alert_id, group_of, matches


def apply(
    rule: Rule, record: Mapping[str, Any], at: float, state: MutableMapping[str, Any]
) -> dict[str, Any] | None:
    """Evaluate one rule with its state kept in `state` (the alert stage's table, or a dict where
    alerts are evaluated offline) and store what changed; returns the alert, if one fires."""
    counterparts_key = f"{rule.id}|{record.get('actor') or '-'}|counterparts"
    seen = state.get(counterparts_key) if rule.match.get("new_counterpart") else None
    group_key = f"{rule.id}|{group_of(rule, record)}"
    new_state, counterparts, alert = evaluate(rule, record, at, state.get(group_key), seen)
    if new_state is not None:
        state[group_key] = new_state
    if counterparts is not None:
        state[counterparts_key] = counterparts
    return alert


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
    last = (state or {}).get("last_fired")
    window = _window(rule, (state or {}).get("window", []), entry, at)
    distinct = {item[1] or item[2] for item in window}
    if len(distinct) < rule.window_at_least or (last is not None and at - last < rule.suppress_seconds):
        # Only a windowed rule has something to remember when it does not fire.
        unchanged = rule.window_seconds is None
        return (None if unchanged else {"window": window, "last_fired": last}), counterparts, None
    alert = build_alert(rule, group, event, window=window, at=at, count=len(distinct))
    return {"window": window if rule.window_seconds else [], "last_fired": at}, counterparts, alert


def _window(rule: Rule, window: list[list[Any]], entry: list[Any], at: float) -> list[list[Any]]:
    """The entries still inside the rule's window, newest last, at most what the rule needs to decide.

    Bounded so that the state of a busy actor pair stays small in the table's changelog.
    """
    if rule.window_seconds is None:
        return [entry]
    kept = [item for item in window if 0 <= at - item[0] <= rule.window_seconds]
    kept.append(entry)
    distinct: list[list[Any]] = []
    seen: set[str] = set()
    for item in reversed(kept):  # newest first: keep the latest entry of each claim
        claim = item[1] or item[2]
        if claim not in seen:
            seen.add(claim)
            distinct.append(item)
        if len(distinct) >= max(rule.window_at_least, 1):
            break
    return distinct[::-1]


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
        "window": {"start": utc_iso(min(item[0] for item in window)), "end": utc_iso(at)},
        "fired_at": utc_iso(at),
    }
