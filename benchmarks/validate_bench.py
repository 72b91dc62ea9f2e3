"""Benchmark: validation at a million triples, by pySHACL and by kg's fast path, and after one article.

For each size (default 100k and 1M triples) a synthetic project is generated (benchmarks/generate.py),
errors of every kind the shapes catch are injected (``faults.inject_errors``), and in the same run:

- ``shapes, pySHACL`` and ``shapes, fast``: the SHACL step alone on the same loaded graph and shapes
  (kg.validate.shapes.shacl_results with each engine), and whether their (focus node, path, component,
  severity) multisets are identical;
- ``kg validate, fast``: the whole validation (shapes, violation queries, evidence) as ``kg validate``
  runs it, loading included, in a process of its own;
- ``incremental``: ``kg validate --changed ARTICLE --store oxigraph:STORE`` against the project loaded
  into an Oxigraph store, for a clean article and for one that gives a stored company a second CEO and
  a founder the store knows is a company, in processes of their own, wall time from start to exit.

pySHACL at 1M takes several minutes; ``--skip-pyshacl 1M`` leaves it out. Run it niced:

    nice python benchmarks/validate_bench.py --sizes 100k,1M

The table is printed and written, with the parity counts, to benchmarks/results/validate-<sizes>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

# Run as a script, this folder is first on sys.path: the neighbours import by plain name (see __init__.py).
import generate
from faults import inject_errors, write_article
from harness import RESULTS, SIZES, checked, kg_command, run

# --- measuring -------------------------------------------------------------------------------------------------

UNBACKED = "unbacked-direct-edge-violation.rq"
# The rewrite of the unbacked-edge check proposed with this benchmark: the same rows (?this, ?path and
# ?value are bound on both sides of each MINUS), 3.8 s instead of 330 s at a million triples.
UNBACKED_SLOW = """  FILTER NOT EXISTS {
    ?statement kg:subject ?this ; kg:predicate ?path .
    { ?statement kg:object ?value } UNION { ?statement kg:value ?value }
  }
}"""
UNBACKED_FAST = """  MINUS { ?statement kg:subject ?this ; kg:predicate ?path ; kg:object ?value }
  MINUS { ?statement kg:subject ?this ; kg:predicate ?path ; kg:value ?value }
}"""


def shapes_phase(root: Path, engine: str, keys_file: Path) -> None:
    """In a child process: load the project, run the shapes with ``engine``, print timings, write the keys."""
    from kg.guard import limits
    from kg.project import open_project
    from kg.rdf.load import load_project, parse_file
    from kg.validate.describe import Describer
    from kg.validate.shapes import SHAPES_FILE, shacl_results

    limits.set_limits(limits.Limits(timeout=None, max_input_bytes=None))  # pySHACL takes minutes at 1M
    started = time.perf_counter()
    project = open_project(root)
    loaded = load_project(project)
    loaded_at = time.perf_counter()
    shapes = parse_file(project.ontology_dir / SHAPES_FILE)
    results = shacl_results(loaded.graph, shapes, Describer(loaded, root), engine=engine)
    done = time.perf_counter()
    keys = Counter(result_key(r) for r in results)
    keys_file.write_text(json.dumps(sorted([*k, n] for k, n in keys.items())), encoding="utf-8")
    print(json.dumps({"triples": len(loaded.graph), "load": loaded_at - started, "shapes": done - loaded_at}))


def result_key(result: object) -> tuple[str, str, str, str]:
    """(focus node, path, component, severity) as text; blank nodes, which differ from load to load, as _:."""
    from rdflib import BNode

    def text(node: object) -> str:
        return "_:" if isinstance(node, BNode) else str(node)

    path = text(result.path) if not result.path_triples else "complex:" + str(len(result.path_triples))  # type: ignore[attr-defined]
    return text(result.focus_node), path, str(result.component), str(result.severity.iri)  # type: ignore[attr-defined]


def measure_shapes(root: Path, engine: str, scratch: Path) -> dict:
    keys_file = scratch / f"keys-{engine}.json"
    step = checked([sys.executable, __file__, "--phase", "shapes", "--engine", engine, str(root), str(keys_file)])
    phases = json.loads(step.stdout.strip().splitlines()[-1])
    keys = Counter({tuple(k[:-1]): k[-1] for k in json.loads(keys_file.read_text(encoding="utf-8"))})
    return {"wall": step.seconds, "peak_mb": step.peak_mb, **phases, "keys": keys}


def parity(fast: Counter, slow: Counter) -> dict:
    """Whether the two engines gave the same results (as multisets of result_key), and where they differ."""
    return {
        "identical": fast == slow,
        "results": sum(slow.values()),
        "by_component": dict(Counter(k[2].rsplit("#", 1)[-1] for k in slow.elements())),
        "only_fast": sum((fast - slow).values()),
        "only_pyshacl": sum((slow - fast).values()),
    }


def use_fast_unbacked_check(root: Path) -> None:
    path = root / "queries" / "checks" / UNBACKED
    text = path.read_text(encoding="utf-8")
    if UNBACKED_SLOW in text:
        path.write_text(text.replace(UNBACKED_SLOW, UNBACKED_FAST), encoding="utf-8")


def measure_incremental(root: Path, store: Path, label: str, repeats: int = 3) -> dict:
    """``kg validate --changed`` for a clean article and for one with errors against stored facts."""
    out: dict[str, dict] = {}
    for number, with_errors in ((1, False), (2, True)):
        data, _ = write_article(root, number, with_errors=with_errors)
        runs = [
            run([*kg_command(root), "validate", "--store", f"oxigraph:{store}", "--changed", str(data)])
            for _ in range(repeats)
        ]
        last = runs[-1]
        expected = 1 if with_errors else 0
        if last.returncode != expected:
            raise SystemExit(
                f"incremental ({label}) exited {last.returncode}, not {expected}:\n{last.stdout}{last.stderr}"
            )
        caught = with_errors and "Organization-ceo-count" in last.stdout and "Organization-founder" in last.stdout
        out["errors" if with_errors else "clean"] = {
            "seconds": sorted(r.seconds for r in runs),
            "median": sorted(r.seconds for r in runs)[len(runs) // 2],
            "peak_mb": max(r.peak_mb for r in runs),
            "caught_second_ceo_and_company_founder": caught,
            "summary": last.stdout.strip().splitlines()[-1],
        }
    return out


def measure_size(label: str, triples: int, work: Path, with_pyshacl: bool) -> dict:
    root = work / f"project-{label}"
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    generated = generate.generate_project(root, triples, seed=1)
    inject_errors(root)
    seconds = time.perf_counter() - started
    print(f"[{label}] generated {generated.triples:,} triples, injected errors: {seconds:.0f} s", flush=True)
    result: dict = {"label": label, "generated_triples": generated.triples}
    fast = measure_shapes(root, "fast", work)
    result["shapes_fast"] = {k: v for k, v in fast.items() if k != "keys"}
    print(f"[{label}] shapes, fast: {fast['shapes']:.1f} s (load {fast['load']:.1f} s)", flush=True)
    if with_pyshacl:
        slow = measure_shapes(root, "pyshacl", work)
        result["shapes_pyshacl"] = {k: v for k, v in slow.items() if k != "keys"}
        result["parity"] = parity(fast["keys"], slow["keys"])
        print(
            f"[{label}] shapes, pySHACL: {slow['shapes']:.1f} s; identical: {result['parity']['identical']}", flush=True
        )
    clean = work / f"project-{label}-clean"  # the store holds the generated graph without the injected errors
    if clean.exists():
        shutil.rmtree(clean)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("injected"))
    store = work / f"store-{label}"
    if store.exists():
        shutil.rmtree(store)
    load = checked([*kg_command(clean), "load", "--store", f"oxigraph:{store}"])
    result["load_store"] = {"seconds": load.seconds, "peak_mb": load.peak_mb}
    result["incremental_as_shipped"] = measure_incremental(clean, store, label)
    use_fast_unbacked_check(clean)
    result["incremental"] = measure_incremental(clean, store, label)
    print(f"[{label}] incremental: {result['incremental']}", flush=True)
    use_fast_unbacked_check(root)
    whole = run([*kg_command(root), "validate", "--engine", "fast", "--format", "json"])
    result["kg_validate_fast"] = {"seconds": whole.seconds, "peak_mb": whole.peak_mb, "exit": whole.returncode}
    print(f"[{label}] kg validate (fast, whole): {whole.seconds:.1f} s, exit {whole.returncode}", flush=True)
    return result


def table(results: list[dict]) -> str:
    lines = [
        "| size | shapes: pySHACL | shapes: fast | speed-up | same results | kg validate (fast, whole) | "
        "one article, --changed (clean / with errors) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        fast, slow, parity, inc = r["shapes_fast"], r.get("shapes_pyshacl"), r.get("parity"), r["incremental"]
        cells = [
            f"{r['generated_triples']:,}",
            f"{slow['shapes']:.1f} s" if slow else "not run",
            f"{fast['shapes']:.2f} s",
            f"{slow['shapes'] / fast['shapes']:.0f}x" if slow else "-",
            ("yes" if parity["identical"] else "NO") + f", {parity['results']:,} results" if parity else "-",
            f"{r['kg_validate_fast']['seconds']:.1f} s",
            f"{inc['clean']['median']:.2f} s / {inc['errors']['median']:.2f} s",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--skip-pyshacl", default="", help="sizes at which pySHACL is not run")
    parser.add_argument("--work", type=Path, help="where projects and stores go (default: a temporary folder)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "shapes":
        shapes_phase(args.paths[0], args.engine, args.paths[1])
        return 0
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip_pyshacl.split(",") if s.strip()}
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-validate-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = [measure_size(label, SIZES[label], work, label not in skip) for label in labels]
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "note": "shapes: the SHACL step alone on the same loaded graph, in processes of their own; "
        "incremental: kg validate --store --changed, wall time of the whole process, median of 3",
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"validate-{'-'.join(labels)}.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(table(results))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
