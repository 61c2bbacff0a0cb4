"""Evaluating one rule on one event with the rule's state: windows of independent sources, new
counterparts, unknown parties, suppression per (rule, group) and updates of a rising toll.

Pure and deterministic in event time (`at`, seconds), so replays raise the same alerts. The state is
typed (domain/alert_state.py) and a plain dict only in the table.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from streams.contracts.timestamps import utc_iso
from streams.domain.alert_state import AlertState, WindowEntry, counterparts_from_table
from streams.domain.claims import quantity_bucket
from streams.domain.rules import (
    ROLE_FIELDS,
    Rule,
    alert_id,
    corroboration,
    group_of,
    matches,
    missing_party,
    placeholders,
)

# The words that put each party in its role, per category: (needed, said when known).
ROLE_WORDS = {
    "casualty": ("suffered by {victim}", ", inflicted by {attacker}"),
    "supply": ("supplied by {supplier} to {recipient}", ""),
    "deployment": ("by {actor}", ", involving {counterpart}"),
    "forecast": ("about {actor}", ""),
}


def apply(
    rule: Rule, record: Mapping[str, Any], at: float, state: MutableMapping[str, Any]
) -> dict[str, Any] | None:
    """Evaluate one rule with its state kept in `state` (the alert stage's table, or a dict where
    alerts are evaluated offline: plain dicts and lists, as the changelog stores them) and store what
    changed; returns the alert, if one fires."""
    if not matches(rule, record, at):  # most rules on most events: no state to read
        return None
    counterparts_key = f"{rule.id}|{record.get('actor') or '-'}|counterparts"
    seen = counterparts_from_table(state.get(counterparts_key)) if rule.match.get("new_counterpart") else None
    group = group_of(rule, record)
    previous = AlertState.from_table(state.get(f"{rule.id}|{group}"))
    if rule.group_by == "incident" and (incident := incident_of(group, record, previous)) != group:
        group, previous = incident, AlertState.from_table(state.get(f"{rule.id}|{incident}"))
    group_key = f"{rule.id}|{group}"
    new_state, counterparts, alert = evaluate(rule, record, at, previous, seen, group=group)
    if new_state is not None:
        state[group_key] = new_state.to_table()
    if counterparts is not None:
        state[counterparts_key] = counterparts
    return alert


def incident_of(group: str, event: Mapping[str, Any], kept: AlertState | None) -> str:
    """The incident an event belongs to: its victim's and day's (`group`), which a report that leaves
    the attacker out joins, unless that incident's attacker is known and another attacker is named:
    then the event is another incident of the same victim that day, grouped with that attacker."""
    attacker = event.get("counterpart")
    if not attacker or kept is None or kept.attacker in (None, attacker):
        return group
    return f"{group}|{attacker}"


class _Blank(dict[str, Any]):
    """Template values: a missing or empty field reads as 'unknown' rather than failing."""

    def __missing__(self, key: str) -> str:
        return "unknown"


def unknown_party(rule: Rule, event: Mapping[str, Any], at: float | None = None) -> str | None:
    """Why the rule stays silent on an event it matches, for the suppressed-alerts metric:
    `unknown_<role>` when its group or summary needs a party the event does not name. `at`: the
    alert's time, so that an event too old for the rule's `max_age` is no miss."""
    if not matches(rule, event, at):
        return None
    role = missing_party(rule, event)
    return None if role is None else f"unknown_{role}"


def evaluate(
    rule: Rule,
    event: Mapping[str, Any],
    at: float,
    state: AlertState | None,
    seen_counterparts: Sequence[str] | None = None,
    *,
    group: str | None = None,
) -> tuple[AlertState | None, list[str] | None, dict[str, Any] | None]:
    """Returns (new group state or None when untouched, new counterparts list or None, alert or None);
    `group` is the event's group when the caller has matched it (`apply`), else `group_of`'s."""
    if not matches(rule, event, at) or missing_party(rule, event) is not None:
        return None, None, None
    counterparts = None
    if rule.match.get("new_counterpart"):
        counterpart = event.get("counterpart")
        known = list(seen_counterparts or [])
        if not counterpart or counterpart in known:
            return None, None, None
        counterparts = [*known, counterpart]
    group = group or group_of(rule, event)
    previous = state or AlertState()
    entry = WindowEntry.of(event, at)
    last = previous.last_fired
    window = _window(rule, previous.window, entry, at)
    claims, articles, outlets = _distinct(window)
    quantity = (event.get("quantity") or {}).get("value")
    unchanged = rule.window_seconds is None  # only a windowed rule remembers what did not fire
    if last is not None and at - last < rule.suppress_seconds:
        if _rises(previous.quantity, quantity, event):
            alert = build_alert(
                rule, group, event, window=window, at=at, count=len(claims), previous=previous
            )
            return previous.risen(_kept(rule, window), quantity), counterparts, alert
        return (None if unchanged else previous.counted(window)), counterparts, None
    sources = min(len(articles), len(outlets))
    if len(claims) < rule.window_at_least or sources < rule.sources_at_least:
        return (None if unchanged else previous.counted(window)), counterparts, None
    alert = build_alert(rule, group, event, window=window, at=at, count=len(claims))
    attacker = event.get("counterpart") if rule.group_by == "incident" else None
    return (
        previous.fired(_kept(rule, window), at, alert["alert_id"], quantity, attacker or None),
        counterparts,
        alert,
    )


def _rises(alerted: Any, value: Any, event: Mapping[str, Any]) -> bool:
    """A toll revised upwards past its half-decade (400 -> 1,500), not the same figure told again."""
    if not isinstance(alerted, int | float) or not isinstance(value, int | float) or value <= alerted:
        return False
    unit = (event.get("quantity") or {}).get("unit")
    return quantity_bucket({"value": alerted, "unit": unit}) != quantity_bucket(
        {"value": value, "unit": unit}
    )


def _kept(rule: Rule, window: tuple[WindowEntry, ...]) -> tuple[WindowEntry, ...]:
    return window if rule.window_seconds else ()


def _distinct(window: Sequence[WindowEntry]) -> tuple[set[str], set[str], set[str]]:
    """The distinct claims, articles and outlets of a window."""
    claims = {item.claim_or_event for item in window}
    articles = {item.article for item in window}
    outlets = {item.outlet for item in window}
    return claims, articles, outlets


def _window(
    rule: Rule, window: tuple[WindowEntry, ...], entry: WindowEntry, at: float
) -> tuple[WindowEntry, ...]:
    """The entries still inside the rule's window, newest last, at most what the rule needs to decide.

    Newest first, an entry is kept only when it brings a claim, an article or an outlet still wanted,
    so the counts the rule compares are exact and the state of a busy actor pair stays small
    (at most `at_least` + 2 x `sources` entries) in the table's changelog.
    """
    if rule.window_seconds is None:
        return (entry,)
    kept = [item for item in window if 0 <= at - item.at <= rule.window_seconds]
    kept.append(entry)
    chosen: list[WindowEntry] = []
    claims: set[str] = set()
    articles: set[str] = set()
    outlets: set[str] = set()
    for item in reversed(kept):
        claim, article, outlet = item.claim_or_event, item.article, item.outlet
        wanted = (
            (claim not in claims and len(claims) < max(rule.window_at_least, 1))
            or (article not in articles and len(articles) < rule.sources_at_least)
            or (outlet not in outlets and len(outlets) < rule.sources_at_least)
        )
        if wanted:
            chosen.append(item)
            claims.add(claim)
            articles.add(article)
            outlets.add(outlet)
    return tuple(reversed(chosen))


def roles_of(event: Mapping[str, Any]) -> dict[str, str]:
    """The parties by role (victim, attacker, supplier, recipient, ...) and `roles`, the words that say
    them for the event's category: "suffered by Nigeria, inflicted by Boko Haram (its own claim)"."""
    values = {role: str(event[name]) for role, name in ROLE_FIELDS.items() if event.get(name)}
    needed, optional = ROLE_WORDS.get(str(event.get("category")), ("by {actor}", ""))
    text = needed.format_map(_Blank(values))
    if optional and all(values.get(name) for name in placeholders(optional)):
        text += optional.format_map(_Blank(values))
        if event.get("category") == "casualty" and _claimed_by(event.get("source"), values["attacker"]):
            text += (
                " (its own claim)"  # "the group says it killed 200 soldiers": the victim is the other side
            )
    return {**values, "roles": text}


def _claimed_by(source: object, attacker: str) -> bool:
    """Whether the sentence is attributed to the side that inflicted the losses."""
    said = str(source or "").lower()
    return bool(said) and (attacker.lower() in said or said in attacker.lower())


def build_alert(
    rule: Rule,
    group: str,
    event: Mapping[str, Any],
    *,
    window: Sequence[WindowEntry],
    at: float,
    count: int,
    previous: AlertState | None = None,
) -> dict[str, Any]:
    """The message published on `alerts`: which rule, how bad, what it says, and on what evidence;
    an update (a risen toll) names the first alert of its group in `update_of`."""
    quantity = event.get("quantity") or {}
    values = _Blank({key: event.get(key) for key in ("category", "status", "location") if event.get(key)})
    _, articles, outlets = _distinct(window)
    values.update(roles_of(event))
    values.update(
        systems=", ".join(event.get("systems") or ()) or "unspecified systems",
        quantity=quantity.get("value", "unknown"),
        quantity_text=quantity.get("text") or quantity.get("value") or "unknown",
        corroboration=corroboration(event) or 1,
        count=count,
        sources=min(len(articles), len(outlets)),
        evidence=" ".join(str((event.get("evidence") or {}).get("text", "")).split()),
    )
    update_of = None
    summary = rule.summary.format_map(values)
    if previous is not None:
        update_of = previous.first_alert
        values.update(previous_quantity=_figure(previous.quantity), first_alert=update_of or "unknown")
        template = rule.update_summary or "Update (was {previous_quantity}): " + rule.summary
        summary = template.format_map(values)
    return {
        "alert_id": alert_id(rule, group, at),
        "rule": rule.id,
        "severity": rule.severity,
        "summary": summary,
        "group": group,
        "category": event.get("category"),
        "events": sorted({item.event for item in window}),
        "claims": sorted({item.claim for item in window if item.claim}),
        "articles": sorted(articles),
        "outlets": sorted(o for o in outlets if not o.startswith("article:")),
        "update_of": update_of,
        "window": {"start": utc_iso(min(item.at for item in window)), "end": utc_iso(at)},
        "fired_at": utc_iso(at),
    }


def _figure(value: Any) -> str:
    """400.0 -> "400", 1500 -> "1,500"."""
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return "unknown"
