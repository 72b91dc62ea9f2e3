"""Choosing a backend on the command line, and sending --bind values to a server as a VALUES block."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from kg.backends import store_path
from kg.backends.cache import CacheBackend
from kg.backends.endpoint import EndpointBackend, with_prefixes, with_values
from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import OxigraphBackend
from kg.cli import Settings
from kg.cli.options import BackendChoice, backend_options
from kg.errors import UsageError
from kg.project import Project
from kg.query.engines import rdflib_parse

XIAOMI = URIRef("https://w3id.org/kg/id/xiaomi")


@click.command()
@backend_options
def show(backend: BackendChoice) -> None:
    click.echo(f"{backend.describe()} store={backend.store} graphs={list(backend.graphs)}")


@pytest.mark.parametrize(
    ("arguments", "output"),
    [
        ([], "memory store=None graphs=[]"),
        (["--store", "oxigraph:data/store"], "oxigraph:data/store store=data/store graphs=[]"),
        (
            ["--endpoint", "http://127.0.0.1:8890/sparql", "--graph", "http://g/1", "--graph", "http://g/2"],
            "http://127.0.0.1:8890/sparql store=None graphs=['http://g/1', 'http://g/2']",
        ),
    ],
)
def test_backend_options_become_one_choice(arguments: list[str], output: str) -> None:
    result = CliRunner().invoke(show, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--store", "oxigraph:s", "--endpoint", "http://h/sparql"], "give --store or --endpoint, not both"),
        (["--graph", "http://g/1"], "--graph names graphs on a SPARQL server: it needs --endpoint"),
        (["--store", "s"], "--store 's': write oxigraph:PATH, the folder of an Oxigraph store"),
    ],
)
def test_backend_options_refuse_what_cannot_work(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(show, arguments, standalone_mode=False)
    assert isinstance(result.exception, UsageError)
    assert str(result.exception) == message


def test_each_choice_opens_its_backend(project: Project, tmp_path: Path) -> None:
    settings = Settings(project_dir=project.root, debug=False)
    assert isinstance(BackendChoice().open(settings), CacheBackend)  # the files, answered from .kg/'s store
    assert isinstance(BackendChoice().open(settings, "rdflib"), MemoryBackend)
    assert isinstance(BackendChoice(store=tmp_path).open(settings), OxigraphBackend)
    endpoint = BackendChoice(endpoint="http://127.0.0.1:9/sparql", graphs=("http://g",)).open(settings)
    assert isinstance(endpoint, EndpointBackend) and endpoint.graphs == ["http://g"]


def test_a_store_that_is_not_there_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no Oxigraph store at .*: create one with kg load --store oxigraph:"):
        OxigraphBackend(tmp_path / "none").triple_count()


def test_store_path_keeps_colons_in_the_path() -> None:
    assert store_path("oxigraph:C:/stores/kg") == Path("C:/stores/kg")


def test_the_memory_backend_answers_from_the_project(project: Project) -> None:
    backend = MemoryBackend.of_project(project, "oxigraph")
    answer = backend.engine().run("ASK { kgr:xiaomi kg:chiefExecutiveOfficer kgr:lei-jun }")
    assert answer.boolean is True
    assert backend.triple_count() == len(backend.graph()) > 1000
    with pytest.raises(UsageError, match="expected a CONSTRUCT or DESCRIBE query"):
        backend.construct("ASK {}")


QUERY = """# a comment with { braces } and WHERE {
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?organization ?ceo WHERE {
  ?organization kg:chiefExecutiveOfficer ?ceo .
  FILTER(?ceo != "WHERE { }")
}"""


def test_bindings_open_the_where_clause_as_values() -> None:
    sent = with_values(QUERY, {"organization": XIAOMI, "label": Literal('Lei "Jun"', lang="en")}, "q.rq")
    assert "WHERE { VALUES (?organization ?label) { (<https://w3id.org/kg/id/xiaomi> " in sent
    assert '"Lei \\"Jun\\""@en) }' in sent
    assert sent.startswith("# a comment with { braces } and WHERE {\n")  # the comment is left alone
    rdflib_parse(sent, "q.rq")  # and the result is still SPARQL


@pytest.mark.parametrize(
    ("query", "opening"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES"),
        ("ASK { ?s ?p ?o }", "ASK { VALUES"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { VALUES"),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "SELECT ?s WHERE { VALUES"),
        ("SELECT ?s FROM <urn:g> where {?s ?p ?o}", "where { VALUES"),
    ],
)
def test_the_values_block_goes_into_the_outermost_group(query: str, opening: str) -> None:
    sent = with_values(query, {"s": XIAOMI}, "q")
    assert opening in sent
    assert sent.count("VALUES") == 1


def test_no_bindings_leave_the_query_as_it_is() -> None:
    assert with_values(QUERY, {}, "q") == QUERY


def test_blank_nodes_and_queries_without_a_pattern_cannot_take_bindings() -> None:
    with pytest.raises(UsageError, match="a blank node cannot be sent to a server"):
        with_values(QUERY, {"ceo": BNode()}, "q")
    with pytest.raises(UsageError, match="--bind needs a WHERE clause"):
        with_values("DESCRIBE <https://w3id.org/kg/id/xiaomi>", {"x": XIAOMI}, "q")


def test_a_server_is_told_the_prefixes_kg_lets_queries_use_undeclared() -> None:
    sent = with_prefixes("SELECT ?kind WHERE { ?kind rdfs:subClassOf* kg:Event }")
    assert "PREFIX kg: <https://w3id.org/kg/ontology#>\n" in sent
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" in sent
    assert sent.endswith("SELECT ?kind WHERE { ?kind rdfs:subClassOf* kg:Event }")
    pyoxigraph.Store().query(sent)  # every line is SPARQL, with no prefix left undeclared


def test_a_query_keeps_the_prefixes_it_declares() -> None:
    query = "PREFIX kg: <urn:other#>\nprefix rdfs:<urn:labels#>\nSELECT * WHERE { ?s a kg:Event } # kgr:x"
    sent = with_prefixes(query)
    assert "PREFIX kg: <https" not in sent and "PREFIX rdfs: <http" not in sent
    assert "PREFIX kgr: <https://w3id.org/kg/id/>\n" in sent and sent.endswith(query)
