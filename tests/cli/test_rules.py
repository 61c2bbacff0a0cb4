"""`sitrep rules check FILE`: OK and exit 0, or one line on stderr and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streams.cli.main import main

PACKAGED = Path(__file__).parents[2] / "streams" / "rules" / "default.yaml"


def test_rules_check_says_ok_for_the_packaged_rules(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["rules", "check", str(PACKAGED)]) == 0
    assert capsys.readouterr().out.startswith("OK: 4 rules in ")


def test_rules_check_refuses_a_rule_that_cannot_fire_in_one_line_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "rules:\n  - id: good\n    severity: info\n    match: {category: casualty}\n"
        "  - id: never\n    severity: warning\n    match: {category: forecast, quantity_at_least: 5}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "rules", "check", str(rules)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"sitrep: {rules}: rule never: quantity_at_least on ['forecast']")


def test_rules_check_refuses_a_missing_file_and_an_unloadable_one(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["rules", "check", str(tmp_path / "absent.yaml")]) == 2
    assert "absent.yaml: no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x\n    severity: loud\n", encoding="utf-8")
    assert main(["rules", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "severity must be one of" in err
