"""docs/architecture.md stays true: it names every package and module of src/kg, and the layering it states
is the one import-linter enforces."""

from __future__ import annotations

import re
import tomllib

from support.paths import REPO

SOURCE = REPO / "src" / "kg"
DOC = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def package_rows() -> dict[str, set[str]]:
    rows = {}
    for line in DOC.splitlines():
        if match := re.match(r"\| `kg\.(\w+)` \|.*\| (.*) \|$", line):
            rows[match[1]] = set(re.findall(r"`(\w+)`", match[2]))
    return rows


def test_every_package_and_its_modules_are_in_the_table() -> None:
    rows = package_rows()
    packages = {p.name for p in SOURCE.iterdir() if (p / "__init__.py").is_file()}
    assert set(rows) >= packages
    for package in packages:
        modules = {m.stem for m in (SOURCE / package).glob("*.py") if m.stem != "__init__"}
        assert rows[package] == modules, package


def test_the_top_level_holds_at_most_six_modules() -> None:
    assert len(list(SOURCE.glob("*.py"))) <= 6


def test_every_package_says_its_job() -> None:
    for init in SOURCE.glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").lstrip().startswith('"""'), init


def test_the_layering_rule_in_the_document_is_the_enforced_one() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    stated = re.search(r"From top to bottom: (.*?)\. A package", re.sub(r"\s+", " ", DOC))
    assert stated is not None
    order = [step.replace("`", "").replace(" ", "") for step in stated[1].split("→")]
    assert [layer.replace(" ", "") for layer in layers] == order
