"""Where the repository and the test fixtures are."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
# The frozen copy of the curated project that golden answers, facts and counts are about (its README says why).
CURATED = FIXTURES / "project"
