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
- BARE_BUILD: BARE_VALIDATE, then the graph written as Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD
  by pyoxigraph, the nodes and edges as CSV, and the page as BARE_RENDER writes it, into a fresh folder.
"""

from __future__ import annotations

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

_WRITE_ALL = """
import csv, shutil
out = pathlib.Path(sys.argv[2])
shutil.rmtree(out, ignore_errors=True)
out.mkdir(parents=True)
for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES),
                  ("graph.rdf", ox.RdfFormat.RDF_XML), ("graph.jsonld", ox.RdfFormat.JSON_LD)):
    store.dump(str(out / name), format=fmt, from_graph=ox.DefaultGraph())
for name, fmt in (("graph.nq", ox.RdfFormat.N_QUADS), ("graph.trig", ox.RdfFormat.TRIG)):
    store.dump(str(out / name), format=fmt)
with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as handle:
    csv.writer(handle).writerows([("id", "label", "class"), *nodes])
with open(out / "edges.csv", "w", newline="", encoding="utf-8") as handle:
    named = ((nodes[a][0], p, nodes[b][0]) for a, p, b in edges)
    csv.writer(handle).writerows([("source", "property", "target"), *named])
(out / "graph.html").write_text(page, encoding="utf-8")
"""

BARE_VALIDATE = _LOAD + _VALIDATE
BARE_RENDER = _LOAD + _DIRECT + _RENDER + _WRITE_PAGE
BARE_BUILD = _LOAD + _DIRECT + _VALIDATE + _RENDER + _WRITE_ALL
