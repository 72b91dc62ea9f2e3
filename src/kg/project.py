"""Where a kg project keeps its ontology, data, sources, queries and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError

ONTOLOGY_FILE = "kg.ttl"
CONTEXT_FILE = "context.jsonld"


@dataclass(frozen=True)
class Project:
    """The folders of one project, all below ``root``."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def context_file(self) -> Path:
        """The JSON-LD context that JSON-LD exports use."""
        return self.ontology_dir / CONTEXT_FILE

    @property
    def manifest(self) -> Path:
        return self.seeds_dir / "manifest.ttl"

    def ontology_files(self) -> list[Path]:
        """The ontology proper, without the SHACL shapes, which are a separate graph."""
        return [p for p in sorted(self.ontology_dir.glob("*.ttl")) if p.name != "shapes.ttl"]

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.glob("**/*.ttl"))

    def graph_files(self) -> list[Path]:
        """Every file that makes up the project's graph, in a fixed order."""
        return [*self.ontology_files(), self.manifest, *self.data_files()]


def is_project_root(path: Path) -> bool:
    return (path / "ontology" / ONTOLOGY_FILE).is_file() and (path / "data").is_dir()


def find_project(start: Path | None = None) -> Project:
    """The project containing ``start`` (default: the working directory), searching upwards."""
    here = (start or Path.cwd()).resolve()
    found = locate_project(here)
    if found is not None:
        return found
    raise UsageError(
        f"no kg project found in {here} or above it (a project has ontology/{ONTOLOGY_FILE} and data/); "
        "run kg inside one or pass --project DIR"
    )


def locate_project(start: Path | None = None) -> Project | None:
    """The project containing ``start`` (default: the working directory), or None outside any project."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_project_root(candidate):
            return Project(candidate)
    return None


def open_project(root: Path) -> Project:
    """The project at ``root``, which must hold the expected folders."""
    root = root.resolve()
    if not is_project_root(root):
        raise UsageError(f"{root} is not a kg project: it needs ontology/{ONTOLOGY_FILE} and a data/ folder")
    return Project(root)
