"""Benchmark: validation at a million triples, by pySHACL and by kg's fast path, and after one article.

For each size (default 100k and 1M triples) a synthetic project is generated (benchmarks/generate.py),
errors of every kind the shapes catch are injected (``inject_errors``), and in the same run:

- ``shapes, pySHACL`` and ``shapes, fast``: the SHACL step alone on the same loaded graph and shapes
  (kg.validate.shacl_results with each engine), and whether their (focus node, path, component,
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
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
FIXTURES = REPO / "tests" / "fixtures" / "shapes"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/ is not a package)

PREFIXES = generate.PREFIXES + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix wd: <http://www.wikidata.org/entity/> .\n"
KGSH = "https://w3id.org/kg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
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
    """Generated statement IRIs by kind: relation, value, price (currency) and capacity (unit) statements."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in sorted((root / "data" / "generated").glob("*.ttl")):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    query = """PREFIX kg: <https://w3id.org/kg/ontology#>
    SELECT ?s ?kind WHERE {
      { ?s a kg:RelationStatement ; kg:status kg:stated . BIND("relation" AS ?kind) }
      UNION { ?s a kg:ValueStatement . BIND("value" AS ?kind) }
      UNION { ?s kg:currency ?c . BIND("price" AS ?kind) }
      UNION { ?s kg:unit kg:vehiclesPerYear . BIND("capacity" AS ?kind) }
    } ORDER BY ?s"""
    kinds: dict[str, list[str]] = {}
    for row in store.query(query):
        kinds.setdefault(row["kind"].value, []).append(row["s"].value)
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
        edit(f"{company}6", "kg:founder [ a kg:Company ; rdfs:label \"Shell\"@en ]", None, "Class", "Organization-founder"),
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
    claim("kgr:gen-company-1", "kg:owns", company, f"The first company owns Article {number} Motors.")
    for i in range(2, 9):
        claim(f"kgr:gen-company-{i * 3}", "kg:productLine", "kgr:robots", f"Company {i * 3} now also sells robots ({number}).")
    if with_errors:
        claim("kgr:gen-company-5", "kg:chiefExecutiveOfficer", people[2], f"Person 3 of article {number} now runs company 5.")
        claim("kgr:gen-company-7", "kg:founder", "kgr:gen-company-8", f"Company 8 founded company 7, says article {number}.")
    source = (
        f"kgsrc:{slug} a kg:SourceDocument ; dcterms:identifier \"{slug}\" ;\n"
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
