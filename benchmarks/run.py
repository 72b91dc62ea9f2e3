"""Benchmark: issue 18's whole benchmark in one run, each of kg's figures beside a bare one measured in it.

Synthetic projects of 10k, 100k and 1M triples (benchmarks/generate.py, seed 1, kept in --work and shared by
every part) and the curated graph are measured in parts, each step a process of its own, start-up included:

- ``default`` (default_bench.py): the default path, no flags: every library query as a ``kg query`` process,
  the first building the cache under .kg/, then ``kg export --format turtle`` and a second ``kg query ceo``;
  beside bare pyoxigraph loading the files once and running the queries and a Turtle dump in one process,
  and a fresh bare process opening a store to run ``ceo``.
- ``validate`` (default_bench.py): the whole ``kg validate`` beside the ``shacl`` engine with the same shapes
  plus the checks in bare pyoxigraph, in turns, the best of three (one at 1M).
- ``export`` (export_bench.py): ``kg export`` to Turtle and TriG in each state of the cache, and ``--store``.
- ``curated`` (default_bench.py, bare_scripts.py): ``kg --help``, ``kg query ceo``, ``kg validate``,
  ``kg render`` and ``kg build`` on this repository's graph, each beside a bare script doing the same work.
- ``pyshacl`` (validate_bench.py; slow): errors injected into a copy, pySHACL's shapes beside the whole
  ``kg validate`` on it, and whether the fast engine gives pySHACL's results.
- ``view`` (view_bench.py; needs Chromium): the whole graph's page at --view-sizes entities: first frame,
  settled, frame time while panning.
- ``systems`` (systems_bench.py; slow: rdflib stops queries at 120 s): load, the queries, an export and a
  focused view in bare rdflib, bare pyoxigraph, kg's in-memory backend and ``kg --store`` (and a private
  Virtuoso with --virtuoso).

Without --parts it runs default, validate, export and curated. It writes every figure, the date and the
command to benchmarks/results/run-SIZES.json, prints the Markdown summary (each of issue 18's targets, its
ratio, met or not; report.py) and writes it beside the JSON. --readme also rewrites the block of README.md
between report.BEGIN and report.END; --from-json FILE --readme does that from an earlier result, measuring
nothing. A part that fails is named in the result and the rest still run (exit 1). The full run, for a quiet
machine; ``part_seconds`` in the result says how long each part took. At 10k and 100k with the 2k and 5k views
all parts took 27 min here under a load of 5 (systems 17 min of it); expect about 45 min more for 1M (systems
about 20: rdflib and kg in memory, pySHACL about 8, export 5) and 10 for the 10k and 20k views:

    nice python benchmarks/run.py --parts all --sizes 10k,100k,1M --view-sizes 2k,5k,10k,20k --readme

--work holds the generated projects (reused when there, their queries/ replaced and kg's cache written
into them): give it a folder of your own when other benchmarks may run on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
import report
from harness import REPO, RESULTS, SIZES, project_for, scratch, triples, write_atomically

PARTS = ("default", "validate", "export", "curated", "pyshacl", "view", "systems")
DEFAULT_PARTS = ("default", "validate", "export", "curated")
README = REPO / "README.md"


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def part_default(label: str, args: argparse.Namespace) -> dict[str, Any]:
    from default_bench import measure_bare, measure_default

    project = project_for(label, args.work)
    with scratch(args.work, f"default-scratch-{label}") as folder:
        progress(f"  {label}: bare pyoxigraph …")
        bare = measure_bare(project, folder)
        progress(f"  {label}: kg default …")
        default = measure_default(project, folder)
    return {"size": label, "triples": triples(project), "default": default, "bare": bare}


def part_validate(label: str, args: argparse.Namespace) -> dict[str, Any]:
    from default_bench import measure_validate

    project = project_for(label, args.work)
    return {"size": label, "triples": triples(project), **measure_validate(project, 1 if label == "1M" else 3)}


def part_export(label: str, args: argparse.Namespace) -> dict[str, Any]:
    from export_bench import measure_size

    project = project_for(label, args.work)
    return {**measure_size(label, args.work, None), "triples": triples(project)}


def part_pyshacl(label: str, args: argparse.Namespace) -> dict[str, Any]:
    """On a copy with every kind of error the shapes catch, so that the two engines have results to agree on."""
    from faults import inject_errors
    from harness import kg_command, run
    from validate_bench import measure_shapes, parity

    project = project_for(label, args.work)
    faulty = args.work / f"faulty-{label}"
    shutil.rmtree(faulty, ignore_errors=True)
    shutil.copytree(project, faulty, ignore=shutil.ignore_patterns(".kg"))
    inject_errors(faulty)
    with scratch(args.work, f"pyshacl-scratch-{label}") as folder:
        fast = measure_shapes(faulty, "fast", folder)
        slow = measure_shapes(faulty, "pyshacl", folder)
    whole = run([*kg_command(faulty), "validate", "--format", "json"])  # exits 1: the errors are found
    return {
        "size": label,
        "triples": triples(faulty),
        "fast": fast["shapes"],
        "pyshacl": slow["shapes"],
        "pyshacl_peak_mb": slow["peak_mb"],
        "kg": whole.seconds,
        "kg_exit": whole.returncode,
        "kg_peak_mb": whole.peak_mb,
        "parity": parity(fast["keys"], slow["keys"]),
    }


def part_systems(label: str, args: argparse.Namespace) -> dict[str, Any]:
    from systems_bench import measure_size

    return measure_size(label, args.work, args.virtuoso, set(filter(None, args.skip.split(","))))


SIZED: dict[str, Callable[[str, argparse.Namespace], dict[str, Any]]] = {
    "default": part_default,
    "validate": part_validate,
    "export": part_export,
    "pyshacl": part_pyshacl,
    "systems": part_systems,
}


def part_curated(args: argparse.Namespace) -> dict[str, Any]:
    from default_bench import measure_curated

    return measure_curated(args.work)


def part_view(args: argparse.Namespace) -> dict[str, Any]:
    from view_bench import entity_sizes, measure_sizes

    folder = args.work / "view"
    folder.mkdir(parents=True, exist_ok=True)  # its projects are kept, as the others are, for the next run
    return measure_sizes(entity_sizes(args.view_sizes), folder)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every part asked for, each at each size in a job of its own; a failed job is named and the rest go on, so
    a long run keeps what it measured. Each part's wall time is kept too, to say how long a run takes."""
    result: dict[str, Any] = {
        "measured": time.strftime("%Y-%m-%d"),
        "command": "nice python benchmarks/run.py " + shlex.join(args.argv),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "versions": versions(),
        "parts": list(args.parts),
        "part_seconds": {},
        "failed": [],
    }
    for part in args.parts:
        started = time.perf_counter()
        for label in args.sizes if part in SIZED else [""]:
            progress(f"{part} at {label} …" if label else f"{part} …")
            figures = job(part, label, args)
            if figures is None:
                result["failed"].append(f"{part} at {label}" if label else part)
            elif label:
                result.setdefault(part, []).append(figures)
            else:
                result[part] = figures
        result["part_seconds"][part] = round(time.perf_counter() - started, 1)
    return result


def job(part: str, label: str, args: argparse.Namespace) -> Any:
    """One part at one size, measured by a child run.py, or None if it failed (it says why on stderr).

    The measured processes are started from that child, not from this one, because a process's peak resident
    set (what os.wait4 reports) starts from its parent's at the fork: a parent that has run every part would
    raise every peak below its own size to it."""
    out = args.work / f"job-{part}-{label or 'all'}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), *args.argv, "--job", part, label, str(out)]
    if subprocess.run(command).returncode != 0:
        progress(f"run.py: the {part} part{' at ' + label if label else ''} failed; going on with the rest")
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def run_job(args: argparse.Namespace) -> None:
    part, label, out = args.job
    figures = SIZED[part](label, args) if label else (part_curated(args) if part == "curated" else part_view(args))
    write_atomically(Path(out), json.dumps(figures))


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("rdflib", "pyoxigraph", "pyshacl", "shacl")}


def relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def markdown(result: dict[str, Any], source: Path) -> str:
    """report.py's summary, with the systems' table when the run has that part."""
    from systems_bench import table

    extra = (table(result["systems"]),) if result.get("systems") else ()
    return report.markdown(result, relative(source), extra)


def write_readme(result: dict[str, Any], source: Path) -> None:
    try:
        text = report.replace_block(README.read_text(encoding="utf-8"), markdown(result, source))
    except ValueError as error:
        raise SystemExit(f"run.py: {error}") from None
    write_atomically(README, text)
    progress(f"README.md: the benchmark block rewritten from {relative(source)}")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS), help=f"comma-separated, or all: {', '.join(PARTS)}")
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M (default all)")
    parser.add_argument("--view-sizes", default="2k,5k,10k,20k", help="entities for the view part (k = 1000)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-benchmark")
    parser.add_argument("--virtuoso", action="store_true", help="systems: also measure a private Virtuoso")
    parser.add_argument("--skip", default="", help="systems: leave out some of rdflib, oxigraph, kg-memory")
    parser.add_argument("--out", type=Path, default=None, help="the JSON file (default benchmarks/results/…)")
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's benchmark block")
    parser.add_argument("--from-json", type=Path, help="measure nothing: the summary (and --readme) of FILE")
    parser.add_argument("--job", nargs=3, help=argparse.SUPPRESS)  # PART SIZE OUT: one job, for measure()
    args = parser.parse_args(argv)
    args.argv = argv
    args.parts = PARTS if args.parts == "all" else [p.strip() for p in args.parts.split(",") if p.strip()]
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for name, chosen, known in (("parts", args.parts, PARTS), ("sizes", args.sizes, SIZES)):
        if unknown := [c for c in chosen if c not in known]:
            parser.error(f"unknown {name} {unknown}; choose from {list(known)}")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:  # a worker of the systems part (systems_workers.py), in a process of its own
        from systems_workers import worker

        worker(argv[1:])
        return 0
    args = parse(argv)
    if args.job:
        run_job(args)
        return 0
    if args.from_json:
        source = args.from_json
        result = json.loads(source.read_text(encoding="utf-8"))
        if "parts" not in result:  # the separate scripts' results, and run.py's before 2026-12-06, differ
            raise SystemExit(f"run.py: {source} is not a result of this run.py (it has no 'parts')")
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        result = measure(args)
        source = args.out or RESULTS / f"run-{'-'.join(args.sizes)}.json"
        write_atomically(source, json.dumps(result, indent=2) + "\n")
    summary = markdown(result, source)
    write_atomically(source.with_suffix(".md"), summary)  # again with --from-json: the summary of today's report.py
    print(summary)
    if args.readme:
        write_readme(result, source)
    return 1 if result.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main())
