"""Benchmark: validation at a million triples, by pySHACL and by kg's fast path, and after one article.

For each size (default 100k and 1M triples) a synthetic project is generated (benchmarks/generate.py),
errors of every kind the shapes catch are injected (``inject_errors``), and in the same run:

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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
import generate
from run import REPO, RESULTS, SIZES, checked, kg_command, run

FIXTURES = REPO / "tests" / "fixtures" / "shapes"
PREFIXES = (
    generate.PREFIXES
    + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix wd: <http://www.wikidata.org/entity/> .\n"
)
KGR = "https://w3id.org/kg/id/"


# --- injected errors -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Injected:
    """One error written into a generated project, and a result that must report it."""

    turtle: str
    focus: str  # full IRI
    component: str  # local name in sh:
    shape: str  # local name in kgsh:


def statements_of_kind(root: Path) -> dict[str, list[str]]:
    """Generated statement IRIs by kind: relation, value, price (currency) and capacity (unit) statements.

    Read from the generated Turtle, which writes one subject per block, rather than from a store: the
    benchmark's own process must stay small, as its children inherit its peak memory in what wait4 reports.
    """
    kinds: dict[str, list[str]] = {}
    for path in sorted((root / "data" / "generated").glob("*.ttl")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if not block.startswith("kgs:gen-"):
                continue
            iri = "https://w3id.org/kg/statement/" + block.split(None, 1)[0].removeprefix("kgs:")
            kind = (
                "price" if "kg:currency" in block
                else "capacity" if "kg:unit kg:vehiclesPerYear" in block
                else "relation" if "a kg:RelationStatement" in block and "kg:status kg:stated" in block
                else "value" if "a kg:ValueStatement" in block
                else None
            )  # fmt: skip
            if kind is not None:
                kinds.setdefault(kind, []).append(iri)
    return kinds


def injected_errors(root: Path) -> list[Injected]:
    """Errors of each kind a curator makes, on generated nodes (every project has the first few of each)."""
    k = statements_of_kind(root)
    rel, price, capacity = k["relation"], k["price"], k["capacity"]
    company, person, model = (f"{KGR}gen-{kind}-" for kind in ("company", "person", "model"))

    def edit(node: str, body: str, focus: str | None, component: str, shape: str) -> Injected:
        return Injected(f"<{node}> {body} .", focus or node, component, shape)

    return [
        edit(f"{company}1", "kg:chiefExecutiveOfficer kgr:gen-person-3", None, "MaxCount", "Organization-ceo-count"),
        edit(f"{company}2", "kg:chiefExecutiveOfficer kgr:gen-company-3", None, "Class", "Organization-ceo"),
        edit(f"{model}1", "kg:numberOfDoors 9", None, "MaxInclusive", "VehicleModel-doors"),
        edit(f"{model}2", 'kg:numberOfDoors "four"', None, "Datatype", "VehicleModel-doors"),
        edit(f"{person}1", "a kg:Company", None, "Not", "PersonShape"),
        edit(f"{company}4", "kg:wikidataEntity wd:Q1, wd:Q2", None, "MaxCount", "Entity-wikidata"),
        edit(f"{company}5", 'rdfs:label "Untagged name"', None, "Datatype", "Entity-label"),
        edit(
            f"{company}6", 'kg:founder [ a kg:Company ; rdfs:label "Shell"@en ]', None, "Class", "Organization-founder"
        ),
        edit(f"{company}7", 'kg:date "2022-13"^^xsd:gYearMonth', None, "Node", "Entity-date"),
        edit(price[0], "kg:status kg:maybe", None, "In", "Statement-status"),
        edit(price[1], 'kg:currency "EURO"', None, "In", "Statement-currency"),
        edit(price[2], "kg:minExclusive -5", None, "MinInclusive", "Money-minExclusive"),
        edit(capacity[0], 'kg:amount "NaN"^^xsd:double', None, "Or", "CountShape"),
        edit(capacity[1], "kg:amount 0", None, "Or", "CountShape"),
        edit(rel[0], 'kg:evidence "An unquoted claim"', None, "Datatype", "Statement-evidence"),
        edit(rel[1], 'kg:value "a literal"', None, "MaxCount", "RelationStatement-no-value"),
        edit(f"{KGR}inj-nameless", "a kg:Company", None, "MinCount", "Entity-label"),
        edit(
            "https://w3id.org/kg/statement/inj-share",
            "a kg:QuantityStatement ; kg:subject kgr:gen-company-1 ; kg:predicate kg:productionCapacity ; "
            "kg:amount 150 ; kg:unit kg:percent ; kg:status kg:stated ; kg:source kgsrc:synthetic-00001 ; "
            'kg:evidence "The Share is 150 percent."@en',
            None,
            "Or",
            "PercentShape",
        ),
    ]


def inject_errors(root: Path) -> list[Injected]:
    """Write errors of every kind the shapes catch into the generated project at ``root``.

    data/injected/errors.ttl holds ``injected_errors``; data/injected/fixture-*.ttl copy the bad fixture of
    every shape (tests/fixtures/shapes), which between them make every shape and property shape fire.
    """
    folder = root / "data" / "injected"
    folder.mkdir(parents=True, exist_ok=True)
    errors = injected_errors(root)
    body = "\n".join(e.turtle for e in errors)
    (folder / "errors.ttl").write_text(f"{PREFIXES}\n{body}\n", encoding="utf-8")
    shutil.copy(FIXTURES / "base.ttl", folder / "fixture-base.ttl")
    for bad in sorted(FIXTURES.glob("*/bad.ttl")):
        if bad.parent.name != "checks":
            shutil.copy(bad, folder / f"fixture-{bad.parent.name}.ttl")
    return errors


# --- an article's worth of facts -----------------------------------------------------------------------------


def write_article(folder: Path, number: int, *, with_errors: bool) -> tuple[Path, Path]:
    """A new source document and the facts taken from it: about 15 claims, 150 triples.

    With ``with_errors``, two claims are wrong only together with what the store holds: a second CEO for
    kgr:gen-company-5 (which has one) and, as founder of kgr:gen-company-7, kgr:gen-company-8, which the
    store knows is a company, not a person. Returns the data file and the seed text file.
    """
    slug = f"article-{number:04d}"
    company = f"kgr:{slug}-motors"
    people = [f"kgr:{slug}-person-{i}" for i in range(1, 4)]
    sentences: list[str] = []
    blocks: list[str] = []

    def claim(subject: str, predicate: str, obj: str, sentence: str) -> None:
        sentences.append(sentence)
        n = len(sentences)
        blocks.append(f"{subject} {predicate} {obj} .")
        blocks.append(
            f"kgs:{slug}-{n} a kg:RelationStatement ; kg:subject {subject} ; kg:predicate {predicate} ; "
            f'kg:object {obj} ;\n    kg:status kg:stated ; kg:source kgsrc:{slug} ; kg:evidence "{sentence}"@en .'
        )

    blocks.append(f'{company} a kg:Company ; rdfs:label "Article {number} Motors"@en .')
    for i, person in enumerate(people, start=1):
        blocks.append(f'{person} a kg:Person ; rdfs:label "Person {i} of article {number}"@en .')
    claim(company, "kg:founder", people[0], f"Person 1 of article {number} founded Article {number} Motors.")
    claim(company, "kg:chairperson", people[0], f"Person 1 of article {number} chairs Article {number} Motors.")
    claim(company, "kg:chiefExecutiveOfficer", people[1], f"Person 2 of article {number} runs Article {number} Motors.")
    claim(company, "kg:country", "kgr:gen-country-1", f"Article {number} Motors is based in the first country.")
    claim(company, "kg:headquarters", "kgr:gen-city-1", f"Article {number} Motors has its seat in the first city.")
    claim("kgr:gen-company-9", "kg:owns", company, f"Company 9 owns Article {number} Motors.")
    for i in range(3, 9):  # generated projects of 6,000 triples and more have at least ten companies
        claim(f"kgr:gen-company-{i}", "kg:productLine", "kgr:robots", f"Company {i} now also sells robots ({number}).")
    if with_errors:
        claim(
            "kgr:gen-company-5",
            "kg:chiefExecutiveOfficer",
            people[2],
            f"Person 3 of article {number} now runs company 5.",
        )
        claim(
            "kgr:gen-company-7",
            "kg:founder",
            "kgr:gen-company-8",
            f"Company 8 founded company 7, says article {number}.",
        )
    source = (
        f'kgsrc:{slug} a kg:SourceDocument ; dcterms:identifier "{slug}" ;\n'
        f'    rdfs:label "Article {number}"@en ; dcterms:title "Article {number}"@en ; dcterms:language "en" ;\n'
        f'    kg:sourceFile "synthetic/{slug}.txt" .'
    )
    data = folder / "data" / "articles" / f"{slug}.ttl"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(f"{PREFIXES}\n{source}\n\n" + "\n".join(blocks) + "\n", encoding="utf-8")
    text = folder / "seeds" / "synthetic" / f"{slug}.txt"
    text.parent.mkdir(parents=True, exist_ok=True)
    text.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return data, text


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
        result["parity"] = {
            "identical": fast["keys"] == slow["keys"],
            "results": sum(slow["keys"].values()),
            "by_component": dict(Counter(k[2].rsplit("#", 1)[-1] for k in slow["keys"].elements())),
            "only_fast": sum((fast["keys"] - slow["keys"]).values()),
            "only_pyshacl": sum((slow["keys"] - fast["keys"]).values()),
        }
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
