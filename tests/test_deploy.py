"""The operator's files: Prometheus config and alert rules pass promtool, and every metric the
rules and the dashboard name is one the worker exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from streams.metrics import Metrics

ROOT = Path(__file__).resolve().parent.parent
PROMETHEUS = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "sitrep.json"
METRIC_NAME = re.compile(r"\bsitrep_[a-z_]+")

needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="apt-get install prometheus")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, timeout=60, check=False)


@needs_promtool
@pytest.mark.parametrize(
    "args",
    [
        ("check", "config", str(PROMETHEUS / "prometheus.yml")),
        ("check", "rules", str(PROMETHEUS / "alerts.yml")),
        ("test", "rules", str(PROMETHEUS / "alerts.test.yml")),
    ],
    ids=["config", "rules", "rule-tests"],
)
def test_promtool_accepts(args: tuple[str, ...]) -> None:
    result = promtool(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def exported_series() -> set[str]:
    """Every series name the worker can export, with the suffixes Prometheus adds."""
    names: set[str] = set()
    for family in Metrics().registry.collect():
        names.add(family.name)
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"], "info": ["_info"]}
        names.update(family.name + suffix for suffix in suffixes.get(family.type, []))
    return names


def test_rules_and_dashboard_name_only_exported_metrics() -> None:
    exported = exported_series()
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    expressions = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads(DASHBOARD.read_text())
    expressions += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in expressions for name in METRIC_NAME.findall(expr)}
    assert used, "the rules and the dashboard should use sitrep metrics"
    assert used <= exported, used - exported


def test_grafana_provisioning_points_at_the_dashboard_folder() -> None:
    provider = yaml.safe_load((ROOT / "deploy/grafana/provisioning/dashboards/sitrep.yml").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    folder = provider["providers"][0]["options"]["path"]
    assert any(m.startswith("./deploy/grafana/dashboards:" + folder) for m in mounts)


def alert_rule_tests() -> list[tuple[str, bool]]:
    """(alert name, whether it is expected to fire) for every evaluation in alerts.test.yml."""
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    return [
        (case["alertname"], bool(case["exp_alerts"])) for test in tests for case in test["alert_rule_test"]
    ]


def test_every_alert_rule_is_tested_firing_and_not_firing() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert "SitrepWorkersAbsent" in names
    cases = set(alert_rule_tests())
    assert {(name, True) for name in names} <= cases, "a rule without a firing case"
    assert {(name, False) for name in names} <= cases, "a rule without a not-firing case"


def test_absent_rule_watches_the_scrape_job() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    (job,) = [scrape["job_name"] for scrape in config["scrape_configs"]]
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    exprs = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert exprs["SitrepWorkersAbsent"] == f'absent(up{{job="{job}"}})'


def test_scrape_sends_the_token_from_the_file_compose_mounts() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    authorization = config["scrape_configs"][0]["authorization"]
    assert authorization["type"] == "Bearer"
    token_file = PROMETHEUS / authorization["credentials_file"]
    assert token_file.read_text() == "", "the shipped token file is empty: no token unless one is set"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = compose["services"]["prometheus"]["volumes"]
    assert f"./deploy/prometheus/{authorization['credentials_file']}:/etc/prometheus/" in "".join(mounts)
