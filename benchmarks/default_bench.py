"""Benchmark: kg's default path (no --store, the cache in .kg/) and its commands beside bare scripts, in one run.

For each size (default 10k, 100k; 1M takes long on a shared machine) a synthetic project is generated
(benchmarks/generate.py) and, side by side:

- ``kg default``: the cache deleted, then every library query as a ``kg query NAME`` process of its own
  (the first pays for building the cache), ``kg export --format turtle``, and a second ``kg query ceo``
  after no change; against ``pyoxigraph (bare)`` loading the files once and running the same queries and
  a Turtle dump in one process (run.py's worker), and a fresh bare process opening that store and
  running ``ceo``.
- ``kg validate`` (the whole command, in a process of its own) against a bare process doing the same
  work with the same engines: pyoxigraph parses the files and writes N-Triples, the ``shacl`` engine
  validates them with the project's shapes, pyoxigraph runs the checks in queries/checks/. The two run in
  turns, three times each (once at 1M), and the fastest of each counts.

Then, on the curated graph (this repository), each command beside a fresh bare process (the scripts are in
benchmarks/bare_scripts.py): ``kg --help`` and ``python -c 'import click'``; ``kg query ceo`` and pyoxigraph
parsing the files and running it; ``kg validate`` and the bare validation above; ``kg render`` and a script
that loads the files, queries the entities and their edges, lays them out with numpy and writes one page
with vis-network inlined; ``kg build`` and a script that makes the same files of dist/ with the same
libraries (validation, named graphs, VoID, every RDF and network format, the page and the timeline). Every
command and its bare script run in turns, a warm-up round and then ``--curated-runs`` rounds, the fastest
of each counting, and the least CPU time of each beside it (on a shared machine it moves less than the wall
clock). kg's own modules are compiled to bytecode first, as an installed package has them: this
machine sets PYTHONDONTWRITEBYTECODE, so otherwise every kg process would compile its source again (about
0.1 s), which no bare script pays for its libraries; ``--source-only`` deletes kg's bytecode instead and
measures kg that way.

    nice python benchmarks/default_bench.py --sizes 10k,100k --work /tmp/my-bench
    nice python benchmarks/default_bench.py --sizes none --work /tmp/my-bench    # the curated commands alone

``--work`` holds the generated projects (a project already there is reused; the benchmark replaces its
queries/ and writes kg's cache into it), so give it a folder of your own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
from bare_scripts import BARE_BUILD, BARE_QUERY, BARE_RENDER, BARE_VALIDATE
from harness import REPO, RESULTS, SIZES, Run, checked, kg_command, library, run


def python(script: str, *arguments: str) -> list[str]:
    return [sys.executable, "-c", script.replace("{src!r}", repr(str(REPO / "src"))), *arguments]


def graph_files(project: Path) -> list[str]:
    from kg.project import Project

    return [str(p) for p in Project(project).graph_files()]


def measure_default(project: Path, scratch: Path) -> dict:
    """kg without flags: the cache deleted first, so that the first query pays for building it."""
    shutil.rmtree(project / ".kg", ignore_errors=True)
    kg = kg_command(project)
    queries: dict[str, float] = {}
    peak = 0.0
    for query in library(project):
        step = checked([*kg, "query", query.name], answers_ask=True)
        queries[query.name], peak = step.seconds, max(peak, step.peak_mb)
    export = checked([*kg, "export", "--format", "turtle", "--out", str(scratch / "default.ttl")])
    second = checked([*kg, "query", "ceo"])
    return {
        "queries": queries,
        "export": export.seconds,
        "export_peak_mb": export.peak_mb,
        "second_query": second.seconds,
        "peak_mb": max(peak, export.peak_mb, second.peak_mb),
    }


def measure_bare(project: Path, scratch: Path) -> dict:
    step = checked(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "worker", "oxigraph", str(project), str(scratch)]
    )
    phases = json.loads(step.stdout)
    ceo = str(project / "queries" / "ceo.rq")
    fresh = checked(python(BARE_QUERY, str(scratch / "bare-oxigraph"), ceo))
    return {
        "load": phases["load"],
        "queries": phases["queries"],
        "export": phases["export"],
        "wall": step.seconds,
        "peak_mb": step.peak_mb,
        "fresh_query": fresh.seconds,
    }


def measure_validate(project: Path, times: int) -> dict:
    """The whole kg validate beside the bare validation, run in turns ``times`` times, the fastest of each
    kept: the first kg run after the cache was deleted pays for what kg keeps between commands."""
    kg_runs: list[Run] = []
    bare_runs: list[Run] = []
    for _ in range(times):
        kg_runs.append(run([*kg_command(project), "validate", "--format", "json"]))
        bare_runs.append(checked(python(BARE_VALIDATE, str(project))))
    kg_run, bare = min(kg_runs, key=lambda r: r.seconds), min(bare_runs, key=lambda r: r.seconds)
    return {
        "kg": kg_run.seconds,
        "kg_first": kg_runs[0].seconds,
        "kg_exit": kg_run.returncode,
        "kg_peak_mb": max(r.peak_mb for r in kg_runs),
        "bare": bare.seconds,
        "bare_peak_mb": max(r.peak_mb for r in bare_runs),
        "runs": times,
    }


def measure_size(label: str, work: Path) -> dict:
    from generate import generate_project

    project = work / f"project-{label}"
    if not project.exists():
        generate_project(project, SIZES[label], seed=1)
    shutil.rmtree(project / "queries")
    shutil.copytree(REPO / "queries", project / "queries")
    scratch = work / f"default-scratch-{label}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        print(f"  {label}: bare pyoxigraph …", file=sys.stderr, flush=True)
        bare = measure_bare(project, scratch)
        print(f"  {label}: kg default …", file=sys.stderr, flush=True)
        default = measure_default(project, scratch)
        print(f"  {label}: kg validate …", file=sys.stderr, flush=True)
        validation = measure_validate(project, 1 if label == "1M" else 3)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"size": label, "default": default, "bare": bare, "validate": validation}


def measure_curated(work: Path, runs: int = 3) -> dict[str, dict[str, float]]:
    """Each curated command beside a bare process doing the same work, in turns: a warm-up round (the cache
    built, the files in the page cache, as a user meets them), then ``runs`` rounds; the fastest of each."""
    project = work / "curated"
    shutil.rmtree(project, ignore_errors=True)
    for folder in ("ontology", "data", "seeds", "queries"):
        shutil.copytree(REPO / folder, project / folder)
    kg = [sys.executable, "-m", "kg", "--project", str(project)]
    files = graph_files(project)
    pairs: dict[str, tuple[list[str], list[str]]] = {
        "kg --help": ([sys.executable, "-m", "kg", "--help"], [sys.executable, "-c", "import click"]),
        "kg query ceo": ([*kg, "query", "ceo"], python(BARE_QUERY, "-", str(project / "queries" / "ceo.rq"), *files)),
        "kg validate": ([*kg, "validate"], python(BARE_VALIDATE, str(project))),
        "kg render": (
            [*kg, "render", "--out", str(work / "curated.html")],
            python(BARE_RENDER, str(project), str(work / "bare.html")),
        ),
        "kg build": ([*kg, "build"], python(BARE_BUILD, str(project), str(work / "bare-dist"))),
    }
    seconds: dict[str, dict[str, list[tuple[float, float]]]] = {name: {"kg": [], "bare": []} for name in pairs}
    for round_number in range(runs + 1):
        for name, (command, bare) in pairs.items():
            kg_run, bare_run = timed(command), timed(bare)
            if round_number:  # the first round warms up
                seconds[name]["kg"].append(kg_run)
                seconds[name]["bare"].append(bare_run)
    return {
        name: {
            "kg": min(wall for wall, _ in times["kg"]),
            "bare": min(wall for wall, _ in times["bare"]),
            "kg_cpu": min(cpu for _, cpu in times["kg"]),
            "bare_cpu": min(cpu for _, cpu in times["bare"]),
        }
        for name, times in seconds.items()
    }


def timed(command: list[str]) -> tuple[float, float]:
    """``command``'s wall-clock seconds and CPU seconds (its own and its children's, user and system): on a
    shared machine the CPU time moves much less with the other work than the wall clock does."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe, which a chatty command could fill and block on
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"benchmark step failed ({code}): {' '.join(command)}\n{err.read().decode()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def compile_kg(source_only: bool) -> None:
    """kg's modules as bytecode, as an installed package has them (see the module's docstring); with
    ``source_only``, kg's bytecode deleted instead (a cache Python makes again), so that each run compiles."""
    import compileall

    import kg

    package = Path(kg.__file__).parent
    if source_only:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
    else:
        compileall.compile_dir(package, quiet=1)


def summary(results: list[dict], curated: dict[str, dict[str, float]]) -> list[str]:
    lines = []
    for size in results:
        label, default, bare, validation = size["size"], size["default"], size["bare"], size["validate"]
        kg_queries = sum(default["queries"].values())
        bare_total = bare["load"] + sum(bare["queries"].values())
        lines += [
            f"{label}: {len(default['queries'])} kg query runs (first builds the cache) {kg_queries:.1f} s; bare "
            f"pyoxigraph load + queries {bare_total:.1f} s: {kg_queries / bare_total:.2f} x (target <= 2)",
            f"{label}: kg export turtle {default['export']:.2f} s; bare load + dump "
            f"{bare['load'] + bare['export']:.2f} s: {default['export'] / (bare['load'] + bare['export']):.2f} x "
            f"(target <= 2); peak {default['peak_mb']:.0f} MB (target < 1024)",
            f"{label}: second kg query ceo {default['second_query']:.2f} s; fresh bare process "
            f"{bare['fresh_query']:.2f} s: {default['second_query'] / bare['fresh_query']:.2f} x (target <= 1.5)",
            f"{label}: kg validate {validation['kg']:.2f} s (exit {validation['kg_exit']}, peak "
            f"{validation['kg_peak_mb']:.0f} MB, first run {validation['kg_first']:.2f} s, best of "
            f"{validation['runs']}); bare shacl + checks {validation['bare']:.2f} s: "
            f"{validation['kg'] / validation['bare']:.2f} x (target <= 2)",
        ]
    for name, times in curated.items():
        if "bare" in times:
            ratio = times["kg"] / times["bare"]
            kg_cpu, bare_cpu = times["kg_cpu"], times["bare_cpu"]
            cpu = f"; CPU {kg_cpu:.2f} s and {bare_cpu:.2f} s: {kg_cpu / bare_cpu:.2f} x"
            lines.append(
                f"curated: {name} {times['kg']:.2f} s, bare {times['bare']:.2f} s: {ratio:.2f} x (target <= 2){cpu}"
            )
        else:
            lines.append(f"curated: {name} {times['kg']:.2f} s (no bare equivalent measured)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1M; none: the curated alone")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-benchmark")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--curated-runs", type=int, default=5, help="timed rounds of the curated commands")
    parser.add_argument("--source-only", action="store_true", help="kg's bytecode deleted, not compiled, first")
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip() and s.strip() != "none"]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d")
    results = []
    for label in labels:
        print(f"measuring {label} …", file=sys.stderr, flush=True)
        results.append(measure_size(label, args.work))
    print("measuring the curated commands …", file=sys.stderr, flush=True)
    compile_kg(args.source_only)
    curated = measure_curated(args.work, args.curated_runs)
    lines = summary(results, curated)
    out = args.out or RESULTS / f"default-{'-'.join(labels) or 'curated'}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = {"rounds": args.curated_runs, "kg_bytecode": not args.source_only}
    report = {"measured": started, "results": results, "curated": curated, "curated_runs": runs, "summary": lines}
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
