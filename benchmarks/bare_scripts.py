"""The bare scripts benchmarks/default_bench.py runs beside kg's commands: the same work with the same libraries
in a fresh Python process, with none of kg's checks, guards, caches or reports.

Each is Python source for ``python -c``; ``{src!r}`` stands for kg's src/ folder (for QUERY_PREFIXES only).

- BARE_QUERY: pyoxigraph opens a store (or loads the files given) and runs one query, CSV out.
- BARE_VALIDATE: pyoxigraph parses the files and writes N-Triples, the ``shacl`` engine validates them with
  the project's shapes, pyoxigraph runs the checks in queries/checks/.
- BARE_RENDER: pyoxigraph loads the files and derives the direct layer (kg.rdf.direct's update), one query
  gives the typed entities with their labels and one the edges between them; numpy places them (a force
  layout, 200 steps); Jinja writes one HTML page with vis-network (the copy inside pyvis, as kg uses)
  inlined and the nodes and edges as JSON.
- BARE_BUILD (benchmarks/bare_build.py, BARE_RENDER's page in the middle; it imports no kg code) makes the
  files of dist/, into a fresh folder, as ``kg build`` does:

  1. pyoxigraph loads the ontology (not the shapes), the manifest and the data into one in-memory store, the
     ontology files also into a graph of their own; one SPARQL update derives the direct layer (kg.rdf.direct's
     rule, written out) and puts each edge also into the graph of each source that backs it.
  2. It validates: the ``shacl`` engine with the project's shapes on the store's N-Triples, every query in
     queries/checks/ (those whose header says violation fail the build), every evidence quote searched for
     in its seed file (Unicode-normalised, white space folded, as kg's check), every hedge in its quote, and
     every recorded SHA-256 of a seed; any problem stops it before anything is written.
  3. It splits the graph as kg.rdf.split describes, with four SPARQL updates: each statement into the graph
     of each source it cites, what the ontology files describe into kgg:ontology, the source documents into
     kgg:sources, the rest into kgg:entities; a VoID/DCAT description (the counts of triples, subjects,
     objects and properties, a partition per class and per property, a subset per named graph, a
     distribution per file, the version, licence and sources) from a few SPARQL queries, into kgg:void.
  4. pyoxigraph writes N-Quads and TriG of the named graphs, N-Triples and Turtle of their union, and
     void.ttl; rdflib (the library kg uses for them) parses that N-Quads and N-Triples and writes JSON-LD of
     the named graphs with the project's context, RDF/XML of the union, and the OWL export: the union with
     every literal outside the OWL 2 datatype map as an xsd:string annotated with its datatype, in RDF/XML.
  5. Two queries give the entities (label, class, classes, Wikidata item) and every statement between two
     of them (its axes, who it is attributed to, rank reason, hedge, source and its label, whether the direct
     edge exists); the csv module writes them as nodes.csv and edges.csv, networkx as GraphML and GEXF.
  6. BARE_RENDER's part writes graph.html; the library's timeline and conflicts queries give the dated claims
     and the unsettled conflicts, drawn as bars on a time axis (a year or month spans its days) in one SVG
     page by Jinja; shacl's report is validation-report.ttl; a README lists the files and named graphs.

  What it leaves out, beside kg's guards (time, size and memory limits, the SPARQL guard, refusals of
  hostile input), its error messages and its atomic writes: sorted output and canonical blank-node labels
  (its bytes may change from run to run), the canonical writers' care (kg's own RDF/XML writer, JSON-LD
  sorted, the XML Schema spelling of numbers), the placing of blank nodes with what points at them and the
  hashed names of sources outside kgsrc: (the curated graph has neither), the unsourced graph, unbacked
  direct edges as edges of the network, each claim's standing and the rest of the page's looks (styles,
  legends, the sources' filter, conflict flags), the check and evidence results in the report, and kg's
  summary on standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
from bare_build import CHECK_AND_EXPORT, PAGES

BARE_QUERY = """
import sys, pyoxigraph as ox
sys.path.insert(0, {src!r})
from kg.query.engines import QUERY_PREFIXES
store = ox.Store.read_only(sys.argv[1]) if sys.argv[1] != "-" else ox.Store()
for path in sys.argv[3:]:
    store.bulk_load(path=path)
answer = store.query(open(sys.argv[2]).read(), prefixes=QUERY_PREFIXES)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
"""

_LOAD = """
import io, sys, glob, pyoxigraph as ox
sys.path.insert(0, {src!r})
from kg.query.engines import QUERY_PREFIXES
root = sys.argv[1]
files = sorted(glob.glob(root + "/ontology/*.ttl")) + [root + "/seeds/manifest.ttl"]
files = [f for f in files if not f.endswith("shapes.ttl")] + sorted(glob.glob(root + "/data/**/*.ttl", recursive=True))
store = ox.Store()
for path in files:
    store.bulk_load(path=path)
"""

_DIRECT = """
from kg.rdf.direct import DIRECT_EDGES_UPDATE
store.update(DIRECT_EDGES_UPDATE)  # the direct edges between entities, which the page draws
"""

_VALIDATE = """
import shacl
data = io.BytesIO()
store.dump(data, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
shapes = ox.serialize(ox.parse(path=root + "/ontology/shapes.ttl"), format=ox.RdfFormat.N_TRIPLES)
report = shacl.Shapes.from_text(shapes.decode(), format="ntriples").validate_text(
    data.getvalue().decode(), format="ntriples", allow_warnings=True)
checks = sorted(glob.glob(root + "/queries/checks/*-violation.rq"))
rows = sum(len(list(store.query(open(q).read(), prefixes=QUERY_PREFIXES))) for q in checks)
print(len(report.results), rows)
"""

_RENDER = """
import json, importlib.util, pathlib, numpy, jinja2
ENTITIES = '''SELECT ?node (SAMPLE(?name) AS ?label) (SAMPLE(?type) AS ?class) WHERE {
  ?node a ?type . ?type rdfs:subClassOf* kg:Entity . OPTIONAL { ?node rdfs:label ?name } } GROUP BY ?node'''
EDGES = '''SELECT ?from ?property ?to WHERE { ?from ?property ?to .
  ?from a/rdfs:subClassOf* kg:Entity . ?to a/rdfs:subClassOf* kg:Entity }'''
rows = store.query(ENTITIES, prefixes=QUERY_PREFIXES)
nodes = [(str(r[0].value), r[1].value if r[1] else str(r[0].value), r[2].value) for r in rows]
index = {iri: i for i, (iri, _, _) in enumerate(nodes)}
edges = sorted({(index[r[0].value], r[1].value, index[r[2].value]) for r in store.query(EDGES, prefixes=QUERY_PREFIXES)
                if r[0].value in index and r[2].value in index})
rng = numpy.random.default_rng(1)
xy = rng.normal(size=(len(nodes), 2)) * 100
pairs = numpy.array([(a, b) for a, _, b in edges] or [(0, 0)])
for step in range(200):
    delta = xy[:, None, :] - xy[None, :, :]
    distance = numpy.maximum(numpy.hypot(delta[..., 0], delta[..., 1]), 1.0)
    force = (delta / distance[..., None] ** 2).sum(axis=1) * 500
    pull = xy[pairs[:, 0]] - xy[pairs[:, 1]]
    numpy.add.at(force, pairs[:, 0], -pull * 0.05)
    numpy.add.at(force, pairs[:, 1], pull * 0.05)
    xy += numpy.clip(force, -10, 10)
pyvis = pathlib.Path(importlib.util.find_spec("pyvis").submodule_search_locations[0])
vis = pyvis / "templates/lib/vis-9.1.2/vis-network.min.js"
page = jinja2.Environment(autoescape=True).from_string('''<!doctype html><html><head><meta charset="utf-8">
<title>graph</title><script>{{ vis|safe }}</script></head><body><div id="graph"></div><script>
new vis.Network(document.getElementById("graph"), {nodes: {{ nodes|tojson }}, edges: {{ edges|tojson }}},
{physics: false});</script></body></html>''').render(
    vis=vis.read_text(), edges=[{"from": a, "to": b, "label": p} for a, p, b in edges],
    nodes=[{"id": i, "label": label, "title": iri, "group": cls, "x": float(xy[i, 0]), "y": float(xy[i, 1])}
           for i, (iri, label, cls) in enumerate(nodes)])
"""

_WRITE_PAGE = """
pathlib.Path(sys.argv[2]).write_text(page, encoding="utf-8")
"""

BARE_VALIDATE = _LOAD + _VALIDATE
BARE_RENDER = _LOAD + _DIRECT + _RENDER + _WRITE_PAGE
BARE_BUILD = CHECK_AND_EXPORT + _RENDER + PAGES
