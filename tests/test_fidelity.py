"""The live data says what the seed says: each claim sentence is a statement with the right axes.

These tests read the repository's own data/ (not the frozen fixture project) on purpose: they name facts of the
seed that must stay true however much data is added, each found by its quote, and they hold the live project to
a clean validation. Counts and golden answers stay on the fixture project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.project import Project
from kg.rdf.direct import is_admitted
from kg.rdf.load import LoadedGraph, load_project
from kg.rdf.namespaces import KG, KGR, KGSRC
from kg.validate.report import Severity
from kg.validate.runner import validate

SEED = KGSRC["xiaomi-car-project-2024"]
SEED_FILE = "000_1b7fbd84b75bfcac.txt"


@dataclass(frozen=True)
class Claim:
    """One claim of the seed: the words that make it, what it says and on which axes."""

    quote: str
    predicate: str
    target: Node
    attribution: str = "ownVoice"
    timing: str = "factual"
    likelihood: str = "certain"
    outcome: str | None = None
    attributed_to: str | None = None
    hedge: str | None = None
    condition: str | None = None

    @property
    def direct(self) -> bool:
        """Whether the claim belongs in the direct layer, by the rule in docs/modelling.md."""
        failed = self.outcome in ("didNotHappen", "cancelled")
        return self.likelihood in ("certain", "likely") and self.attribution != "curatorInference" and not failed


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def planned(claim: Claim) -> Claim:
    """The claim as a plan or expectation whose outcome no source gives yet."""
    return replace(claim, timing="prospective", outcome="outcomeUnknown")


def by_lei_jun(claim: Claim) -> Claim:
    return replace(claim, attribution="attributed", attributed_to="lei-jun")


def by_photos(claim: Claim, photos: str) -> Claim:
    return replace(claim, attribution="attributed", attributed_to=photos)


SPY = "claiming to show the exterior and some interior details of the model \N{EN DASH} a sedan with a GT silhouette"
FIRST_PHOTOS = "the size of a Mercedes C-class model with a streamlined design"
GROW = "Xiaomi is based in Beijing and will continue to grow there"
CALL = "He called on the Chinese government to promote the development of a diverse and innovative car culture"
DEBUT = "wants to stir up the competition in the market with its electric car debut"
LIDAR = "a bump on the roof that may be a LiDAR sensor"

CLAIMS = {
    "gt-silhouette": by_photos(Claim(SPY, "designTrait", en("GT silhouette"), hedge="claiming to show"), "spy-photos"),
    "long-nose": by_photos(Claim(SPY, "designTrait", en("long nose"), hedge="claiming to show"), "spy-photos"),
    "sloping-roofline": by_photos(
        Claim(SPY, "designTrait", en("gently sloping roofline"), hedge="claiming to show"), "spy-photos"
    ),
    "spy-photos-sedan": by_photos(Claim(SPY, "bodyStyle", KGR.sedan, hedge="claiming to show"), "spy-photos"),
    "streamlined-design": by_photos(Claim(FIRST_PHOTOS, "designTrait", en("streamlined design")), "first-photos"),
    "grow-there": planned(by_lei_jun(Claim(GROW, "participant", KGR.xiaomi, hedge="Lei emphasizes"))),
    "grow-in-beijing": planned(by_lei_jun(Claim(GROW, "eventLocation", KGR.beijing, hedge="Lei emphasizes"))),
    "capacity-condition": planned(
        Claim(
            "after the final construction phase",
            "productionCapacity",
            Literal(300000),
            likelihood="likely",
            hedge="is expected to",
            condition="after the final construction phase",
        )
    ),
    "easing-restrictions": Claim(
        f"{CALL} by moderately easing restrictions on car modification", "callsFor", KGR["car-modification-easing"]
    ),
    "national-standards": Claim(
        "setting national standards for tuning parts and accessories and the car aftermarket",
        "callsFor",
        KGR["aftermarket-standards"],
    ),
    "car-culture": Claim(CALL, "goal", en("promote the development of a diverse and innovative car culture")),
    "roof-bump": Claim("One notable feature is a bump on the roof", "hasFeature", KGR["roof-bump"]),
    "bump-may-be-lidar": Claim(LIDAR, "identifiedAs", KGR["lidar-sensor"], likelihood="possible", hedge="may be"),
    "car-may-have-lidar": Claim(LIDAR, "hasFeature", KGR["lidar-sensor"], likelihood="possible", hedge="may be"),
    "self-propelled": Claim(
        "This points to self-propelled functions.",
        "hasFeature",
        KGR["self-propelled-functions"],
        likelihood="possible",
        hedge="points to",
    ),
    "more-advanced": by_lei_jun(
        Claim(
            "the car project is more advanced than previously thought",
            "progress",
            en("more advanced than previously thought"),
            hedge="according to",
        )
    ),
    "enter-industry": planned(
        Claim("now Xiaomi also wants to enter the automotive industry", "participant", KGR.xiaomi, hedge="wants to")
    ),
    "stir-up-competition": planned(Claim(DEBUT, "goal", en("stir up the competition in the market"), hedge="wants to")),
    "debut": planned(Claim(DEBUT, "about", KGR["xiaomi-first-car"])),
    "a-lot-of-energy": planned(
        by_lei_jun(
            Claim(
                "Lei Jun said a lot of energy will be put into this issue.",
                "commitment",
                en("a lot of energy"),
                hedge="Lei Jun said",
            )
        )
    ),
    "proven-industries": Claim(
        "the company has already proven that it is able to operate in different industries",
        "provenCapability",
        en("able to operate in different industries"),
    ),
    "big-success": planned(
        Claim(
            "could be another big success for Xiaomi",
            "assessment",
            en("another big success"),
            likelihood="possible",
            hedge="could be",
        )
    ),
    "borgward-unlikely": planned(
        Claim(
            "it is unlikely that the name Borgward will be used again",
            "about",
            KGR.borgward,
            likelihood="unlikely",
            hedge="it is unlikely that",
        )
    ),
    "prototype-in-vain": Claim(
        "It was actually planned to present a prototype in 2022.",
        "participant",
        KGR.xiaomi,
        timing="prospective",
        outcome="didNotHappen",
        hedge="It was actually planned to",
    ),
    "plant-inferred": planned(
        Claim(
            "The Xiaomi Auto factory is being built in Beijing",
            "assemblyPlant",
            KGR["xiaomi-auto-factory"],
            attribution="curatorInference",
            likelihood="likely",
        )
    ),
}


@pytest.fixture(scope="module")
def live(repo_project: Project) -> LoadedGraph:
    return load_project(repo_project)


def statements_for(graph: Graph, claim: Claim) -> list[Node]:
    """The statements of the seed whose quote holds the claim's words and that make its claim."""
    predicate = KG[claim.predicate]
    found = []
    for statement in graph.subjects(KG.predicate, predicate):
        quotes = [str(q) for q in graph.objects(statement, KG.evidence)]
        if (statement, KG.source, SEED) not in graph or not any(claim.quote in q for q in quotes):
            continue
        values = {
            *graph.objects(statement, KG.object),
            *graph.objects(statement, KG.value),
            *graph.objects(statement, KG.amount),
        }
        if claim.target in values:
            found.append(statement)
    return found


def axes_of(graph: Graph, statement: Node) -> dict[str, object]:
    def one(prop: URIRef) -> str | None:
        values = sorted(str(v).removeprefix(str(KG)).removeprefix(str(KGR)) for v in graph.objects(statement, prop))
        return values[0] if len(values) == 1 else ("|".join(values) or None)

    return {
        "attribution": one(KG.attribution),
        "timing": one(KG.timing),
        "likelihood": one(KG.likelihood),
        "outcome": one(KG.outcome),
        "attributed_to": one(KG.attributedTo),
        "hedge": one(KG.hedge),
        "condition": one(KG.condition),
        "polarity": one(KG.polarity),
    }


def expected_axes(claim: Claim) -> dict[str, object]:
    return {
        "attribution": claim.attribution,
        "timing": claim.timing,
        "likelihood": claim.likelihood,
        "outcome": claim.outcome,
        "attributed_to": claim.attributed_to,
        "hedge": claim.hedge,
        "condition": claim.condition,
        "polarity": "affirmed",
    }


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_the_seed_sentence_is_a_statement_with_its_axes(name: str, live: LoadedGraph) -> None:
    claim = CLAIMS[name]
    statements = statements_for(live.graph, claim)
    assert statements, f"no statement of the seed quotes {claim.quote!r} for kg:{claim.predicate}"
    assert expected_axes(claim) in [axes_of(live.graph, s) for s in statements]


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_the_direct_layer_holds_the_claim_only_when_the_rule_admits_it(name: str, live: LoadedGraph) -> None:
    claim = CLAIMS[name]
    statements = statements_for(live.graph, claim)
    assert statements
    assert all(is_admitted(live.graph, s) == claim.direct for s in statements)
    if not claim.direct or claim.predicate == "productionCapacity":  # a quantity gives no edge at all
        subjects = {subject for s in statements for subject in live.graph.objects(s, KG.subject)}
        assert all((subject, KG[claim.predicate], claim.target) not in live.graph for subject in subjects)


def test_the_claims_quote_the_seed_verbatim(repo_project: Project) -> None:
    text = (repo_project.seeds_dir / SEED_FILE).read_text(encoding="utf-8")
    missing = [name for name, claim in CLAIMS.items() if claim.quote not in text]
    assert missing == []


def seed_sentences(text: str) -> list[str]:
    """The seed's sentences, without its closing source line (the manifest's kg:sourceLine)."""
    body = " ".join(line for line in text.splitlines() if not line.startswith("Source:"))
    return [sentence for sentence in re.split(r"(?<=\.)\s+", body) if sentence.strip()]


def test_every_sentence_of_the_seed_is_quoted_by_some_statement(repo_project: Project, live: LoadedGraph) -> None:
    text = (repo_project.seeds_dir / SEED_FILE).read_text(encoding="utf-8")
    sentences = seed_sentences(text)
    quotes = [str(q) for s in live.graph.subjects(KG.source, SEED) for q in live.graph.objects(s, KG.evidence)]
    assert len(sentences) == 23
    unquoted = [s for s in sentences if not any(s in q or (q in s and len(q) >= 20) for q in quotes)]
    assert unquoted == []


def test_conditions_and_hedges_stand_in_their_statements_quotes(live: LoadedGraph) -> None:
    graph = live.graph
    qualified = [(s, q) for prop in (KG.condition, KG.hedge) for s, q in graph.subject_objects(prop)]
    assert any(prop == en("after the final construction phase") for _, prop in qualified)
    for statement, words in qualified:
        assert any(str(words) in str(quote) for quote in graph.objects(statement, KG.evidence)), statement


def test_the_live_project_validates_without_violations_or_warnings(repo_project: Project, live: LoadedGraph) -> None:
    report = validate(live, repo_project)
    counts = report.counts()
    serious = [(r.focus_node, r.source_shape, r.message) for r in report.at_or_above(Severity.WARNING)]
    assert serious == []
    assert counts[Severity.VIOLATION] == counts[Severity.WARNING] == 0
