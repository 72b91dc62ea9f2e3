"""The default backend's cache: an Oxigraph store of the project under .kg/, keyed by the files' contents."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.backends.cache import (
    CACHE_DIR,
    STORE_PREFIX,
    CacheBackend,
    build_cache,
    cache_key,
    cached_store,
)
from kg.backends.cache_engine import selected_variables
from kg.project import Project

NEW_COMPANY = """
<https://w3id.org/kg/id/cache-test-co> a <https://w3id.org/kg/ontology#Company> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Cache Test Co"@en .
"""
ASK_NEW = "ASK { <https://w3id.org/kg/id/cache-test-co> ?p ?o }"


def stores(project: Project) -> list[Path]:
    return sorted((project.root / CACHE_DIR).glob(f"{STORE_PREFIX}*"))


def test_the_cache_is_built_once_and_reused_while_the_files_stay_the_same(tmp_project: Project) -> None:
    first = CacheBackend(tmp_project).triple_count()
    (built,) = stores(tmp_project)
    marker = built / "kept"
    marker.write_text("")
    assert CacheBackend(tmp_project).triple_count() == first
    assert stores(tmp_project) == [built] and marker.exists()  # opened again, not rebuilt


def test_a_changed_file_is_never_answered_from_the_old_cache(tmp_project: Project) -> None:
    assert CacheBackend(tmp_project).engine().run(ASK_NEW).boolean is False
    (old,) = stores(tmp_project)
    with (tmp_project.data_dir / "organizations.ttl").open("a", encoding="utf-8") as handle:
        handle.write(NEW_COMPANY)
    assert CacheBackend(tmp_project).engine().run(ASK_NEW).boolean is True
    (new,) = stores(tmp_project)
    assert new != old and not old.exists()  # the stale store is gone


def test_the_cache_answers_as_the_files_in_memory_do(tmp_project: Project) -> None:
    from kg.backends.memory import MemoryBackend

    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
    cached = CacheBackend(tmp_project).engine().run(query)
    in_memory = MemoryBackend.of_project(tmp_project).engine().run(query)
    assert cached.rows == in_memory.rows and len(cached.rows) > 10


def test_deleting_the_cache_is_safe(tmp_project: Project) -> None:
    count = CacheBackend(tmp_project).triple_count()
    shutil.rmtree(tmp_project.root / CACHE_DIR)
    assert CacheBackend(tmp_project).triple_count() == count


def test_the_cache_keeps_out_of_the_project_sources_and_out_of_git(tmp_project: Project) -> None:
    before = {p: p.stat().st_mtime_ns for p in tmp_project.root.rglob("*") if p.is_file()}
    CacheBackend(tmp_project).triple_count()
    after = {p: p.stat().st_mtime_ns for p in tmp_project.root.rglob("*") if p.is_file()}
    added = [p for p in after if p not in before]
    assert added and all(p.relative_to(tmp_project.root).parts[0] == CACHE_DIR for p in added)
    assert all(after[p] == before[p] for p in before)
    assert "*" in (tmp_project.root / CACHE_DIR / ".gitignore").read_text().split()


def test_a_build_that_loses_the_race_keeps_the_winners_store(tmp_project: Project) -> None:
    files = tmp_project.graph_files()
    store = cached_store(tmp_project)  # the winner
    count = len(store)
    del store
    cache = tmp_project.root / CACHE_DIR
    (target,) = stores(tmp_project)
    loser = cache / ".build-loser"
    loser.mkdir()
    ontology = set(tmp_project.ontology_files())
    build_cache(cache, loser, target, files, ontology)  # the rename fails: the target is there already
    assert stores(tmp_project) == [target]
    assert len(cached_store(tmp_project)) == count


def test_two_processes_building_at_once_leave_one_good_store(tmp_project: Project) -> None:
    script = "import sys; from pathlib import Path; from kg.project import open_project; "
    script += "from kg.backends.cache import CacheBackend; "
    script += "print(CacheBackend(open_project(Path(sys.argv[1]))).triple_count())"
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_project.root)], stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    counts = {run.communicate()[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(counts) == 1
    assert len(stores(tmp_project)) == 1
    assert not list((tmp_project.root / CACHE_DIR).glob(".build-*"))  # no half-built folder left behind


def test_the_key_follows_names_and_contents(tmp_path: Path) -> None:
    one, two = tmp_path / "a.ttl", tmp_path / "b.ttl"
    one.write_text("x")
    two.write_text("y")
    key = cache_key([one, two], tmp_path)
    assert cache_key([one, two], tmp_path) == key
    assert cache_key([two, one], tmp_path) != key
    two.write_text("z")
    assert cache_key([one, two], tmp_path) != key


def test_a_bound_variable_the_query_selects_is_answered_by_oxigraph_without_the_files(tmp_project: Project) -> None:
    from rdflib import URIRef

    backend = CacheBackend(tmp_project)
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    xiaomi = URIRef("https://w3id.org/kg/id/xiaomi")
    answer = backend.engine().run(query, {"s": xiaomi})
    assert answer.rows and all(row[0] == xiaomi for row in answer.rows)
    assert "files" not in backend.__dict__  # the files were never parsed into rdflib


def test_a_bound_variable_the_query_does_not_select_goes_to_rdflib(tmp_project: Project) -> None:
    from rdflib import URIRef

    backend = CacheBackend(tmp_project)
    query = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    answer = backend.engine().run(query, {"s": URIRef("https://w3id.org/kg/id/xiaomi")})
    assert len(answer.rows) == 1
    assert "files" in backend.__dict__


@pytest.mark.parametrize(
    ("query", "selected"),
    [
        ("SELECT ?a ?b WHERE { ?a ?p ?b }", {"a", "b"}),
        ("SELECT (COUNT(?s) AS ?n) ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"n", "g"}),
        ("SELECT * WHERE { ?s ?p ?o }", set()),
        ("SELECT DISTINCT * { ?s ?p ?o }", set()),
        ("ASK { ?s ?p ?o }", None),
        ("# SELECT ?x\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", None),
    ],
)
def test_selected_variables(query: str, selected: set[str] | None) -> None:
    assert selected_variables(query) == selected
