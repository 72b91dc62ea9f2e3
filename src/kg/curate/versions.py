"""The versions ``kg diff`` compares: a git revision, a project folder, or a built dump such as dist/graph.nq.

A revision is read with ``git archive`` into a temporary folder (only its ontology/, seeds/ and data/), so
the working tree is never touched; git runs locally, with a time limit, and nothing reaches the network.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError, UsageError, one_line
from kg.project import Project, is_project_root
from kg.rdf.load import load_project, parse_file

PROJECT_FOLDERS = ("ontology", "seeds", "data")
GIT_SECONDS = 120


@dataclass(frozen=True)
class Version:
    label: str
    graph: Graph


def working_tree(project: Project) -> Version:
    return Version("working tree", load_project(project).graph)


def load_version(project: Project, spec: str) -> Version:
    """``spec`` read as a project folder, a dump file, or else a git revision of the project's repository."""
    path = Path(spec)
    if path.is_dir():
        if not is_project_root(path):
            raise UsageError(f"{spec} is a folder but not a kg project (it needs ontology/kg.ttl and data/)")
        return Version(spec, load_project(Project(path.resolve())).graph)
    if path.is_file():
        return Version(spec, parse_file(path))
    return Version(spec, revision_graph(project, spec))


def git(project: Project, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(project.root), *args], capture_output=True, timeout=GIT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        raise GitFailed(one_line(done.stderr.decode("utf-8", "replace")))
    return done.stdout


class GitFailed(Exception):
    pass


def in_repository(project: Project) -> str:
    try:
        git(project, "rev-parse", "--git-dir")
    except GitFailed:
        return f" ({project.root} is in no git repository: give OLD as a folder or a dump such as dist/graph.nq)"
    return f" of {project.root}"


def revision_graph(project: Project, revision: str) -> Graph:
    try:
        commit = git(project, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
        prefix = git(project, "rev-parse", "--show-prefix").decode().strip()
    except GitFailed:
        raise UsageError(
            f"{revision!r} is neither a folder, a file, nor a git revision{in_repository(project)}"
        ) from None
    tree = f"{commit.decode().strip()}:{prefix}"
    try:
        names = git(project, "ls-tree", "--name-only", tree).decode().split("\n")
        folders = [name for name in PROJECT_FOLDERS if name in names]
        archive = git(project, "archive", "--format=tar", tree, *folders)
    except GitFailed as exc:
        raise InputError(f"cannot read revision {revision}: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        root = Path(folder)
        if not is_project_root(root):
            raise UsageError(f"revision {revision} holds no kg project at {prefix or 'the top'} (no ontology/kg.ttl)")
        return load_project(Project(root)).graph
