"""Opt-in inference: ``--reason rdfs|owl-rl`` on kg query, export and render; inferred triples in their own graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from rdflib import RDF, Dataset, Graph, URIRef

from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import OxigraphBackend
from kg.backends.reasoning import INFERRED_GRAPH, ReasoningBackend, with_reasoning
from kg.project import Project
from kg.rdf.namespaces import KG, KGR
from support.cli import run_kg

SCHEMA = "https://schema.org/"
ORGANIZATIONS = "SELECT ?o WHERE { ?o a kg:Organization }"


def kg(project: Project, *args: str) -> Result:
    return run_kg(*args, project=project)


def answer_iris(result: Result) -> set[str]:
    assert result.exit_code == 0, result.output
    return set(result.stdout.splitlines()[1:])


def test_rdfs_finds_every_kind_of_organization_and_without_it_only_what_is_typed_so(
    project: Project, graph: Graph
) -> None:
    reasoned = answer_iris(kg(project, "query", "--reason", "rdfs", "-e", ORGANIZATIONS))
    companies = {str(s) for s in graph.subjects(RDF.type, KG.Company)}
    publishers = {str(s) for s in graph.subjects(RDF.type, KG.Publisher)}
    government = {str(s) for s in graph.subjects(RDF.type, KG.GovernmentBody)}
    assert companies and publishers and government
    assert companies | publishers | government <= reasoned
    assert {str(KGR.xiaomi), str(KGR.cnevpost), str(KGR["chinese-government"])} <= reasoned
    plain = answer_iris(kg(project, "query", "-e", ORGANIZATIONS))
    assert plain == {str(s) for s in graph.subjects(RDF.type, KG.Organization)}
    assert plain < reasoned


def test_a_query_can_ask_which_triples_were_inferred(project: Project) -> None:
    query = f"SELECT ?o WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?o a kg:Organization }} }}"
    assert str(KGR.xiaomi) in answer_iris(kg(project, "query", "--reason", "rdfs", "-e", query))
    assert answer_iris(kg(project, "query", "--engine", "oxigraph", "-e", query)) == set()


def test_owl_rl_follows_equivalent_properties_and_rdfs_does_not(project: Project) -> None:
    query = f"SELECT ?f WHERE {{ kgr:xiaomi <{SCHEMA}founder> ?f }}"
    assert answer_iris(kg(project, "query", "--reason", "owl-rl", "-e", query)) == {str(KGR["lei-jun"])}
    assert answer_iris(kg(project, "query", "--reason", "rdfs", "-e", query)) == set()


def export(project: Project, *args: str) -> bytes:
    result = kg(project, "export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_export_puts_inferred_triples_in_their_own_graph_and_only_with_the_flag(project: Project) -> None:
    reasoned = Dataset()
    reasoned.parse(data=export(project, "--reason", "rdfs", "--format", "nquads"), format="nquads")
    inferred = reasoned.graph(INFERRED_GRAPH)
    assert (KGR.xiaomi, RDF.type, KG.Organization) in inferred
    others = [g for g in reasoned.graphs() if g.identifier != INFERRED_GRAPH]
    assert all((KGR.xiaomi, RDF.type, KG.Organization) not in g for g in others)
    plain = Dataset()
    plain.parse(data=export(project, "--format", "nquads"), format="nquads")
    assert INFERRED_GRAPH not in {g.identifier for g in plain.graphs()}
    assert len(plain.graph(INFERRED_GRAPH)) == 0


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig"])
def test_text_exports_keep_the_asserted_bytes_then_a_marked_inferred_block(project: Project, fmt: str) -> None:
    plain = export(project, "--format", fmt)
    reasoned = export(project, "--reason", "rdfs", "--format", fmt)
    assert reasoned.startswith(plain)
    assert reasoned[len(plain) :].startswith(b"\n# Inferred by kg --reason rdfs;")
    assert reasoned == export(project, "--reason", "rdfs", "--format", fmt)  # deterministic


def test_jsonld_export_holds_the_inferred_graph(project: Project) -> None:
    dataset = Dataset()
    dataset.parse(data=export(project, "--reason", "rdfs", "--format", "jsonld"), format="json-ld")
    assert (KGR.xiaomi, RDF.type, KG.Organization) in dataset.graph(INFERRED_GRAPH)
    assert len(dataset.graph(URIRef("https://w3id.org/kg/graph/ontology"))) > 500


@pytest.mark.parametrize("fmt", ["rdfxml", "graphml", "csv-nodes"])
def test_formats_that_cannot_mark_inferred_triples_are_refused(project: Project, fmt: str) -> None:
    result = kg(project, "export", "--reason", "rdfs", "--format", fmt)
    assert result.exit_code == 2
    assert "cannot mark inferred triples" in result.output


def test_render_says_the_page_holds_inferred_triples(project: Project, tmp_path: Path) -> None:
    for args, expected in ((("--reason", "owl-rl"), True), ((), False)):
        out = tmp_path / f"page{len(args)}.html"
        result = kg(project, "render", *args, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert ("kg --reason owl-rl" in out.read_text(encoding="utf-8")) is expected


@pytest.mark.parametrize("profile", ["rdfs", "owl-rl"])
def test_the_store_computes_the_same_closure_as_owlrl_in_memory(
    project: Project, curated_store: Path, profile: str
) -> None:
    in_memory = set(ReasoningBackend(MemoryBackend.of_project(project), profile).inferred())
    on_store = ReasoningBackend(OxigraphBackend(curated_store), profile)
    assert set(on_store.inferred()) == in_memory
    assert (KGR.xiaomi, RDF.type, KG.Organization) in in_memory
    assert on_store.scratch is not None and Path(on_store.scratch.name).parent == curated_store.parent
    before = OxigraphBackend(curated_store).triple_count()
    assert on_store.triple_count() == before + len(in_memory)
    assert OxigraphBackend(curated_store).triple_count() == before  # the store itself is left as it was


def test_kept_triples_say_something_about_the_data(project: Project) -> None:
    inferred = ReasoningBackend(MemoryBackend.of_project(project), "owl-rl").inferred()
    assert all(s != o for s, _, o in inferred)
    vocabularies = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#")
    assert not [t for t in inferred if str(t[0]).startswith(vocabularies)]
    assert not [t for t in inferred if t[1] == RDF.type and str(t[2]).startswith(vocabularies)]


def test_without_a_profile_the_backend_is_unchanged(project: Project) -> None:
    backend = MemoryBackend.of_project(project)
    assert with_reasoning(backend, None) is backend


def test_the_library_question_that_needs_reasoning_counts_every_organization_with_it(project: Project) -> None:
    def organization_row(*args: str) -> str:
        result = kg(project, "query", "organizations", *args)
        assert result.exit_code == 0, result.output
        (row,) = [line for line in result.stdout.splitlines() if line.startswith(f"{KG.Organization},")]
        return row.rsplit(",", 1)[1]

    assert organization_row("--reason", "rdfs") == "7"
    assert organization_row() == "0"
    assert "--reason rdfs" in (project.queries_dir / "organizations.rq").read_text(encoding="utf-8").split("\n\n")[0]
