"""Alert rules as data (streams/rules/*.yaml): loading, validating, and evaluating one event.

Pure: the agent passes the rule's state in and stores what comes out, so rules are
tested without Faust and the state round-trips through a table's JSON changelog.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SEVERITIES = ("info", "warning", "critical")
GROUPS = ("claim", "actor", "actor_pair", "incident")
MATCH_KEYS = {
    "category", "status", "actor", "counterpart", "systems_any", "evidence_any",
    "quantity_at_least", "corroboration_at_least", "min_confidence", "new_counterpart", "scope",
    "max_age",
}  # fmt: skip
# A rule without a scope condition matches incidents only: a running total, a standing presence or
# history ("40,000 have died since the war began") is background, not news. `any` opts in to both.
SCOPES = ("incident", "cumulative")
DEFAULT_SCOPE = frozenset({"incident"})
# The parties an event names, by role: for a casualty the actor suffers and the counterpart inflicts
# (shared/spec/taxonomy.md), for a supply the actor supplies and the counterpart receives.
ROLE_FIELDS = {
    "actor": "actor", "counterpart": "counterpart", "victim": "actor", "attacker": "counterpart",
    "supplier": "actor", "recipient": "counterpart",
}  # fmt: skip
# The roles `{roles}` cannot do without, per category (the others are said when known).
ROLES_NEEDED: dict[str, tuple[str, ...]] = {
    "casualty": ("victim",), "supply": ("supplier", "recipient"),
    "deployment": ("actor",), "forecast": ("actor",),
}  # fmt: skip
# What the actor and the counterpart are called where a category gives them a role.
CATEGORY_ROLES: dict[str, dict[str, str]] = {
    "casualty": {"actor": "victim", "counterpart": "attacker"},
    "supply": {"actor": "supplier", "counterpart": "recipient"},
}
GROUP_NEEDS: dict[str, tuple[str, ...]] = {
    "claim": (), "actor": ("actor",), "actor_pair": ("actor", "counterpart"), "incident": ("actor",),
}  # fmt: skip
# A surge or a corroboration is told by this many distinct articles and outlets unless the rule says.
DEFAULT_SOURCES = 2
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
# The year or decade an event's `when` names ("in 2019", "the late 1980s"), when it has no date.
_WHEN_YEAR = re.compile(r"\b((?:19|20)\d\d)(s?)\b")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RuleError(ValueError):
    """A rules file that cannot be used, with the rule and the field at fault."""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    match: Mapping[str, Any]
    group_by: str = "claim"
    suppress_seconds: float = 86400.0
    window_seconds: float | None = None
    window_at_least: int = 1
    sources_at_least: int = 1
    description: str = ""
    update_summary: str = ""
    max_age_seconds: float | None = None
    _lists: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)


def parse_duration(text: object, where: str) -> float:
    match = _DURATION.match(str(text).strip())
    if not match:
        raise RuleError(f"{where}: {text!r} is not a duration like 30m, 24h or 7d")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def load_rules(path: Path | None = None) -> list[Rule]:
    """The rules of a YAML file (default: the packaged streams/rules/default.yaml)."""
    if path is None:
        text = resources.files("streams").joinpath("rules/default.yaml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError("a rules file is a mapping with a 'rules' list")
    rules = [_rule(item, index) for index, item in enumerate(document["rules"])]
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise RuleError(f"rule ids must be unique: {ids}")
    return rules


def _rule(item: object, index: int) -> Rule:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise RuleError(f"rule {index}: needs an 'id'")
    where = f"rule {item['id']}"
    match = item.get("match") or {}
    if not isinstance(match, dict) or set(match) - MATCH_KEYS:
        raise RuleError(f"{where}: unknown match keys {sorted(set(match) - MATCH_KEYS)}")
    if item.get("severity") not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {SEVERITIES}")
    if item.get("group_by", "claim") not in GROUPS:
        raise RuleError(f"{where}: group_by must be one of {GROUPS}")
    window = item.get("window")
    if window is not None and (not isinstance(window, dict) or "within" not in window):
        raise RuleError(f"{where}: window needs 'within' (and 'at_least', 'sources')")
    sources = int(window.get("sources", DEFAULT_SOURCES)) if window else 1
    if sources < 1:
        raise RuleError(f"{where}: window sources must be 1 or more")
    summary = str(item.get("summary") or item["id"])
    update_summary = str(item.get("update_summary") or "")
    scope = _scope(match.get("scope", "incident"), where)
    lists = {
        key: frozenset(str(v).lower() for v in (value if isinstance(value, list) else [value]))
        for key, value in match.items()
        if key in ("category", "status", "actor", "counterpart", "systems_any", "evidence_any")
    }
    return Rule(
        id=item["id"],
        severity=item["severity"],
        summary=summary,
        match=match,
        group_by=item.get("group_by", "claim"),
        suppress_seconds=parse_duration(item.get("suppress_for", "24h"), where),
        window_seconds=parse_duration(window["within"], where) if window else None,
        window_at_least=int(window.get("at_least", 1)) if window else 1,
        sources_at_least=sources,
        description=str(item.get("description", "")),
        update_summary=update_summary,
        max_age_seconds=parse_duration(match["max_age"], where) if "max_age" in match else None,
        _lists={**lists, "scope": scope},
    )


def _scope(value: object, where: str) -> frozenset[str]:
    """The scopes a rule matches: `incident`, `cumulative`, a list of them, or `any` (both)."""
    names = {str(v).lower() for v in (value if isinstance(value, list) else [value])}
    if "any" in names:
        return frozenset(SCOPES)
    if not names or names - set(SCOPES):
        raise RuleError(f"{where}: scope must be incident, cumulative or any, not {value!r}")
    return frozenset(names)


def matches(rule: Rule, event: Mapping[str, Any], at: float | None = None) -> bool:
    """Whether one event meets every stateless condition of the rule; `at`, the alert's time in epoch
    seconds, for `max_age` (without it the age is not checked)."""
    lists, match = rule._lists, rule.match
    if rule.max_age_seconds is not None and at is not None:
        latest = latest_time(event)
        if latest is not None and latest < at - rule.max_age_seconds:
            return False
    # an event of an older classifier has no scope: it was alerted on as news, and still is
    if str(event.get("scope") or "incident") not in lists.get("scope", DEFAULT_SCOPE):
        return False
    for key in ("category", "status", "actor", "counterpart"):
        if key in lists and str(event.get(key) or "").lower() not in lists[key]:
            return False
    if "systems_any" in lists:
        systems = [s.lower() for s in event.get("systems") or ()]
        if not any(term in system for term in lists["systems_any"] for system in systems):
            return False
    if "evidence_any" in lists:
        text = str((event.get("evidence") or {}).get("text", "")).lower()
        if not any(term in text for term in lists["evidence_any"]):
            return False
    if "quantity_at_least" in match and not reaches(event.get("quantity") or {}, match["quantity_at_least"]):
        return False
    if "corroboration_at_least" in match and corroboration(event) < match["corroboration_at_least"]:
        return False
    return not ("min_confidence" in match and (event.get("confidence") or 0) < match["min_confidence"])


def latest_time(event: Mapping[str, Any]) -> float | None:
    """The latest moment (epoch seconds) the event's `when` can mean: the end of its date, else of the
    year or decade it names ("in 1988": 1988's last day; "the late 1980s": 1989's); None when it names
    none. History told as news ("bought DF-3 missiles in the late 1980s") is years older than its alert."""
    when = event.get("when") or {}
    if when.get("date"):
        day = datetime.date.fromisoformat(str(when["date"])[:10])
    elif found := _WHEN_YEAR.search(str(when.get("text") or "")):
        year = int(found.group(1)) + (9 if found.group(2) else 0)
        day = datetime.date(year, 12, 31)
    else:
        return None
    end = datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)
    return end.timestamp()


def reaches(quantity: Mapping[str, Any], threshold: float) -> bool:
    """The count is at least `threshold`, and so is its upper bound: "fewer than 100" (value 100, the
    labels' convention, high 99) does not reach 100; "up to 400" (high 400) reaches 400."""
    high = quantity.get("high")
    return bool((quantity.get("value") or 0) >= threshold and (high is None or high >= threshold))


def corroboration(event: Mapping[str, Any]) -> int:
    """Independent sources of a claim: distinct texts, and distinct outlets where the event says
    (a wire story and its copies on three portals of one group are one outlet)."""
    texts = int(event.get("corroboration") or 0)
    outlets = event.get("outlets")
    return texts if outlets is None else min(texts, int(outlets))


def group_of(rule: Rule, event: Mapping[str, Any]) -> str:
    """What one alert is about: the claim, the actor, the actor pair, or the incident (one toll's
    category, victim and day, whatever its figure and whether a report names the attacker, so a
    revised toll updates its first alert; `alerting.incident_of` splits off another attacker's)."""
    if rule.group_by == "claim":
        return str(event.get("claim_id") or event["event_id"])
    actor = event.get("actor") or "-"
    if rule.group_by == "actor":
        return actor
    if rule.group_by == "incident":
        when = event.get("when")
        day = when.get("date") if isinstance(when, dict) else None
        day = day or str(event.get("first_seen") or "-")[:10]
        return f"{event.get('category')}|{actor}|{day}"
    return f"{actor}->{event.get('counterpart') or '-'}"


def placeholders(template: str) -> list[str]:
    """The fields a summary template names ({actor}, {roles}, ...)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def missing_party(rule: Rule, event: Mapping[str, Any]) -> str | None:
    """The first role the rule's group or summary needs that the event leaves unnamed, else None:
    an alert about "unknown" is one a duty officer cannot act on."""
    named = CATEGORY_ROLES.get(str(event.get("category")), {})
    needed = [named.get(role, role) for role in GROUP_NEEDS[rule.group_by]]
    for template in (rule.summary, rule.update_summary):
        for name in placeholders(template):
            if name == "roles":
                needed.extend(ROLES_NEEDED.get(str(event.get("category")), ("actor",)))
            elif name in ROLE_FIELDS:
                needed.append(name)
    return next((role for role in needed if not event.get(ROLE_FIELDS[role])), None)


def party_roles(rule: Rule) -> list[str]:
    """Every role the rule may find missing, to export its suppressed-alert counters at 0."""
    categories = sorted(rule._lists.get("category") or ROLES_NEEDED)
    roles = [CATEGORY_ROLES.get(c, {}).get(r, r) for c in categories for r in GROUP_NEEDS[rule.group_by]]
    for template in (rule.summary, rule.update_summary):
        for name in placeholders(template):
            if name == "roles":
                roles.extend(r for c in categories for r in ROLES_NEEDED.get(c, ("actor",)))
            elif name in ROLE_FIELDS:
                roles.append(name)
    return list(dict.fromkeys(roles))


def alert_id(rule: Rule, group: str, fired_at: float) -> str:
    return "al-" + hashlib.sha256(f"{rule.id}|{group}|{fired_at}".encode()).hexdigest()[:20]
