"""`sitrep rules check FILE`: refuse a rules file with a rule that cannot fire or always fires."""

from __future__ import annotations

from pathlib import Path

from streams.domain.rules import RuleError, load_rules
from streams.domain.rules_check import problems
from streams.errors import UsageError


def check(path: Path) -> int:
    """OK on stdout when every rule can fire and none fires on every event; else a UsageError
    (one line, exit 2) naming the first rule at fault and why (docs/rules.md)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file; give a rules file (the format is in docs/rules.md)")
    try:
        rules = load_rules(path)
    except RuleError as exc:
        raise UsageError(f"{path}: {exc}; see docs/rules.md") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc}); give a rules file") from None
    for rule in rules:
        found = problems(rule)
        if found:
            raise UsageError(
                f"{path}: rule {rule.id}: {'; '.join(found)}; fix it or remove it (docs/rules.md)"
            )
    print(f"OK: {len(rules)} rules in {path}")
    return 0
