"""Shared fixtures: the labelled sets live in ../shared/data beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"labelled data not found at {DATA}")
    return DATA
