"""The OWL export: the whole graph in RDF/XML with every literal inside the OWL 2 datatype map, for OWL tools.

The data keeps a date at the precision its source gives: ``"2024"^^xsd:gYear``, ``"2024-03"^^xsd:gYearMonth``,
``xsd:date``. OWL 2 knows none of them (its datatype map has xsd:dateTime and xsd:dateTimeStamp only), and
HermiT refuses a literal of any datatype outside the map; a datatype the ontology defines does not help, since
OWL 2 gives such a datatype no lexical forms, so no literal can use it (HermiT and Pellet both refuse one).

So this export writes such a literal as an ``xsd:string`` of the same lexical form and says, in an annotation on
the assertion, which datatype it had (docs/owl.md):

    kgr:production-start kg:date "2024"^^xsd:string .
    [] a owl:Axiom ; owl:annotatedSource kgr:production-start ; owl:annotatedProperty kg:date ;
       owl:annotatedTarget "2024"^^xsd:string ; kg:rdfDatatype xsd:gYear .

Reasoners read the string and leave the annotation alone; Protégé shows it on the assertion; and the mapping
is lossless: putting each annotated literal back into its datatype and dropping the annotations gives the
graph of the RDF exports again. Everything else is written as the RDF/XML export writes it.
"""

from __future__ import annotations

from hashlib import sha256

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg.errors import InputError
from kg.rdf.namespaces import KG
from kg.rdf.write import write_graph

OWL_FORMAT = "owl"  # kg export --format owl; a .owl file name still means plain RDF/XML (kg.rdf.formats)

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), the datatypes OWL tools must support.
XSD_IN_OWL2 = (
    "decimal",
    "integer",
    "nonNegativeInteger",
    "nonPositiveInteger",
    "positiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "double",
    "float",
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "boolean",
    "hexBinary",
    "base64Binary",
    "anyURI",
    "dateTime",
    "dateTimeStamp",
)
OWL2_DATATYPES = frozenset(
    {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational} | {XSD[name] for name in XSD_IN_OWL2}
)

RDF_DATATYPE = KG.rdfDatatype
DECLARATION = (
    (RDF_DATATYPE, RDF.type, OWL.AnnotationProperty),
    (RDF_DATATYPE, RDFS.label, Literal("RDF datatype", lang="en")),
    (
        RDF_DATATYPE,
        RDFS.comment,
        Literal(
            "On an assertion in kg's OWL export: the datatype its literal has in the graph, one outside the OWL 2 "
            "datatype map (xsd:gYear, xsd:gYearMonth, xsd:date); the export writes the literal's lexical form as "
            "an xsd:string.",
            lang="en",
        ),
    ),
)


def foreign_datatype(term: object) -> URIRef | None:
    """The datatype of ``term`` if it is a literal whose datatype OWL 2's datatype map lacks, else None."""
    if isinstance(term, Literal) and term.datatype is not None and term.datatype not in OWL2_DATATYPES:
        return URIRef(term.datatype)
    return None


def owl_graph(graph: Graph) -> Graph:
    """``graph`` (blank nodes labelled canonically already) with every literal outside the OWL 2 datatype map
    written as an xsd:string and annotated with its datatype; the graph's prefixes kept."""
    out = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in DECLARATION:
        out.add(triple)
    for s, p, o in graph:
        datatype = foreign_datatype(o)
        if datatype is None:
            out.add((s, p, o))
            continue
        string = Literal(str(o), datatype=XSD.string)
        if (s, p, string) in out or (s, p, string) in graph or (s, p, Literal(str(o))) in graph:
            raise InputError(
                f"cannot write {s.n3()} {p.n3()} {o.n3()} in the OWL export: "
                f"it would be the same assertion as another value {string.n3()}"
            )
        out.add((s, p, string))
        annotate(out, (s, p, string), datatype)
    return out


def annotate(out: Graph, triple: tuple[Node, Node, Literal], datatype: URIRef) -> None:
    """The axiom annotation that gives ``triple``'s literal its datatype back; its blank node's label is a hash
    of the triple, so the same graph always gives the same label."""
    s, p, o = triple
    axiom = BNode("owl" + sha256(f"{s.n3()} {p.n3()} {o.n3()}".encode()).hexdigest()[:32])
    out.add((axiom, RDF.type, OWL.Axiom))
    out.add((axiom, OWL.annotatedSource, s))
    out.add((axiom, OWL.annotatedProperty, p))
    out.add((axiom, OWL.annotatedTarget, o))
    out.add((axiom, RDF_DATATYPE, datatype))


def owl_export(graph: Graph) -> bytes:
    """The OWL export of ``graph`` (a union of canonically labelled graphs) in RDF/XML."""
    return write_graph(owl_graph(graph), "rdfxml")
