"""Whether each rule of a rules file can fire, and does not fire on every event (docs/rules.md).

A rule that loads can still be useless: a condition no event meets (an unknown category, a
confidence above 1, a quantity on forecasts, which carry none) keeps it silent forever; a rule
with no condition that narrows the events, alerting at the first one, fires on everything.
"""

from __future__ import annotations

from streams.classify import CATEGORIES, STATUSES
from streams.domain.rules import Rule

# Categories whose events never carry a quantity (streams/classify/extract/quantities.py).
NO_QUANTITY = frozenset({"forecast"})


def problems(rule: Rule) -> list[str]:
    """What makes the rule useless, in words; empty when it can fire and does not always fire."""
    match, lists = rule.match, rule._lists
    found = [f"{key} is an empty list: no event can meet it" for key, values in lists.items() if not values]
    categories = lists.get("category", frozenset(CATEGORIES))
    if unknown := sorted(categories - set(CATEGORIES)):
        found.append(f"category {unknown} is not one of {list(CATEGORIES)}: no event has it")
    if unknown := sorted(lists.get("status", frozenset()) - set(STATUSES)):
        found.append(f"status {unknown} is not one of {list(STATUSES)}: no event has it")
    confidence = match.get("min_confidence")
    if confidence is not None and not _number(confidence):
        found.append(f"min_confidence {confidence!r} is not a number")
    elif confidence is not None and confidence > 1:
        found.append(f"min_confidence {confidence} is above 1: no event is that confident")
    if "quantity_at_least" in match:
        if not _number(match["quantity_at_least"]):
            found.append(f"quantity_at_least {match['quantity_at_least']!r} is not a number")
        elif categories and categories <= NO_QUANTITY:
            found.append(f"quantity_at_least on {sorted(categories)}: those events carry no quantity")
    if "corroboration_at_least" in match and not _number(match["corroboration_at_least"]):
        found.append(f"corroboration_at_least {match['corroboration_at_least']!r} is not a number")
    if rule.window_seconds is not None and rule.window_seconds <= 0:
        found.append("window.within is zero: no two claims fall inside it")
    if not found and not _narrows(rule):
        found.append("no condition narrows the events and the threshold is 1: it fires on every event")
    return found


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _narrows(rule: Rule) -> bool:
    """Whether some condition or threshold sets events apart (a list of every category or
    status, a confidence of 0, a quantity of 0 or a corroboration of 1 sets none apart)."""
    match, lists = rule.match, rule._lists
    if rule.window_at_least > 1 or rule.sources_at_least > 1 or match.get("new_counterpart"):
        return True
    if "category" in lists and lists["category"] < set(CATEGORIES):
        return True
    if "status" in lists and lists["status"] < set(STATUSES):
        return True
    if any(key in lists for key in ("actor", "counterpart", "systems_any")):
        return True
    if "evidence_any" in lists and "" not in lists["evidence_any"]:  # "" is in every text
        return True
    if (match.get("min_confidence") or 0) > 0 or (match.get("quantity_at_least") or 0) > 0:
        return True
    return (match.get("corroboration_at_least") or 0) > 1
