"""Terms of the kg ontology that a query names but the ontology does not define.

A misspelt class or property (``kg:Persn``) is no error in SPARQL: the query runs and answers nothing.
kg query warns about such terms instead, so that 0 rows in silence do not pass for an answer. Only the
ontology's own namespace is checked: the other vocabularies (rdfs:, schema:, wd:) are not kg's to know.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.guard.sparql_lexer import tokens
from kg.rdf.namespaces import KG, PREFIXES

ONTOLOGY_NAMESPACE = str(KG)


def undefined_terms(query: str, ontology: Graph) -> list[str]:
    """The terms in the kg: namespace that ``query`` names and ``ontology`` says nothing about, each once,
    in the order they first appear, as written in the query."""
    prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
    found: dict[str, None] = {}
    declaring = False  # after PREFIX: the next name is declared, not used
    pending: str | None = None
    for token in tokens(query):
        if token.kind == "word" and token.text.upper() == "PREFIX":
            declaring = True
            continue
        if declaring and token.kind == "prefixed" and token.text.endswith(":"):
            pending, declaring = token.text[:-1], False
            continue
        if pending is not None and token.kind == "iri":
            prefixes[pending], pending = token.text[1:-1], None
            continue
        pending = None
        iri = term_iri(token.kind, token.text, prefixes)
        if iri is not None and is_ontology_term(iri) and (URIRef(iri), None, None) not in ontology:
            found.setdefault(token.text, None)
    return list(found)


def is_ontology_term(iri: str) -> bool:
    return iri.startswith(ONTOLOGY_NAMESPACE) and len(iri) > len(ONTOLOGY_NAMESPACE)


def term_iri(kind: str, text: str, prefixes: dict[str, str]) -> str | None:
    """The IRI a token names: an IRI in angle brackets, or a prefixed name whose prefix is known."""
    if kind == "iri":
        return text[1:-1]
    if kind != "prefixed":
        return None
    prefix, local = text.split(":", 1)
    namespace = prefixes.get(prefix)
    return None if namespace is None else namespace + local.rstrip(".")
