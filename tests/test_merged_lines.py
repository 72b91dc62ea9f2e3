"""The merged graph as the cache keeps it, sorted N-Triples lines (kg.rdf.merged_lines), and what the split
reads off them: the union of a dataset's graphs as text, the lines the store would dump, the files' own terms."""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest

from kg.backends.cache import CACHE_DIR, MERGED_LINES, CacheBackend, cached_graph
from kg.backends.memory import MemoryBackend
from kg.export.exports import Exports
from kg.project import Project
from kg.rdf import publication
from kg.rdf.merged_lines import LineCollector, dumped_lines, sorted_distinct
from kg.rdf.quads import canonical_nquads, serialized, union_lines, without_graph

# Lines whose last term is not what it seems: IRIs and blank nodes inside strings, a datatype right before the
# graph, strings with spaces and escaped quotes, triples in the default graph beside quads in named ones.
TRICKY_NQUADS = rb"""<http://s.example/a> <http://s.example/p> <http://s.example/o> .
<http://s.example/a> <http://s.example/p> <http://s.example/o> <http://s.example/g> .
<http://s.example/a> <http://s.example/p> <http://s.example/o> _:graph .
<http://s.example/a> <http://s.example/p> "x <http://s.example/g>" .
<http://s.example/a> <http://s.example/p> "x <http://s.example/g>" <http://s.example/g> .
<http://s.example/a> <http://s.example/p> "x <y>"^^<http://s.example/type> .
<http://s.example/a> <http://s.example/p> "x <y>"^^<http://s.example/type> <http://s.example/g> .
<http://s.example/a> <http://s.example/p> "two words"@en .
<http://s.example/a> <http://s.example/p> "two words"@en-gb <http://s.example/g> .
<http://s.example/a> <http://s.example/p> "a \" _:b" _:graph .
<http://s.example/a> <http://s.example/p> "" .
<http://s.example/a> <http://s.example/p> "" <http://s.example/h> .
_:s <http://s.example/p> _:o .
_:s <http://s.example/p> _:o <http://s.example/g> .
_:s <http://s.example/p> "ends in a space " <http://s.example/g> .
"""


def oxigraph_union(nquads: bytes) -> bytes:
    """The union of the graphs as Oxigraph itself writes it: parsed, the graph names dropped, sorted lines."""
    triples = (quad.triple for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    lines = set(serialized(triples, ox.RdfFormat.N_TRIPLES).split(b"\n")) - {b""}
    return b"".join(line + b"\n" for line in sorted(lines))


def test_the_union_read_as_text_is_the_union_oxigraph_writes() -> None:
    nquads = canonical_nquads(TRICKY_NQUADS)
    assert union_lines(nquads) == oxigraph_union(nquads)
    assert without_graph(b'<http://s.example/a> <http://s.example/p> "x <y>"^^<http://s.example/t> .').endswith(
        b"<http://s.example/t> ."
    )


def test_the_union_of_a_shuffled_dataset_is_the_same_union() -> None:
    lines = TRICKY_NQUADS.split(b"\n")
    random.Random(5).shuffle(lines)
    assert union_lines(canonical_nquads(b"\n".join(lines))) == oxigraph_union(canonical_nquads(TRICKY_NQUADS))


def test_the_collector_keeps_the_default_graph_once_a_triple_and_sorted() -> None:
    quads = list(ox.parse(TRICKY_NQUADS, format=ox.RdfFormat.N_QUADS))
    spill = io.BytesIO()
    collector = LineCollector(spill)
    passed = list(collector.watch(quads))
    collector.add([quads[1]])  # a named quad added is kept as its triple, already there once
    assert passed == quads
    kept = sorted_distinct(spill.getvalue())
    store = ox.Store()
    store.extend(q for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
    assert kept == dumped_lines(store) and kept == sorted(set(kept))


def test_the_cache_keeps_the_lines_the_store_holds(tmp_project: Project) -> None:
    kept = cached_graph(tmp_project).merged_lines()
    (folder,) = (tmp_project.root / CACHE_DIR).glob("oxigraph-*")
    assert (folder / MERGED_LINES).is_file()
    assert kept == dumped_lines(cached_graph(tmp_project).store)  # the curated literals are canonical


def test_an_export_from_the_cache_dumps_no_store(tmp_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = Exports(MemoryBackend.of_project(tmp_project)).render("turtle")
    cached_graph(tmp_project)  # built first: the dump is what an export must not need

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the store was dumped")

    monkeypatch.setattr(publication, "dumped_lines", refuse)
    assert Exports(CacheBackend(tmp_project)).render("turtle") == expected


def test_the_lines_spell_literals_as_the_store_does(tmp_project: Project) -> None:
    with (tmp_project.data_dir / "entities" / "organizations.ttl").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n<https://w3id.org/kg/id/xiaomi> <https://w3id.org/kg/ontology#note> "
            '"042"^^<http://www.w3.org/2001/XMLSchema#integer> , "42"^^<http://www.w3.org/2001/XMLSchema#integer> , '
            '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> , '
            '"1.0E1"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
        )
    graph = cached_graph(tmp_project)
    kept = graph.merged_lines()
    assert kept == dumped_lines(graph.store)  # "042" and "42" are one term there, as Oxigraph keeps it
    written = Exports(CacheBackend(tmp_project)).render("ntriples")
    assert b'"42"^^<http://www.w3.org/2001/XMLSchema#integer>' in written and b'"042"' not in written
