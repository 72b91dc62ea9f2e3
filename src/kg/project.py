"""Where a kg project keeps its ontology, data, sources, queries and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError

ONTOLOGY_FILE = "kg.ttl"
CONTEXT_FILE = "context.jsonld"


class _Below:
    """A path in the project, below its root: ``project.data_dir`` is ``project.root / "data"``."""

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    def __get__(self, project: Project, owner: type[Project] | None = None) -> Path:
        return project.root.joinpath(*self.parts)


@dataclass(frozen=True)
class Project:
    """The folders of one project, all below ``root``."""

    root: Path

    ontology_dir = _Below("ontology")
    data_dir = _Below("data")
    seeds_dir = _Below("seeds")
    queries_dir = _Below("queries")
    dist_dir = _Below("dist")
    context_file = _Below("ontology", CONTEXT_FILE)  # the JSON-LD context that JSON-LD exports use
    manifest = _Below("seeds", "manifest.ttl")

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
