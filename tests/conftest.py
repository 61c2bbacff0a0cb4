"""Fixtures shared by every test: where the labelled data and the schemas are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SCHEMAS = ROOT / "schemas"
# Modules that retrain the detector (10-20 s a test): `make test` runs them, `make test-unit` leaves them out.
SLOW_MODULES = ("tests/learn/test_train.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The labelled sets, read where they are (never copied into the repo)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the repo")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_text(shared_data: Path) -> str:
    return (shared_data / "seed-article.txt").read_text(encoding="utf-8")


def load_validators() -> dict[str, Draft202012Validator]:
    """One validator per schema file, resolving the relative $refs between them."""
    resources = {}
    for path in SCHEMAS.glob("*.schema.json"):
        contents = json.loads(path.read_text())
        resources[path.name] = Resource.from_contents(contents)
        resources[contents["$id"]] = resources[path.name]
    registry: Registry[Any] = Registry().with_resources(resources.items())
    return {
        path.name.removesuffix(".schema.json"): Draft202012Validator(
            json.loads(path.read_text()),
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for path in SCHEMAS.glob("*.schema.json")
    }


@pytest.fixture(scope="session")
def validators() -> dict[str, Draft202012Validator]:
    return load_validators()
