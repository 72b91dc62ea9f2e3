"""``kg entities`` and ``kg quote``: what a curator looks up while filling a sheet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef

from kg.curate.names import entities, labels_of, prefixed, term_index
from kg.curate.passages import Passage, SourceText
from kg.rdf.namespaces import KG, KGSRC
from kg.rdf.summary import entity_classes, local_name, most_specific_classes, statement_nodes, superclasses


@dataclass(frozen=True)
class EntityRow:
    label: str
    iri: str
    classes: str
    wikidata: str
    claims: int
    sources: str

    COLUMNS = ("label", "IRI", "class", "Wikidata", "claims", "sources")

    def cells(self) -> tuple[str, ...]:
        return (self.label, self.iri, self.classes, self.wikidata, str(self.claims), self.sources)


def claims_by_entity(graph: Graph) -> dict[URIRef, list[URIRef]]:
    """Each entity's claims as subject or object, with the sources they cite (one entry per claim)."""
    claims: dict[URIRef, list[URIRef]] = defaultdict(list)
    for statement in statement_nodes(graph):
        cited = sorted(s for s in graph.objects(statement, KG.source) if isinstance(s, URIRef))
        for role in (KG.subject, KG.object):
            for entity in graph.objects(statement, role):
                if isinstance(entity, URIRef):
                    claims[entity].append(cited[0] if cited else URIRef(""))
    return claims


def matching_entities(graph: Graph, text: str | None, class_name: str | None) -> list[EntityRow]:
    """The entities whose label, alias or IRI contains ``text`` (any case), of class ``class_name`` or below."""
    classes = entity_classes(graph)
    wanted_class = term_index(graph, "class", sorted(classes)).resolve(class_name) if class_name else None
    claims = claims_by_entity(graph)
    rows = []
    for entity in entities(graph):
        names = [*labels_of(graph, entity), prefixed(entity), str(entity)]
        if text and not any(text.casefold() in name.casefold() for name in names):
            continue
        specific = most_specific_classes(graph, entity, classes)
        if wanted_class is not None and not any(wanted_class in {c, *superclasses(graph, c)} for c in specific):
            continue
        wikidata = sorted(local_name(w) for w in graph.objects(entity, KG.wikidataEntity) if isinstance(w, URIRef))
        cited = sorted({local_name(s) for s in claims.get(entity, []) if str(s).startswith(str(KGSRC))})
        label = next(iter(labels_of(graph, entity)), "")
        rows.append(
            EntityRow(
                label,
                prefixed(entity),
                ", ".join(local_name(c) for c in specific),
                ", ".join(wikidata),
                len(claims.get(entity, [])),
                ", ".join(cited),
            )
        )
    return sorted(rows, key=lambda r: (r.label.casefold(), r.iri))


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned columns under a header, two spaces apart."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def find_quote(text: str, wanted: str) -> tuple[Passage | None, list[Passage]]:
    """Where ``wanted`` stands in ``text``, or None and the passages nearest to it."""
    source = SourceText(text)
    found = source.find(wanted)
    return (found, []) if found else (None, source.nearest(wanted))
