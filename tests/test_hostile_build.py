"""Nothing lost: a build that fails or is killed leaves dist/ as it was, and no command changes a source.

No test-only hooks in kg: the build is killed from outside (SIGKILL at several moments of a real
process), and its last step is made to fail the way a full or locked disk would, by leaving in the way
the name the old dist/ is moved to.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kg.project import Project
from support.cli import KG_PROCESS, run_kg
from support.cpu import cpu_used
from support.fixtures import copy_of_curated

KILL_POINTS = (0.25, 0.5, 0.7, 0.85, 0.95)  # fractions of the CPU time a whole build takes


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones too) by relative path, with the SHA-256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kg(project: Project, *args: str) -> tuple[int, str, str]:
    result = run_kg(*args, project=project)
    return result.exit_code, result.stdout, result.stderr


def build_process(project: Project) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*KG_PROCESS, "--project", str(project.root), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def change_the_data(project: Project) -> None:
    """A new, valid fact, so that the next build's dist/ differs from the last one's in many files."""
    path = project.data_dir / "entities" / "places.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Beijing"@en', '"Beijing (北京)"@en', 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated project built once for the module: its dist/, which each test copies as its own."""
    project = copy_of_curated(tmp_path_factory.mktemp("built") / "project")
    code, _, err = kg(project, "build")
    assert code == 0, err
    return project.dist_dir


@pytest.fixture
def built(tmp_project: Project, first_build: Path) -> dict[str, str]:
    """The project as built once (the same sources give the same bytes): the digest of its dist/."""
    shutil.copytree(first_build, tmp_project.dist_dir)
    return tree_digest(tmp_project.dist_dir)


def test_a_build_that_fails_at_its_last_step_leaves_dist_as_it_was(
    tmp_project: Project, built: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    change_the_data(tmp_project)
    # Where the folders cannot be exchanged in one step (not Linux, or a filesystem without renameat2),
    # replace_directory moves the old dist/ to .dist.old-<pid> before the new one takes its place; a
    # folder with content under that name makes the move fail, as a disk error would.
    monkeypatch.setattr("kg.guard.files.exchange", lambda first, second: False)
    blocker = tmp_project.root / f".dist.old-{os.getpid()}"
    (blocker / "in-the-way").mkdir(parents=True)
    code, _, err = kg(tmp_project, "build")
    assert code == 3
    assert err.startswith(f"kg: error: {tmp_project.dist_dir}: cannot replace") and err.count("\n") == 1
    assert tree_digest(tmp_project.dist_dir) == built
    leftovers = sorted(p.name for p in tmp_project.root.iterdir() if p.name.startswith(".dist."))
    assert leftovers == [blocker.name]  # the half-built staging folder is gone


def test_a_killed_build_leaves_dist_as_it_was(tmp_project: Project, built: dict[str, str], tmp_path: Path) -> None:
    saved = tmp_path / "old-dist"
    shutil.copytree(tmp_project.dist_dir, saved)
    change_the_data(tmp_project)
    with cpu_used() as whole:
        assert build_process(tmp_project).wait(timeout=120) == 0
    after = tree_digest(tmp_project.dist_dir)
    assert after != built
    restore_dist(tmp_project, built, after, saved)

    killed_midway = 0
    for fraction in KILL_POINTS:
        process = build_process(tmp_project)
        # The moment is a share of the build's work, not of a wall-clock duration a busy machine stretches.
        while process.poll() is None and cpu_seconds_of(process.pid) < whole.children * fraction:
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=120)
        digest = tree_digest(tmp_project.dist_dir)
        if code == -signal.SIGKILL and digest == built:
            killed_midway += 1
        else:  # it finished (or was killed while deleting the old folder): the complete new dist/
            assert digest == after, f"killed at {fraction:.0%}: dist/ is neither the old nor the new build"
        restore_dist(tmp_project, built, after, saved)
    assert killed_midway >= 2, "no kill landed while the build was running"


def cpu_seconds_of(pid: int) -> float:
    """The CPU time process ``pid`` and its reaped children have used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(ticks) for ticks in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime, stime, cutime, cstime


def restore_dist(project: Project, built: dict[str, str], after: dict[str, str], saved: Path) -> None:
    """Put the old dist/ (kept in ``saved``) back when a run replaced it."""
    if tree_digest(project.dist_dir) == built:
        return
    assert tree_digest(project.dist_dir) == after
    shutil.rmtree(project.dist_dir)
    shutil.copytree(saved, project.dist_dir)
    assert tree_digest(project.dist_dir) == built


def source_digests(project: Project) -> dict[str, str]:
    return {
        f"{folder.name}/{name}": digest
        for folder in (project.data_dir, project.ontology_dir, project.seeds_dir, project.queries_dir)
        for name, digest in tree_digest(folder).items()
    }


def test_no_command_changes_the_sources(tmp_project: Project, tmp_path: Path) -> None:
    before = source_digests(tmp_project)
    runs = [
        ("build",),
        ("validate",),
        ("validate", "--format", "turtle", str(tmp_project.data_dir)),
        ("query", "ceo"),
        ("query", "--engine", "oxigraph", "ceo", "-o", str(tmp_path / "ceo.csv")),
        ("render", "-o", str(tmp_path / "view.html")),
        ("render", "--focus", "Xiaomi", "-o", "-"),
        ("export", "--out", str(tmp_path / "graph.nq")),
        ("export", "--format", "csv-nodes"),
    ]
    for args in runs:
        code, _, err = kg(tmp_project, *args)
        assert code == 0, f"{args}: {err}"
    assert source_digests(tmp_project) == before


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (("export", "--out"), "data/organizations.ttl"),
        (("export", "--out"), "ontology/kg.ttl"),
        (("query", "ceo", "-o"), "seeds/answer.csv"),
        (("render", "-o"), "queries/view.html"),
        (("export", "--out"), "data/new/graph.ttl"),
    ],
)
def test_outputs_are_refused_among_the_sources(tmp_project: Project, command: tuple[str, ...], target: str) -> None:
    before = source_digests(tmp_project)
    path = tmp_project.root / target
    code, out, err = kg(tmp_project, *command, str(path))
    assert (code, out) == (2, "")
    folder = target.split("/")[0]
    assert err == (
        f"kg: error: {path}: kg never writes into {folder}/, which holds the project's sources; "
        "choose a file elsewhere (dist/, say)\n"
    )
    assert source_digests(tmp_project) == before
    assert not path.parent.joinpath("new").exists()


def test_a_symbolic_link_into_the_sources_is_refused_too(tmp_project: Project, tmp_path: Path) -> None:
    link = tmp_path / "innocent"
    link.symlink_to(tmp_project.data_dir)
    code, _, err = kg(tmp_project, "export", "--out", str(link / "people.ttl"))
    assert code == 2 and "kg never writes into data/" in err


@pytest.mark.parametrize(
    "command",
    [("export", "--format", "turtle", "--out"), ("query", "ceo", "-o"), ("render", "-o")],
)
def test_a_device_is_no_output_file(tmp_project: Project, command: tuple[str, ...]) -> None:
    """Replacing an output whole would, as root, put a regular file in place of /dev/null."""
    device = os.stat("/dev/null")
    code, _, err = kg(tmp_project, *command, "/dev/null")
    assert code == 2
    to_stdout = "with -o -" if command[0] == "render" else "when no output file is given"
    assert err == (
        "kg: error: /dev/null is not a regular file (a folder, device or pipe); kg writes whole files only, "
        f"and writes to standard output {to_stdout}\n"
    )
    assert os.stat("/dev/null").st_rdev == device.st_rdev and Path("/dev/null").is_char_device()
