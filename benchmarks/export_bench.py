"""Benchmark: ``kg export`` to Turtle and TriG on the default path (no flags) beside bare pyoxigraph, in one run.

For each size (default 10k, 100k; 1M takes a few minutes) a synthetic project is generated
(benchmarks/generate.py) and, side by side, each a process of its own, start-up included:

- ``pyoxigraph (bare)``: parses the project's graph files into an in-memory store and writes its default
  graph as Turtle, with no sorting, no canonical labels, no named graphs: the floor for the same work.
- ``kg export --format turtle`` and ``kg export --format trig`` with no flags, as a user runs them, in each
  state of the project's cache: none (a fresh checkout), the store only (after a query), the store and kg's
  split of it (after an earlier export). The three outputs must be the same bytes.
- with ``--compare SRC``: the same two kg runs with another checkout's ``src/`` (say, the code before a
  change), so that the change is measured against its past in the same run.
- on a store (``kg load --store``, not timed): ``kg export --store … --format turtle`` beside a bare
  pyoxigraph process opening the same store read-only and dumping its default graph as Turtle.

Each kg output is checked: pyoxigraph reads it back with as many triples (Turtle) or quads (TriG) as
kg's N-Triples and N-Quads exports hold. Times are wall-clock seconds; peak memory is the process's
largest resident set. The summary is printed and written to benchmarks/results/export-SIZES.json.

    nice python benchmarks/export_bench.py --sizes 10k,100k,1M
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
from harness import REPO, RESULTS, SIZES, Run, checked, kg_command

BARE_EXPORT = """
import json, sys, time, pyoxigraph as ox
started = time.perf_counter()
store = ox.Store()
for path in sys.argv[2:]:
    store.bulk_load(path=path)
loaded = time.perf_counter()
store.dump(sys.argv[1], ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
print(json.dumps({"load": loaded - started, "write": time.perf_counter() - loaded}))
"""

BARE_STORE_EXPORT = """
import sys, pyoxigraph as ox
ox.Store.read_only(sys.argv[1]).dump(sys.argv[2], ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
"""

FORMATS = {"turtle": ("ttl", "ntriples", "nt"), "trig": ("trig", "nquads", "nq")}


def graph_files(project: Path) -> list[str]:
    from kg.project import Project

    return [str(p) for p in Project(project).graph_files()]


# The states of the project's cache (.kg/) an export may find, as a user meets them: a fresh checkout has none;
# after any other command (a query) the store is there but kg's split of it is not; after an export, both are.
CACHE_STATES = ("no cache", "store cached", "split cached")


def kg_export(project: Path, format_name: str, out: Path, src: Path, state: str = "no cache") -> Run:
    """One ``kg export`` run with the kg of ``src``, the project's cache first put in ``state`` (not timed)."""
    kg = ["env", f"PYTHONPATH={src}", *kg_command(project)]  # env execs kg: the process measured is kg's
    shutil.rmtree(project / ".kg", ignore_errors=True)
    if state == "store cached":
        checked([*kg, "query", "ceo"])
    elif state == "split cached":
        checked([*kg, "export", "--format", format_name, "--out", str(out)])
    return checked([*kg, "export", "--format", format_name, "--out", str(out)])


def statement_count(path: Path, extension: str) -> int:
    import pyoxigraph as ox

    by_extension = {"ttl": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nq": "N_QUADS"}
    return sum(1 for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, by_extension[extension])))


def measure_kg(project: Path, scratch: Path, src: Path, label: str) -> dict:
    results: dict[str, dict] = {}
    for format_name, (extension, lines_format, lines_extension) in FORMATS.items():
        out = scratch / f"{label}.{extension}"
        step = kg_export(project, format_name, out, src)
        results[format_name] = {"seconds": step.seconds, "peak_mb": step.peak_mb, "bytes": out.stat().st_size}
        for state in CACHE_STATES[1:]:
            again = kg_export(project, format_name, scratch / f"{label}-again.{extension}", src, state)
            if (scratch / f"{label}-again.{extension}").read_bytes() != out.read_bytes():
                raise SystemExit(f"{format_name}: the export with the {state} differs from the one without")
            results[format_name][state] = {"seconds": again.seconds, "peak_mb": again.peak_mb}
        if label == "kg":  # the output holds what the line format holds
            reference = scratch / f"{label}.{lines_extension}"
            checked([*kg_command(project), "export", "--format", lines_format, "--out", str(reference)])
            count, expected = statement_count(out, extension), statement_count(reference, lines_extension)
            if count != expected:
                raise SystemExit(f"{format_name}: {count} statements read back, {expected} in {lines_format}")
            results[format_name]["statements"] = count
    return results


def measure_store(project: Path, scratch: Path, src: Path) -> dict:
    store = scratch / "store"
    kg = ["env", f"PYTHONPATH={src}", *kg_command(project)]
    checked([*kg, "load", "--store", f"oxigraph:{store}"])
    export = checked(
        [*kg, "export", "--store", f"oxigraph:{store}", "--format", "turtle", "--out", str(scratch / "s.ttl")]
    )
    bare = checked([sys.executable, "-c", BARE_STORE_EXPORT, str(store), str(scratch / "bare-store.ttl")])
    return {"kg": export.seconds, "kg_peak_mb": export.peak_mb, "bare": bare.seconds, "bare_peak_mb": bare.peak_mb}


def measure_size(label: str, work: Path, compare: Path | None) -> dict:
    from generate import generate_project

    project = work / f"project-{label}"
    if not project.exists():
        generate_project(project, SIZES[label], seed=1)
    scratch = work / f"export-scratch-{label}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        print(f"  {label}: bare pyoxigraph …", file=sys.stderr, flush=True)
        script = [sys.executable, "-c", BARE_EXPORT, str(scratch / "bare.ttl"), *graph_files(project)]
        bare_run = checked(script)
        bare = {"seconds": bare_run.seconds, "peak_mb": bare_run.peak_mb, **json.loads(bare_run.stdout)}
        print(f"  {label}: kg export …", file=sys.stderr, flush=True)
        result = {"size": label, "bare": bare, "kg": measure_kg(project, scratch, REPO / "src", "kg")}
        if compare is not None:
            print(f"  {label}: kg export with {compare} …", file=sys.stderr, flush=True)
            result["compared"] = measure_kg(project, scratch, compare, "compared")
        print(f"  {label}: kg export --store …", file=sys.stderr, flush=True)
        result["store"] = measure_store(project, scratch, REPO / "src")
        if compare is not None:
            result["store_compared"] = measure_store(project, scratch, compare)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def summary(results: list[dict], compare: Path | None) -> list[str]:
    lines = []
    for size in results:
        label, bare = size["size"], size["bare"]["seconds"]
        lines.append(f"{label}: bare pyoxigraph parse + Turtle {bare:.2f} s, peak {size['bare']['peak_mb']:.0f} MB")
        for format_name, run in size["kg"].items():
            line = (
                f"{label}: kg export --format {format_name} {run['seconds']:.2f} s, peak {run['peak_mb']:.0f} MB: "
                f"{run['seconds'] / bare:.2f} x bare"
            )
            for state in CACHE_STATES[1:]:
                if state in run:
                    again = run[state]
                    line += (
                        f"; {state}: {again['seconds']:.2f} s, peak {again['peak_mb']:.0f} MB: "
                        f"{again['seconds'] / bare:.2f} x bare"
                    )
            if "compared" in size:
                before = size["compared"][format_name]["seconds"]
                line += f"; with {compare}: {before:.2f} s ({before / run['seconds']:.1f} x this one)"
            lines.append(line)
        store = size["store"]
        line = (
            f"{label}: kg export --store --format turtle {store['kg']:.2f} s, peak {store['kg_peak_mb']:.0f} MB; "
            f"bare pyoxigraph opening the store + Turtle {store['bare']:.2f} s: {store['kg'] / store['bare']:.2f} x"
        )
        if "store_compared" in size:
            before = size["store_compared"]["kg"]
            line += f"; with {compare}: {before:.2f} s ({before / store['kg']:.1f} x this one)"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-benchmark")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout's src/ to measure beside")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d")
    results = []
    for label in labels:
        print(f"measuring {label} …", file=sys.stderr, flush=True)
        results.append(measure_size(label, args.work, args.compare))
    lines = summary(results, args.compare)
    out = args.out or RESULTS / f"export-{'-'.join(labels)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"measured": started, "results": results, "summary": lines}
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
