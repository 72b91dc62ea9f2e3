"""The dated claims of the graph, each with its span of time, its axes and its source: what the timeline draws.

One SPARQL query (``DATED_CLAIMS``) asks the backend's engine for every dated claim, the same way for the
files, a store and a server:

- a value statement of kg:date (``kgs:car-industry-entry-date``: 2021);
- a kg:PeriodStatement, dated between its kg:earliestDate and kg:latestDate (mass production in the first
  half of 2024);
- a relation statement with a kg:startDate qualifier (Xiaomi owns Foton Motor from 2022-11).

Each comes with every axis of the statement model (attribution, timing, outcome, likelihood, polarity,
rank; docs/modelling.md), the labels of the axes' concepts as the ontology gives them, the source and the
evidence. ``dated_claims`` turns the rows into one ``DatedClaim`` per statement; kg.view.timeline_rows
finds the conflicts and orders them, kg.view.timeline_page draws them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.query.engines import QueryEngine
from kg.rdf.namespaces import AXES, KG
from kg.view.timeline_dates import Span, date_span, period_span

TEXTS = ("subjectLabel", "predicateLabel", "objectLabel", "sourceLabel", "attributedToLabel")
NOTES = ("hedge", "evidence", "rankReason", "curatorNote")
Found = dict[str, list[Node]]  # every value a column takes in one statement's rows

AXIS_PATTERNS = "\n".join(
    f"  OPTIONAL {{ ?statement kg:{axis} ?{axis} . OPTIONAL {{ ?{axis} skos:prefLabel ?{axis}Label }} }}"
    for axis in AXES
)
NOTE_PATTERNS = "\n".join(f"  OPTIONAL {{ ?statement kg:{note} ?{note} }}" for note in NOTES)

DATED_CLAIMS = f"""PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?statement ?kind ?subject ?predicate ?object ?date ?latest ?source
       {" ".join(f"?{axis} ?{axis}Label" for axis in AXES)}
       {" ".join(f"?{text}" for text in TEXTS)} {" ".join(f"?{note}" for note in NOTES)}
WHERE {{
  {{ ?statement kg:predicate kg:date ; kg:value ?date . BIND("date" AS ?kind) }}
  UNION {{ ?statement a kg:PeriodStatement ; kg:earliestDate ?date ; kg:latestDate ?latest . BIND("period" AS ?kind) }}
  UNION {{ ?statement kg:startDate ?date ; kg:object ?object . BIND("start" AS ?kind) }}
  ?statement kg:subject ?subject ; kg:predicate ?predicate .
  OPTIONAL {{ ?subject rdfs:label ?subjectLabel }}
  OPTIONAL {{ ?predicate rdfs:label ?predicateLabel }}
  OPTIONAL {{ ?object rdfs:label ?objectLabel }}
  OPTIONAL {{ ?statement kg:source ?source . OPTIONAL {{ ?source rdfs:label ?sourceLabel }} }}
  OPTIONAL {{ ?statement kg:attributedTo ?who . OPTIONAL {{ ?who rdfs:label ?attributedToLabel }} }}
{AXIS_PATTERNS}
{NOTE_PATTERNS}
}}
ORDER BY ?statement"""


@dataclass(frozen=True)
class DatedClaim:
    """One statement's date on the time axis, with what a reader needs to weigh it."""

    statement: str
    kind: str  # "date", "period" or "start" (a relation's kg:startDate)
    span: Span
    subject: str
    predicate: str
    object: str  # the relation's object, for a start date; "" otherwise
    source: str  # "" when the statement names none
    axes: dict[str, str]  # axis -> concept's kg: local name, "" when not given, "other" for a foreign value
    axis_labels: dict[str, str]  # axis -> the concept's skos:prefLabel (its local name when it has none)
    texts: dict[str, str]  # the labels in TEXTS and the notes in NOTES, "" when absent

    @property
    def label(self) -> str:
        """What the claim is about: the subject's label, or its IRI."""
        return self.texts["subjectLabel"] or self.subject

    @property
    def what(self) -> str:
        """Which date it is: "date", "period", or the relation that starts, "owns Foton Motor"."""
        if self.kind != "start":
            return "date" if self.kind == "date" else "period"
        predicate = self.texts["predicateLabel"] or local_name(self.predicate)
        return f"{predicate} {self.texts['objectLabel'] or self.object} (from)"


@dataclass(frozen=True)
class DatedClaims:
    """Every dated claim the timeline draws, and the statements whose date it could not read."""

    claims: tuple[DatedClaim, ...]
    unreadable: tuple[tuple[str, str], ...]  # (statement, its date as written), sorted


def dated_claims(engine: QueryEngine) -> DatedClaims:
    """The dated claims of the graph behind ``engine``, one per statement, sorted by statement IRI."""
    result = engine.run(DATED_CLAIMS, source="<timeline>")
    return read_rows(result.variables, result.rows)


def read_rows(variables: Sequence[str], rows: Iterable[Sequence[Node | None]]) -> DatedClaims:
    """The claims in the query's rows: a statement's rows (one per combination of its OPTIONAL values)
    become one claim, each field taking the same value whatever order the engine returned them in."""
    claims, unreadable = [], []
    for (statement, kind), found in sorted(grouped_rows(variables, rows).items()):
        span = claim_span(kind, found)
        if span is None:
            written = "/".join(text(found, name) for name in ("date", "latest") if found.get(name))
            unreadable.append((statement, written))
        else:
            claims.append(make_claim(statement, kind, span, found))
    return DatedClaims(tuple(claims), tuple(unreadable))


def grouped_rows(variables: Sequence[str], rows: Iterable[Sequence[Node | None]]) -> dict[tuple[str, str], Found]:
    """Every value each column takes in the rows of one (statement, kind)."""
    grouped: dict[tuple[str, str], Found] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        values = dict(zip(variables, row, strict=True))
        node, kind = values.get("statement"), values.get("kind")
        if node is not None and kind is not None:
            found = grouped[(str(node), str(kind))]
            for name, value in values.items():
                if value is not None:
                    found[name].append(value)
    return grouped


def claim_span(kind: str, found: Found) -> Span | None:
    first = choose(found.get("date", []))
    if kind == "period":
        return period_span(first, choose(found.get("latest", [])))
    return date_span(first)


def make_claim(statement: str, kind: str, span: Span, found: Found) -> DatedClaim:
    axes, axis_labels = {}, {}
    for axis, concepts in AXES.items():
        value = text(found, axis)
        name = local_name(value) if value.startswith(str(KG)) else ""
        axes[axis] = name if name in concepts else ("other" if value else "")
        axis_labels[axis] = text(found, f"{axis}Label") or (local_name(value) if value else "")
    return DatedClaim(
        statement=statement,
        kind=kind,
        span=span,
        subject=text(found, "subject"),
        predicate=text(found, "predicate"),
        object=text(found, "object"),
        source=text(found, "source"),
        axes=axes,
        axis_labels=axis_labels,
        texts={name: text(found, name) for name in (*TEXTS, *NOTES)},
    )


def choose(values: Sequence[Node]) -> Node | None:
    """One value of several, the same whatever their order: English or untagged text first, then the least."""
    if not values:
        return None
    return min(values, key=preference)


def preference(value: Node) -> tuple[int, str, str]:
    language = (value.language or "") if isinstance(value, Literal) else ""
    rank = 0 if language.lower().startswith("en") else 1 if not language else 2
    return rank, str(value), value.n3() if isinstance(value, (Literal, URIRef)) else str(value)


def text(found: Found, name: str) -> str:
    value = choose(found.get(name, []))
    return "" if value is None else str(value)


def local_name(iri: str) -> str:
    """The part of an IRI after its last # or /: a readable stand-in for a label."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri
