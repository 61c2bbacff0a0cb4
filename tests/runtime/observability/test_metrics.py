"""The worker's metrics from start-up: every known labelled series at 0, process_* metrics, sitrep_ready."""

from __future__ import annotations

import ast
from itertools import product
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.classify import CATEGORIES, STATUSES, SUPPORTED_LANGUAGES
from streams.config import Settings
from streams.contracts.records import STAGE_REASONS, Reason
from streams.domain.language import detectable_languages, skip_reasons
from streams.domain.rules import load_rules
from streams.runtime.app import create_app
from streams.runtime.context import Sitrep
from streams.runtime.http import views as web
from streams.runtime.observability.metrics import dead_letter_reasons


@pytest.fixture(scope="module")
def sitrep(tmp_path_factory: pytest.TempPathFactory) -> Sitrep:
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("worker"), topic_prefix="p."))


def samples(sitrep: Sitrep) -> dict[str, dict[frozenset[tuple[str, str]], float]]:
    """name -> {labels: value}, parsed from the exposition as Prometheus would."""
    out: dict[str, dict[frozenset[tuple[str, str]], float]] = {}
    for family in text_string_to_metric_families(sitrep.metrics.exposition().decode()):
        for sample in family.samples:
            out.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
    return out


def label_values(series: dict[frozenset[tuple[str, str]], float], *names: str) -> set[tuple[str, ...]]:
    assert set(series.values()) == {0.0}, "every series starts at 0"
    return {tuple(dict(labels)[name] for name in names) for labels in series}


def test_dead_letter_reasons_are_every_reason_code() -> None:
    codes = {getattr(Reason, name) for name in dir(Reason) if name.isupper()}
    assert set(dead_letter_reasons()) == codes and "invalid_json" in codes


def test_every_known_label_value_is_exported_at_zero_from_start_up(sitrep: Sitrep) -> None:
    seen = samples(sitrep)
    reasons = label_values(seen["sitrep_articles_dead_lettered_total"], "reason")
    assert reasons == {(reason,) for reason in dead_letter_reasons()}
    events = label_values(seen["sitrep_events_published_total"], "category", "status")
    assert events == set(product(CATEGORIES, STATUSES))
    alerts = label_values(seen["sitrep_alerts_raised_total"], "rule", "severity")
    assert alerts == {(rule.id, rule.severity) for rule in load_rules()} and len(alerts) >= 4
    refused = label_values(seen["sitrep_http_ingest_rejected_total"], "reason")
    assert {(r,) for r in web.REFUSALS} | {(r,) for r in dead_letter_reasons()} == refused
    failures = label_values(seen["sitrep_publish_failures_total"], "topic", "exception")
    assert failures == {(topic, "KafkaTimeoutError") for topic in sitrep.names.all()}
    published = label_values(seen["sitrep_messages_published_total"], "topic")
    assert published == {(topic,) for topic in sitrep.names.all()}
    stages = label_values(seen["sitrep_stage_failures_total"], "stage", "reason")
    assert stages == {(stage, reason) for stage, reasons in STAGE_REASONS.items() for reason in reasons}
    assert {"classify", "claims", "alerts"} == {stage for stage, _ in stages}
    assert ("alerts", "rule_error") in stages
    skipped = label_values(seen["sitrep_articles_skipped_total"], "reason", "language")
    others = set(detectable_languages()) - SUPPORTED_LANGUAGES
    assert skipped == set(product(skip_reasons(), others)) and ("unsupported_language", "de") in skipped


def test_alert_series_follow_the_loaded_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - id: any-supply\n    severity: info\n    match: {category: supply}\n"
        "    summary: '{actor} supplies'\n"
    )
    own = create_app(Settings(data_dir=tmp_path, topic_prefix="q.", rules_path=rules))
    alerts = label_values(samples(own)["sitrep_alerts_raised_total"], "rule", "severity")
    assert alerts == {("any-supply", "info")}


def test_every_reason_web_counts_is_exported_at_zero(sitrep: Sitrep) -> None:
    """The literal reasons runtime/http/views.py counts or refuses with are among those exported at 0."""
    tree = ast.parse(Path(web.__file__).read_text())
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "labels":
                used |= {k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            if name == "Rejected" and node.args and isinstance(node.args[0], ast.Constant):
                used.add(node.args[0].value)
    assert {"unauthorized", "rate_limited", "empty_request"} <= used
    exported = label_values(samples(sitrep)["sitrep_http_ingest_rejected_total"], "reason")
    assert {(reason,) for reason in used} <= exported, used


def test_process_metrics_and_readiness_are_exported(sitrep: Sitrep) -> None:
    seen = samples(sitrep)
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds"):
        assert seen[name][frozenset()] > 0, name
    assert seen["sitrep_ready"] == {frozenset(): 0.0}, "not ready until the first check says so"
