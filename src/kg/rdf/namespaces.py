"""The namespaces of the kg ontology and of the resources it describes."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/kg/ontology#")
KGR = Namespace("https://w3id.org/kg/id/")
KGS = Namespace("https://w3id.org/kg/statement/")
KGSRC = Namespace("https://w3id.org/kg/source/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

# The axes of a statement (kg:attribution ...) and the local names of their values, in the order the
# ontology's concept schemes give them.
AXES: dict[str, tuple[str, ...]] = {
    "attribution": ("ownVoice", "attributed", "curatorInference"),
    "timing": ("factual", "prospective"),
    "outcome": ("outcomeUnknown", "happened", "didNotHappen", "cancelled"),
    "likelihood": ("certain", "likely", "possible", "unlikely"),
    "polarity": ("affirmed", "negated"),
    "rank": ("preferredRank", "normalRank", "deprecatedRank"),
}

# The English labels of the axis values, as the ontology's skos:prefLabel gives them (a test holds the two
# equal): the view, the sheets and the summaries name values by them, with or without the ontology at hand.
AXIS_LABELS = {
    "ownVoice": "own voice",
    "attributed": "attributed",
    "curatorInference": "curator inference",
    "factual": "factual",
    "prospective": "prospective",
    "outcomeUnknown": "unknown",
    "happened": "happened",
    "didNotHappen": "did not happen",
    "cancelled": "cancelled",
    "certain": "certain",
    "likely": "likely",
    "possible": "possible",
    "unlikely": "unlikely",
    "affirmed": "affirmed",
    "negated": "negated",
    "preferredRank": "preferred",
    "normalRank": "normal",
    "deprecatedRank": "deprecated",
}

PREFIXES = {
    "kg": KG,
    "kgr": KGR,
    "kgs": KGS,
    "kgsrc": KGSRC,
    "prov": PROV,
    "schema": SCHEMA,
    "wd": WD,
}

# The W3C vocabularies every query and report may use without declaring them.
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
}
