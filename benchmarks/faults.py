"""Errors and new articles written into a generated project (benchmarks/generate.py), for benchmarks and tests.

``inject_errors`` writes errors of every kind the shapes catch, each with the result that must report it;
``write_article`` writes one source document and the facts taken from it, optionally with two that are wrong
only together with what a store already holds. Used by benchmarks/validate_bench.py and by the tests of the
fast engine and of incremental validation; imports nothing from its neighbours (see __init__.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.rdf.namespaces import PREFIXES as KG_PREFIXES
from kg.rdf.namespaces import STANDARD_PREFIXES

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "shapes"
PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in {**STANDARD_PREFIXES, **KG_PREFIXES}.items())
KGR = "https://w3id.org/kg/id/"


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
                else "relation" if "a kg:RelationStatement" in block and "kg:likelihood kg:certain" in block
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
        edit(price[0], "kg:likelihood kg:maybe", None, "In", "Statement-likelihood"),
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
            "kg:amount 150 ; kg:unit kg:percent ; kg:attribution kg:ownVoice ; kg:timing kg:factual ; "
            "kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ; "
            "kg:source kgsrc:synthetic-00001 ; "
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
            f"kg:object {obj} ;\n    kg:attribution kg:ownVoice ; kg:timing kg:factual ; kg:likelihood kg:certain ; "
            f'kg:polarity kg:affirmed ; kg:rank kg:normalRank ; kg:source kgsrc:{slug} ; kg:evidence "{sentence}"@en .'
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
    for i in range(3, 9):  # generated projects of 8,000 triples and more have at least ten companies
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
        f'    kg:publisherUnknown true ; kg:sourceFile "synthetic/{slug}.txt" .'
    )
    data = folder / "data" / "articles" / f"{slug}.ttl"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(f"{PREFIXES}\n{source}\n\n" + "\n".join(blocks) + "\n", encoding="utf-8")
    text = folder / "seeds" / "synthetic" / f"{slug}.txt"
    text.parent.mkdir(parents=True, exist_ok=True)
    text.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return data, text
