"""The two halves of BARE_BUILD (benchmarks/bare_scripts.py), which puts BARE_RENDER's page between them;
bare_scripts.py's docstring says what the whole script does and what it leaves out.

``CHECK_AND_EXPORT``: load, validate, split, describe, write the RDF and network files. ``PAGES``: write the
page that BARE_RENDER's part made, the timeline, the validation report and the README. Both are Python
source for ``python -c PROJECT OUT``; they import no kg code.
"""

from __future__ import annotations

CHECK_AND_EXPORT = r'''
import calendar, csv, datetime, glob, hashlib, json, pathlib, re, shutil, sys, unicodedata
import jinja2, networkx as nx, pyoxigraph as ox, rdflib, shacl

root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
KG, KGG, XSD = "https://w3id.org/kg/ontology#", "https://w3id.org/kg/graph/", "http://www.w3.org/2001/XMLSchema#"
QUERY_PREFIXES = {
    "kg": KG, "kgr": "https://w3id.org/kg/id/", "kgs": "https://w3id.org/kg/statement/",
    "kgsrc": "https://w3id.org/kg/source/", "kgg": KGG, "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/", "wd": "http://www.wikidata.org/entity/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD, "owl": "http://www.w3.org/2002/07/owl#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/", "void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#",
}
ONTOLOGY_FILES = "urn:bare:ontology-files"


def select(query):
    rows = store.query(query, prefixes=QUERY_PREFIXES)
    return [[term.value if term is not None else "" for term in row] for row in rows]


# The files in one graph; the ontology's also in a graph of their own, whose subjects the split places.
store = ox.Store()
ontology = [p for p in sorted(glob.glob(f"{root}/ontology/*.ttl")) if not p.endswith("shapes.ttl")]
for path in [*ontology, f"{root}/seeds/manifest.ttl", *sorted(glob.glob(f"{root}/data/**/*.ttl", recursive=True))]:
    store.bulk_load(path=path)
for path in ontology:
    store.bulk_load(path=path, to_graph=ox.NamedNode(ONTOLOGY_FILES))

# The direct layer (kg.rdf.direct's rule), each edge also in the graph of each source that backs it.
store.update("""INSERT { ?subject ?property ?object . GRAPH ?graph { ?subject ?property ?object } } WHERE {
  ?statement kg:subject ?subject ; kg:predicate ?predicate ; kg:polarity kg:affirmed ; kg:rank ?rank ;
             kg:attribution ?attribution ; kg:likelihood ?likelihood .
  FILTER (?likelihood IN (kg:certain, kg:likely) && ?attribution != kg:curatorInference
          && ?rank != kg:deprecatedRank)
  FILTER NOT EXISTS { ?statement kg:outcome ?failed FILTER (?failed IN (kg:didNotHappen, kg:cancelled)) }
  FILTER (?rank = kg:preferredRank
          || NOT EXISTS { ?rival kg:rank kg:preferredRank ; kg:subject ?subject ; kg:predicate ?predicate })
  VALUES ?via { kg:object kg:value kg:earliestDate kg:latestDate }
  ?statement ?via ?object .
  BIND (IF(?via IN (kg:object, kg:value), ?predicate, ?via) AS ?property)
  FILTER (isIRI(?property) && !isLiteral(?subject))
  OPTIONAL { ?statement kg:source ?source }
  BIND (IRI(CONCAT(STR(kgg:), "source/", STRAFTER(STR(?source), STR(kgsrc:)))) AS ?graph)
}""", prefixes=QUERY_PREFIXES)

# Validation: the shapes in shacl, the checks in Oxigraph, each quote in its source, each recorded hash.
data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
shapes = ox.serialize(ox.parse(path=f"{root}/ontology/shapes.ttl"), format=ox.RdfFormat.N_TRIPLES)
report = shacl.Shapes.from_text(shapes.decode(), format="ntriples").validate_text(
    data.decode(), format="ntriples", allow_warnings=True)
problems = [] if report.conforms else [f"{len(report.results)} results of the shapes"]
for check in sorted(glob.glob(f"{root}/queries/checks/*-violation.rq")):
    text = pathlib.Path(check).read_text(encoding="utf-8")
    severity = re.search(r"^# severity: (\w+)", text, re.MULTILINE)
    rows = list(store.query(text, prefixes=QUERY_PREFIXES))
    if rows and (severity is None or severity[1] == "violation"):
        problems.append(f"{check}: {len(rows)} rows")


def fold(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


seeds = {}
for statement, quote, file in select("""SELECT ?statement ?quote ?file WHERE {
        ?statement kg:evidence ?quote ; kg:source ?source . ?source kg:sourceFile ?file }"""):
    if file not in seeds:
        seeds[file] = fold((root / "seeds" / file).read_text(encoding="utf-8"))
    if fold(quote) not in seeds[file]:
        problems.append(f"{statement}: quote not found in seeds/{file}")
for statement, quote, hedge in select("SELECT ?s ?quote ?hedge WHERE { ?s kg:evidence ?quote ; kg:hedge ?hedge }"):
    if fold(hedge) not in fold(quote):
        problems.append(f"{statement}: the hedge is not in the quote")
for file, recorded in select("SELECT ?file ?sha WHERE { ?source kg:sourceFile ?file ; kg:contentSha256 ?sha }"):
    if hashlib.sha256((root / "seeds" / file).read_bytes()).hexdigest() != recorded:
        problems.append(f"seeds/{file} changed since its hash was recorded")
if problems:
    sys.exit("validation failed: " + "; ".join(problems))

# The named graphs (kg.rdf.split): a statement in its sources' graphs, then what the ontology files describe,
# the source documents, and the rest in kgg:entities.
for update in (
    """INSERT { GRAPH ?graph { ?s ?p ?o } } WHERE {
        ?s kg:source ?source . FILTER EXISTS { { ?s kg:subject [] } UNION { ?s a/rdfs:subClassOf* kg:Statement } }
        ?s ?p ?o BIND (IRI(CONCAT(STR(kgg:), "source/", STRAFTER(STR(?source), STR(kgsrc:)))) AS ?graph) }""",
    f"""INSERT {{ GRAPH kgg:ontology {{ ?s ?p ?o }} }} WHERE {{
        {{ SELECT DISTINCT ?s WHERE {{ GRAPH <{ONTOLOGY_FILES}> {{ ?s ?a ?b }} }} }}
        ?s ?p ?o FILTER NOT EXISTS {{ ?s kg:source [] }} }}""",
    """INSERT { GRAPH kgg:sources { ?s ?p ?o } } WHERE {
        ?s a kg:SourceDocument ; ?p ?o FILTER NOT EXISTS { GRAPH kgg:ontology { ?s ?p ?o } } }""",
    f"""INSERT {{ GRAPH kgg:entities {{ ?s ?p ?o }} }} WHERE {{
        ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ONTOLOGY_FILES}>) }} }}""",
    f"DROP GRAPH <{ONTOLOGY_FILES}>",
):
    store.update(update, prefixes=QUERY_PREFIXES)

# The VoID description of the merged graph, its classes, properties, named graphs and files, in kgg:void.
D, A = "https://w3id.org/kg/dataset", QUERY_PREFIXES["rdf"] + "type"
V, DC, DCAT = QUERY_PREFIXES["void"], QUERY_PREFIXES["dcterms"], QUERY_PREFIXES["dcat"]
FILES = {"graph.ttl": "text/turtle", "graph.nt": "application/n-triples", "graph.nq": "application/n-quads",
         "graph.trig": "application/trig", "graph.jsonld": "application/ld+json", "graph.rdf": "application/rdf+xml",
         "graph.owl": "application/rdf+xml", "graph.graphml": "application/graphml+xml",
         "graph.gexf": "application/gexf+xml", "nodes.csv": "text/csv", "edges.csv": "text/csv",
         "void.ttl": "text/turtle"}
void = []


def say(s, p, o):
    void.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))


def number(n):
    return ox.Literal(n, datatype=ox.NamedNode(XSD + "integer"))


say(D, A, ox.NamedNode(V + "Dataset"))
say(D, A, ox.NamedNode(DCAT + "Dataset"))
say(D, DC + "title", ox.Literal("kg: a curated, provenance-first knowledge graph", language="en"))
totals = select("SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s2) (COUNT(DISTINCT ?o) AS ?o2) "
                "(COUNT(DISTINCT ?p) AS ?p2) WHERE { ?s ?p ?o }")[0]
for name, value in zip(("triples", "distinctSubjects", "distinctObjects", "properties"), totals):
    say(D, V + name, number(value))
for version, licence in select("SELECT ?v ?l WHERE { ?o a owl:Ontology ; owl:versionInfo ?v "
                               "OPTIONAL { ?o dcterms:license ?l } }"):
    say(D, QUERY_PREFIXES["owl"] + "versionInfo", ox.Literal(version))
    if licence:
        say(D, DC + "license", ox.NamedNode(licence))
for (source,) in select("SELECT DISTINCT ?source WHERE { ?s kg:source ?source }"):
    say(D, DC + "source", ox.NamedNode(source))
    say(D, QUERY_PREFIXES["prov"] + "wasDerivedFrom", ox.NamedNode(source))
for kind, partition, key, count, query in (
    ("class", "classPartition", "class", "entities", "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) { ?s a ?x } GROUP BY ?x"),
    ("property", "propertyPartition", "property", "triples", "SELECT ?x (COUNT(*) AS ?n) { ?s ?x ?o } GROUP BY ?x"),
):
    for i, (term, n) in enumerate(sorted(select(query))):
        say(D, V + partition, ox.NamedNode(f"{D}/{kind}/{i}"))
        say(f"{D}/{kind}/{i}", V + key, ox.NamedNode(term))
        say(f"{D}/{kind}/{i}", V + count, number(n))
for graph, n in select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
    say(D, V + "subset", ox.NamedNode(graph))
    say(graph, A, ox.NamedNode(V + "Dataset"))
    say(graph, V + "triples", number(n))
for name, media in FILES.items():
    say(D, DCAT + "distribution", ox.NamedNode(f"{D}/distribution/{name}"))
    say(f"{D}/distribution/{name}", A, ox.NamedNode(DCAT + "Distribution"))
    say(f"{D}/distribution/{name}", DC + "title", ox.Literal(name))
    say(f"{D}/distribution/{name}", DCAT + "mediaType", ox.Literal(media))
store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(KGG + "void")) for t in void)

# The RDF files: Oxigraph writes the named graphs and their union; rdflib JSON-LD, RDF/XML and the OWL export.
shutil.rmtree(out, ignore_errors=True)
out.mkdir(parents=True)
named = [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]
union = list({ox.Triple(q.subject, q.predicate, q.object) for q in named})
nquads = ox.serialize(named, format=ox.RdfFormat.N_QUADS)
ntriples = ox.serialize(union, format=ox.RdfFormat.N_TRIPLES)
(out / "graph.nq").write_bytes(nquads)
(out / "graph.nt").write_bytes(ntriples)
ox.serialize(named, str(out / "graph.trig"), format=ox.RdfFormat.TRIG, prefixes=QUERY_PREFIXES)
ox.serialize(union, str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE, prefixes=QUERY_PREFIXES)
ox.serialize(void, str(out / "void.ttl"), format=ox.RdfFormat.TURTLE, prefixes=QUERY_PREFIXES)
dataset = rdflib.Dataset()
dataset.parse(data=nquads, format="nquads")
context = json.loads((root / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
jsonld = dataset.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
(out / "graph.jsonld").write_bytes(jsonld)
graph = rdflib.Graph()
graph.parse(data=ntriples, format="nt")
for prefix, namespace in QUERY_PREFIXES.items():
    graph.bind(prefix, namespace)
(out / "graph.rdf").write_bytes(graph.serialize(format="xml", encoding="utf-8"))
OWL2 = {XSD + t for t in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language Name "
    "NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()}
OWL, RDF = rdflib.OWL, rdflib.RDF
for s, p, o in list(graph):  # a literal OWL 2 lacks the datatype of: a string, its datatype annotated
    if isinstance(o, rdflib.Literal) and o.datatype is not None and str(o.datatype) not in OWL2:
        string = rdflib.Literal(str(o), datatype=rdflib.XSD.string)
        graph.remove((s, p, o))
        graph.add((s, p, string))
        axiom = rdflib.BNode("owl" + hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:32])
        for triple in ((RDF.type, OWL.Axiom), (OWL.annotatedSource, s), (OWL.annotatedProperty, p),
                       (OWL.annotatedTarget, string), (rdflib.URIRef(KG + "rdfDatatype"), o.datatype)):
            graph.add((axiom, *triple))
(out / "graph.owl").write_bytes(graph.serialize(format="xml", encoding="utf-8"))

# The entity network: the entities, and every statement between two of them with its axes and source.
entities = select("""SELECT ?node (SAMPLE(?name) AS ?label) (MIN(?class) AS ?kind)
    (GROUP_CONCAT(DISTINCT STRAFTER(STR(?class), STR(kg:)); separator=" ") AS ?classes) (SAMPLE(?item) AS ?wikidata)
    WHERE { ?node a ?class . ?class rdfs:subClassOf* kg:Entity . FILTER isIRI(?node)
            OPTIONAL { ?node rdfs:label ?name } OPTIONAL { ?node kg:wikidataEntity ?item } }
    GROUP BY ?node ORDER BY ?node""")
AXES = ("attribution", "timing", "outcome", "likelihood", "polarity", "rank")
claims = select(f"""SELECT ?from ?to ?property ?statement {" ".join("?" + a for a in AXES)} ?attributedTo
    ?rankReason ?hedge ?source ?sourceLabel ?direct WHERE {{
    ?statement kg:subject ?from ; kg:predicate ?property ; kg:object ?to .
    FILTER EXISTS {{ ?from a/rdfs:subClassOf* kg:Entity }} FILTER EXISTS {{ ?to a/rdfs:subClassOf* kg:Entity }}
    {" ".join(f"OPTIONAL {{ ?statement kg:{a} ?{a} }}" for a in AXES)}
    OPTIONAL {{ ?statement kg:attributedTo ?attributedTo }} OPTIONAL {{ ?statement kg:rankReason ?rankReason }}
    OPTIONAL {{ ?statement kg:hedge ?hedge }}
    OPTIONAL {{ ?statement kg:source ?source OPTIONAL {{ ?source rdfs:label ?sourceLabel }} }}
    BIND (EXISTS {{ ?from ?property ?to }} AS ?direct) }} ORDER BY ?from ?property ?to ?statement""")
NODE_COLUMNS = ("id", "label", "class", "classes", "wikidata")
EDGE_COLUMNS = ("source", "target", "predicate", "statement", *AXES, "attributed_to", "rank_reason", "hedge",
                "document", "document_label", "direct")
with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as handle:
    csv.writer(handle).writerows([NODE_COLUMNS, *entities])
with open(out / "edges.csv", "w", newline="", encoding="utf-8") as handle:
    csv.writer(handle).writerows([("id", *EDGE_COLUMNS), *([f"e{i}", *row] for i, row in enumerate(claims))])
network = nx.MultiDiGraph(name="kg")
for row in entities:
    network.add_node(row[0], **dict(zip(NODE_COLUMNS[1:], row[1:])))
for i, row in enumerate(claims):
    network.add_edge(row[0], row[1], key=f"e{i}", **dict(zip(EDGE_COLUMNS[2:], row[2:])))
nx.write_graphml(network, str(out / "graph.graphml"), encoding="utf-8", prettyprint=True)
nx.write_gexf(network, str(out / "graph.gexf"), encoding="utf-8", prettyprint=True)
'''

PAGES = r'''
(out / "graph.html").write_text(page, encoding="utf-8")

# The timeline: the library's query of dated claims, each a bar over the span its date's precision gives, the
# claims of unsettled conflicts (the library's query) in red; one SVG page written by Jinja.
conflicted = {s for row in select((root / "queries" / "conflicts.rq").read_text(encoding="utf-8"))
              if row[-1] == "false" for s in row[:2]}


def day(text, precision, last):
    year, month, date = (int(x) for x in (text[:10].split("-") + ["1", "1"])[:3])
    if last and precision == "year":
        month, date = 12, 31
    elif last and precision == "month":
        date = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, date)


bars = []
for date, until, precision, event, label, kind, *axes, hedge, source, statement in select(
        (root / "queries" / "timeline.rq").read_text(encoding="utf-8")):
    bars.append({"start": day(date, precision, False), "end": day(until or date, precision, True),
                 "label": f"{label or event} ({kind})", "date": date, "hedge": hedge, "source": source,
                 "axes": " ".join(a.rsplit("#", 1)[-1] for a in axes if a), "conflict": statement in conflicted})
first = min((b["start"] for b in bars), default=datetime.date(2000, 1, 1))
days = max(((b["end"] - first).days for b in bars), default=1) or 1
for b in bars:
    b["x"], b["width"] = 200 + 700 * (b["start"] - first).days / days, 700 * ((b["end"] - b["start"]).days + 1) / days
timeline = jinja2.Environment(autoescape=True).from_string("""<!doctype html><html><head><meta charset="utf-8">
<title>timeline</title></head><body><svg xmlns="http://www.w3.org/2000/svg" width="920"
height="{{ 20 * bars|length + 20 }}">{% for b in bars %}<g><title>{{ b.date }} {{ b.axes }} {{ b.hedge }}
{{ b.source }}</title><text x="0" y="{{ 20 * loop.index }}">{{ b.label }}</text><rect y="{{ 20 * loop.index - 12 }}"
x="{{ '%.1f'|format(b.x) }}" width="{{ '%.1f'|format([b.width, 2]|max) }}" height="14"
fill="{{ 'red' if b.conflict else 'steelblue' }}"/></g>{% endfor %}</svg></body></html>""").render(bars=bars)
(out / "timeline.html").write_text(timeline, encoding="utf-8")

(out / "validation-report.ttl").write_text(report.turtle, encoding="utf-8")
graphs = select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
readme = ["# kg: the built graph", "", f"{len(union)} triples, {len(entities)} entities, {len(claims)} claims.", "",
          "| file | media type |", "| --- | --- |", *(f"| `{n}` | {m} |" for n, m in FILES.items()), "",
          "## Named graphs", "", *(f"- `{g}`: {n} triples" for g, n in graphs)]
(out / "README.md").write_text("\n".join(readme) + "\n", encoding="utf-8")
'''
