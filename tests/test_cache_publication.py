"""The default backend exports from its cache: kg's split and VoID made in the cached store, no rdflib graph
of the files, the same bytes as the files parsed into memory, and kept for the next export."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.backends import cache
from kg.backends.cache import CACHE_DIR, PUBLICATION, CacheBackend
from kg.backends.memory import MemoryBackend
from kg.export.exports import Exports
from kg.project import Project

RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")
QUAD_FORMATS = ("turtle", "trig", "nquads", "ntriples")

# A second source with what the split must place with care: blank nodes under a statement and nested, a
# statement without a source, a hand-written edge no statement backs, a blank node nothing points at, a
# source outside kgsrc:, and a prefix only this file declares.
AWKWARD = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgr: <https://w3id.org/kg/id/> .
@prefix kgs: <https://w3id.org/kg/statement/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/only-here/> .

ex:article a kg:SourceDocument ; rdfs:label "An article elsewhere"@en .

kgs:elsewhere-ceo a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:chiefExecutiveOfficer ; kg:object kgr:lei-jun ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:preferredRank ;
    kg:rankReason "the newer report" ;
    kg:source ex:article ;
    kg:evidence "Lei Jun, Xiaomi's CEO"@en ;
    rdfs:seeAlso [ rdfs:label "a note" ; rdfs:seeAlso [ rdfs:label "nested" ] ] .

kgs:orphan a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:owns ; kg:object kgr:bmw ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank .

kgr:xiaomi kg:usesBrand kgr:borgward ; ex:note "only here" .
[] rdfs:label "about nothing of ours" .
"""


def exports_of(backend: CacheBackend | MemoryBackend) -> dict[str, bytes]:
    exports = Exports(backend)
    return {name: exports.render(name) for name in RDF_FORMATS}


@pytest.fixture
def awkward_project(tmp_project: Project) -> Project:
    (tmp_project.data_dir / "sources" / "awkward.ttl").write_text(AWKWARD, encoding="utf-8")
    return tmp_project


def test_the_cache_exports_what_the_files_in_memory_export(tmp_project: Project) -> None:
    cached, in_memory = exports_of(CacheBackend(tmp_project)), exports_of(MemoryBackend.of_project(tmp_project))
    for name in RDF_FORMATS:
        assert cached[name] == in_memory[name], name


def test_blank_nodes_unsourced_statements_and_odd_sources_split_the_same_way(awkward_project: Project) -> None:
    cached = exports_of(CacheBackend(awkward_project))
    in_memory = exports_of(MemoryBackend.of_project(awkward_project))
    for name in RDF_FORMATS:
        assert cached[name] == in_memory[name], name
    trig = cached["trig"].decode()
    assert "kgg:unsourced" in trig and "@prefix ex: <http://example.org/only-here/>" in trig
    assert trig.count('"nested"') == 1  # the nested blank node went with its statement, once


def test_exports_of_the_quad_formats_parse_no_file_into_rdflib(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {name: Exports(MemoryBackend.of_project(tmp_project)).render(name) for name in QUAD_FORMATS}

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the files were parsed into rdflib")

    monkeypatch.setattr(cache, "load_project", refuse)
    exports = Exports(CacheBackend(tmp_project))
    for name in QUAD_FORMATS:
        assert exports.render(name) == expected[name], name


def test_the_publication_is_made_once_and_kept_beside_the_store(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Exports(CacheBackend(tmp_project)).render("nquads")
    (kept,) = (tmp_project.root / CACHE_DIR).glob(f"*/{PUBLICATION}")
    assert kept.stat().st_size > 0

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the publication was made again")

    monkeypatch.setattr(cache, "publish_store", refuse)
    assert Exports(CacheBackend(tmp_project)).render("nquads") == first


def test_a_changed_file_makes_a_new_publication(tmp_project: Project) -> None:
    before = Exports(CacheBackend(tmp_project)).render("nquads")
    with (tmp_project.data_dir / "entities" / "organizations.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n<https://w3id.org/kg/id/new-co> a <https://w3id.org/kg/ontology#Company> .\n")
    after = Exports(CacheBackend(tmp_project)).render("nquads")
    assert b"<https://w3id.org/kg/id/new-co>" in after and b"new-co" not in before


def test_a_read_only_checkout_still_exports(tmp_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = Exports(MemoryBackend.of_project(tmp_project)).render("trig")

    def unwritable(*_: object, **__: object) -> Path:
        raise OSError("read-only file system")

    monkeypatch.setattr(cache.tempfile, "mkdtemp", unwritable)
    assert Exports(CacheBackend(tmp_project)).render("trig") == expected
    assert not list((tmp_project.root / CACHE_DIR).glob("*/store"))
