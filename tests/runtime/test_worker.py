"""The worker's start-up: every topic it reads or writes exists before it subscribes."""

from __future__ import annotations

from pathlib import Path

from streams.config import Settings
from streams.runtime.app import create_app
from streams.runtime.worker import changelog_configs, leader_topic


def test_each_table_changelog_is_declared_with_faust_cleanup_policy(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path, topic_prefix="p."))
    configs = changelog_configs(sitrep.app)
    assert set(configs) == {f"{sitrep.settings.app_id}-{t}-changelog" for t in sitrep.app.tables}
    claims = configs[f"{sitrep.settings.app_id}-claims-changelog"]
    assert claims == {"cleanup.policy": "compact"}
    assert f"{sitrep.settings.app_id}-event-counts-changelog" not in configs  # stats: in memory


def test_every_topic_the_worker_creates_starts_with_the_prefix(tmp_path: Path) -> None:
    sitrep = create_app(Settings(data_dir=tmp_path, topic_prefix="blue."))
    created = [*sitrep.names.all(), *changelog_configs(sitrep.app), leader_topic(sitrep.app)]
    assert leader_topic(sitrep.app) == "blue.sitrep-__assignor-__leader"
    assert all(name.startswith("blue.") for name in created), created
    assert sitrep.app.conf.id == "blue.sitrep"  # the consumer group
    assert sitrep.app.conf.topic_allow_declare is False  # Faust creates none of its own
