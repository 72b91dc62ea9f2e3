"""Sheet rows to statement nodes: every name resolved, every quote found in the source, every number and
date found in its quote. Problems are collected, never raised, so that a sheet's are reported together."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.curate import numbers
from kg.curate.axes import read_axes
from kg.curate.names import NameIndex, NameProblem, Vocabulary
from kg.curate.passages import SourceText
from kg.curate.sheet import REQUIRED, Row
from kg.rdf.namespaces import KG, KGR, KGS
from kg.rdf.summary import local_name

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
NUMERIC_TYPES = {XSD.integer, XSD.decimal, XSD.double, XSD.nonNegativeInteger, XSD.positiveInteger}
NUMBER_PROPERTIES = {
    "amount": KG.amount,
    "min": KG.minInclusive,
    "max": KG.maxInclusive,
    "more_than": KG.minExclusive,
    "less_than": KG.maxExclusive,
}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class SourceContext:
    """What every row of one sheet is read against."""

    graph: Graph
    vocabulary: Vocabulary
    source: URIRef
    source_id: str
    language: str
    text: SourceText
    new_entities: dict[str, URIRef] = field(default_factory=dict)  # folded label -> IRI made by this sheet


def slug(text: str) -> str:
    """A local name made of the text: "Škoda Auto" is skoda-auto; text with no Latin letter or digit gets a hash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return made or "e-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


class RowReader:
    """One row read into the (property, object) pairs of its statement, or problems naming its columns."""

    def __init__(self, row: Row, context: SourceContext) -> None:
        self.row = row
        self.context = context
        self.problems: list[Problem] = []
        self.pairs: list[tuple[URIRef, Node]] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.row.number, column, message))

    def add(self, predicate: URIRef, value: Node | None) -> None:
        if value is not None:
            self.pairs.append((predicate, value))

    def name(self, column: str, index: NameIndex) -> URIRef | None:
        text = self.row.get(column)
        if not text:
            return None
        made = self.context.new_entities.get(text.casefold()) if index is self.context.vocabulary.entities else None
        if made is not None:
            return made
        try:
            return index.resolve(text)
        except NameProblem as problem:
            self.problem(column, str(problem))
            return None

    def quote_language(self, text: str) -> Literal:
        return Literal(text, lang=self.context.language)

    def checked(self, column: str, check: Callable[[str, str], str | None]) -> str | None:
        """The cell's text when its quote bears it out; None when empty, or when not (a problem is noted)."""
        text = self.row.get(column)
        if not text:
            return None
        problem = check(text, self.row.get("quote"))
        if problem:
            self.problem(column, problem)
            return None
        return text

    def date(self, column: str) -> Literal | None:
        text = self.checked(column, numbers.date_problem)
        return None if text is None else Literal(text, datatype=DATE_TYPES[len(text)])

    def number(self, column: str) -> Literal | None:
        text = self.checked(column, numbers.number_problem)
        if text is None:
            return None
        value = numbers.as_number(text)
        assert value is not None
        return Literal(int(value)) if value == value.to_integral_value() else Literal(value, datatype=XSD.decimal)

    def read(self) -> None:
        """Fill ``pairs`` from the row, or ``problems``."""
        vocabulary = self.context.vocabulary
        for column in REQUIRED:
            if not self.row.get(column):
                self.problem(column, f"empty: every claim needs its {column}")
        subject = self.name("subject", vocabulary.entities)
        predicate = self.name("property", vocabulary.properties)
        self.add(KG.subject, subject)
        self.add(KG.predicate, predicate)
        axes = read_axes(self.row.get)
        self.problems += [Problem(self.row.number, column, message) for column, message in axes.problems]
        self.pairs += axes.pairs
        self.add(KG.source, self.context.source)
        self.read_quote()
        self.read_kind(predicate)
        self.read_qualifiers()

    def read_quote(self) -> None:
        quote, hedge = self.row.get("quote"), self.row.get("hedge")
        if not quote:
            return
        if self.context.text.find(quote) is None:
            nearest = self.context.text.nearest(quote, 1)
            hint = f"; nearest, line {nearest[0].line}: {nearest[0].words!r}" if nearest else ""
            self.problem("quote", f"not in source {self.context.source_id}{hint}")
        self.add(KG.evidence, self.quote_language(quote))
        if hedge:
            if " ".join(hedge.split()) not in " ".join(quote.split()):
                self.problem("hedge", f"{hedge!r} is not part of the quote")
            self.add(KG.hedge, self.quote_language(hedge))

    def read_kind(self, predicate: URIRef | None) -> None:
        """The statement's class and value: an object, a value, a quantity or a period."""
        has = {c for c in ("object", "value") if self.row.get(c)}
        if has == {"object", "value"}:
            self.problem("value", "give object (an entity) or value (a literal), not both")
        elif has == {"object"}:
            self.refuse_property_kind(predicate, OWL.DatatypeProperty, "object", "takes a value, not an entity")
            self.add(RDF.type, KG.RelationStatement)
            self.add(KG.object, self.name("object", self.context.vocabulary.entities))
        elif has == {"value"}:
            self.refuse_property_kind(predicate, OWL.ObjectProperty, "value", "takes an entity (object), not a value")
            self.add(RDF.type, KG.ValueStatement)
            self.add(KG.value, self.value(predicate))
        elif any(self.row.get(c) for c in NUMBER_PROPERTIES):
            self.add(RDF.type, KG.QuantityStatement)
        elif self.row.get("start") and self.row.get("end"):
            self.add(RDF.type, KG.PeriodStatement)
            self.add(KG.earliestDate, self.date("start"))
            self.add(KG.latestDate, self.date("end"))
        else:
            self.problem(
                "object",
                "the row claims nothing: give object, value, a quantity (amount, min, max) or a period (start and end)",
            )

    def refuse_property_kind(self, predicate: URIRef | None, kind: URIRef, column: str, message: str) -> None:
        if predicate is not None and (predicate, RDF.type, kind) in self.context.graph:
            self.problem(column, f"{local_name(predicate)} {message}")

    def value(self, predicate: URIRef | None) -> Literal | None:
        """The value cell as a literal: a date, a number, or words in the source's language, by the property's
        range where it has one and by the cell's form where not."""
        text = self.row.get("value")
        datatype = self.context.graph.value(predicate, RDFS.range) if predicate is not None else None
        looks_dated = bool(numbers.ISO_DATE.match(text)) and "-" in text
        if predicate == KG.date or datatype in DATE_TYPES.values() or (datatype is None and looks_dated):
            return self.date("value")
        if datatype in NUMERIC_TYPES or (datatype is None and numbers.as_number(text) is not None):
            return self.number("value")
        return self.quote_language(text)

    def read_qualifiers(self) -> None:
        row, vocabulary = self.row, self.context.vocabulary
        period = RDF.type, KG.PeriodStatement
        self.add(KG.attributedTo, self.name("attributed_to", vocabulary.entities))
        self.add(KG.date, self.date("date"))
        if period not in self.pairs:
            self.add(KG.startDate, self.date("start"))
            if row.get("end"):
                self.problem("end", "end is the latest date of a period: give start and end, and no object or value")
        for column, predicate in NUMBER_PROPERTIES.items():
            self.add(predicate, self.number(column))
        self.add(KG.unit, self.name("unit", vocabulary.units))
        currency = row.get("currency")
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            self.problem("currency", f"{currency!r} is not an ISO 4217 code such as EUR")
        self.add(KG.currency, Literal(currency) if currency else None)
        self.add(KG.comparisonAspect, self.quote_language(row.get("aspect")) if row.get("aspect") else None)
        self.add(KG.curatorNote, Literal(row.get("note")) if row.get("note") else None)

    def statement_iri(self) -> URIRef:
        """An IRI made from the claim's content: the same row always gives the same IRI."""
        content = "\n".join(sorted(f"{p.n3()} {o.n3()}" for p, o in self.pairs))
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
        subject = dict(self.pairs).get(KG.subject)
        predicate = dict(self.pairs).get(KG.predicate)
        parts = [self.context.source_id]
        parts += [local_name(n) for n in (subject, predicate) if isinstance(n, URIRef)]
        return KGS[f"{'-'.join(slug(p) for p in parts)}-{digest}"]


def create_entities(rows: list[Row], context: SourceContext, graph: Graph) -> list[Problem]:
    """Add to ``graph`` the entities rows create (a name with a class, unknown so far); problems otherwise."""
    problems: list[Problem] = []
    vocabulary = context.vocabulary
    for row in rows:
        for column in ("subject", "object"):
            name, cls_name = row.get(column), row.get(f"{column}_class")
            if not cls_name or not name or name.casefold() in context.new_entities:
                continue
            if vocabulary.entities.knows(name):
                continue  # known already (an ambiguous name is reported where it is used): no new entity
            try:
                cls = vocabulary.classes.resolve(cls_name)
            except NameProblem as problem:
                problems.append(Problem(row.number, f"{column}_class", str(problem)))
                continue
            iri = KGR[slug(name)]
            if (iri, None, None) in context.graph:
                problems.append(Problem(row.number, column, f"kgr:{slug(name)} names another entity; name that one"))
                continue
            context.new_entities[name.casefold()] = iri
            graph.add((iri, RDF.type, cls))
            graph.add((iri, RDFS.label, Literal(name, lang=context.language)))
    return problems


def read_claims(rows: list[Row], context: SourceContext) -> tuple[Graph, Graph, list[Problem]]:
    """The statements the rows make, the entities they create, and every problem found."""
    statements, created = Graph(), Graph()
    problems = create_entities(rows, context, created)
    for row in rows:
        reader = RowReader(row, context)
        reader.read()
        problems += reader.problems
        if not reader.problems:
            iri = reader.statement_iri()
            for predicate, value in reader.pairs:
                statements.add((iri, predicate, value))
    return statements, created, problems
