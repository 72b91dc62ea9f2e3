"""Conflicts between sources: two statements whose values for a single-valued property cannot both hold.

A property typed ``kg:SingleValuedProperty`` (a date, a CEO, a price, a capacity) holds one value for a
subject. Two affirmed statements from different sources, with the same subject and such a property, are
a conflict when their values cannot both hold:

- dates and periods, when their intervals do not overlap at the precision the sources give (a year is
  its first to its last day, a month likewise), compared as "YYYY-MM-DD" strings;
- relations, when their objects differ; plain values, when the values differ;
- quantities in the same unit or currency, when their amounts differ or their bounds are disjoint.

A conflict is settled when a curator ranks one of the two ``kg:preferredRank`` or ``kg:deprecatedRank``
(with a ``kg:rankReason``); the direct layer (kg.rdf.direct) then follows the ranks.

``CONFLICTS_QUERY`` is the library's ``queries/conflicts.rq`` and ``CONFLICT_CHECK`` the warning of
``kg validate``, ``queries/checks/unsettled-conflict-violation.rq``: both are written from the pieces
below, and a test holds the files to them. One row (and one warning) per pair, the statement with the
smaller IRI first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.query.engines import QueryEngine

PREFIXES = """\
PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""

# Two affirmed statements about one subject and a single-valued property, from different sources: the
# candidates, found first, so that only they are read further.
CANDIDATES = """\
  # Two affirmed claims about one subject and a single-valued property, from sources that share none.
  ?statement kg:subject ?subject ; kg:predicate ?predicate ; kg:source ?source ; kg:polarity kg:affirmed .
  ?predicate a kg:SingleValuedProperty .
  ?otherStatement kg:subject ?subject ; kg:predicate ?predicate ; kg:source ?otherSource ; kg:polarity kg:affirmed .
  FILTER (STR(?statement) < STR(?otherStatement))
  FILTER NOT EXISTS { ?statement kg:source ?shared . ?otherStatement kg:source ?shared }
"""

# What ?statement claims, normalised so that two claims can be compared: its ?kind; the ?term it names (a
# relation's object, a value); or the interval its date or quantity spans, ?low .. ?high (each end open or
# closed, unbound where unbounded), in ?measure (a quantity's unit or currency); and ?value to show. Dates
# are widened to days: a year from its first day to its last, a month likewise. The other statement's
# claim is the same text with its variables renamed (?otherStatement, ?otherKind ...).
CLAIM = """\
  # What ?statement claims: its kind, the term it names, or the interval its date or quantity spans.
  FILTER NOT EXISTS { ?statement kg:source ?earlier FILTER (STR(?earlier) < STR(?source)) }
  OPTIONAL { ?statement kg:rank ?rank }
  OPTIONAL {
    ?statement kg:object ?object
    OPTIONAL {
      ?object rdfs:label ?label
      FILTER NOT EXISTS { ?object rdfs:label ?before FILTER (STR(?before) < STR(?label)) }
    }
  }
  OPTIONAL { ?statement kg:value ?given }
  OPTIONAL { ?statement kg:earliestDate ?earliestGiven }
  OPTIONAL { ?statement kg:latestDate ?latestGiven }
  OPTIONAL { ?statement kg:amount ?amount }
  OPTIONAL { ?statement kg:minInclusive ?minInclusive }
  OPTIONAL { ?statement kg:minExclusive ?minExclusive }
  OPTIONAL { ?statement kg:maxInclusive ?maxInclusive }
  OPTIONAL { ?statement kg:maxExclusive ?maxExclusive }
  OPTIONAL { ?statement kg:unit ?unit }
  OPTIONAL { ?statement kg:currency ?currency }
  BIND (BOUND(?given) && DATATYPE(?given) IN (xsd:date, xsd:dateTime, xsd:gYearMonth, xsd:gYear) AS ?dated)
  BIND (IF(BOUND(?object), "relation",
        IF(?dated || BOUND(?earliestGiven), "date", IF(BOUND(?given), "value", "quantity"))) AS ?kind)
  BIND (COALESCE(?object, ?given) AS ?term)
  BIND (IF(?dated, ?given, ?earliestGiven) AS ?earliest)
  BIND (IF(?dated, ?given, ?latestGiven) AS ?latest)
  BIND (IF(DATATYPE(?earliest) = xsd:gYear, CONCAT(SUBSTR(STR(?earliest), 1, 4), "-01-01"),
        IF(DATATYPE(?earliest) = xsd:gYearMonth, CONCAT(SUBSTR(STR(?earliest), 1, 7), "-01"),
        SUBSTR(STR(?earliest), 1, 10))) AS ?firstDay)
  BIND (IF(DATATYPE(?latest) = xsd:gYear, CONCAT(SUBSTR(STR(?latest), 1, 4), "-12-31"),
        IF(DATATYPE(?latest) = xsd:gYearMonth, CONCAT(SUBSTR(STR(?latest), 1, 7), "-31"),
        SUBSTR(STR(?latest), 1, 10))) AS ?lastDay)
  BIND (COALESCE(?amount, ?minInclusive, ?minExclusive) AS ?min)
  BIND (COALESCE(?amount, ?maxInclusive, ?maxExclusive) AS ?max)
  BIND (COALESCE(?firstDay, ?min) AS ?low)
  BIND (COALESCE(?lastDay, ?max) AS ?high)
  BIND (!BOUND(?amount) && !BOUND(?minInclusive) && BOUND(?minExclusive) AS ?lowOpen)
  BIND (!BOUND(?amount) && !BOUND(?maxInclusive) && BOUND(?maxExclusive) AS ?highOpen)
  BIND (COALESCE(STR(?unit), STR(?currency), "") AS ?measure)
  BIND (COALESCE(STR(?amount), CONCAT(
          COALESCE(CONCAT(IF(?lowOpen, "more than ", "at least "), STR(?min)), ""),
          IF(BOUND(?min) && BOUND(?max), " and ", ""),
          COALESCE(CONCAT(IF(?highOpen, "less than ", "at most "), STR(?max)), ""))) AS ?number)
  BIND (COALESCE(REPLACE(STR(?unit), "^.*[#/]", ""), STR(?currency), "") AS ?unitName)
  BIND (IF(?kind = "relation", COALESCE(STR(?label), STR(?object)),
        IF(BOUND(?given), STR(?given),
        IF(?kind = "date", CONCAT(STR(?earliestGiven), " .. ", STR(?latestGiven)),
        IF(?unitName = "", ?number, CONCAT(?number, " ", ?unitName))))) AS ?value)
"""

SHARED = ("subject", "predicate")
VARIABLE = re.compile(r"\?(\w+)")


def other(name: str) -> str:
    return f"other{name[0].upper()}{name[1:]}"


def other_claim() -> str:
    """CLAIM about ?otherStatement: every variable but the shared ?subject and ?predicate renamed."""
    return VARIABLE.sub(lambda m: m[0] if m[1] in SHARED else f"?{other(m[1])}", CLAIM)


# The pair cannot both hold: different terms, or intervals that do not overlap; settled when one is ranked.
VERDICT = """\
  # Claims of one kind and unit that cannot both hold; settled when either is ranked.
  FILTER (?kind = ?otherKind && ?measure = ?otherMeasure)
  FILTER (IF(?kind IN ("relation", "value"),
             !COALESCE(?term = ?otherTerm, sameTerm(?term, ?otherTerm)),
             (BOUND(?high) && BOUND(?otherLow)
              && (?high < ?otherLow || (?high = ?otherLow && (?highOpen || ?otherLowOpen))))
             || (BOUND(?otherHigh) && BOUND(?low)
                 && (?otherHigh < ?low || (?otherHigh = ?low && (?otherHighOpen || ?lowOpen))))))
  BIND (COALESCE(?rank, kg:normalRank) IN (kg:preferredRank, kg:deprecatedRank)
        || COALESCE(?otherRank, kg:normalRank) IN (kg:preferredRank, kg:deprecatedRank) AS ?settled)
"""

COLUMNS: tuple[str, ...] = ("statement", "otherStatement", "subject", "predicate", "value", "otherValue")
COLUMNS += ("source", "otherSource", "settled")

PAIRS_WHERE = f"WHERE {{\n{CANDIDATES}{CLAIM}{other_claim()}{VERDICT}}}\n"
PAIRS = f"SELECT {' '.join(f'?{c}' for c in COLUMNS)}\n{PAIRS_WHERE}"
# The check shows the values under other names: its ?value is what SHACL reports as sh:value.
CHECK_PAIRS = (
    "SELECT ?subject ?predicate ?statement ?otherStatement (?value AS ?shown) (?otherValue AS ?otherShown)"
    f" ?source ?otherSource ?settled\n{PAIRS_WHERE}"
)
ORDER = "ORDER BY ?subject ?predicate ?statement ?otherStatement\n"

QUERY_HEADER = f"""\
# title: Conflicts between sources
# question: Where do two sources give values for a single-valued property that cannot both hold, and is
#   each disagreement settled by rank?
# columns: {", ".join(COLUMNS)}
#
# A conflict is two affirmed statements from different sources about the same subject and a property typed
# kg:SingleValuedProperty: dates or periods whose intervals do not overlap (a year spans its first to its
# last day, a month likewise), relations to different objects, different values, or quantities in the same
# unit with different amounts or disjoint bounds. "settled" is true when one of the two is ranked
# kg:preferredRank or kg:deprecatedRank. Each pair is one row, the statement with the smaller IRI first.
# Written by kg.validate.conflicts, which also makes kg validate's warning of the same query.
"""

CONFLICTS_QUERY = f"{QUERY_HEADER}\n{PREFIXES}\n{PAIRS}{ORDER}"

CHECK_HEADER = """\
# The unsettled rows of queries/conflicts.rq, one warning per pair: the focus node is the subject, the path
# the property, the value the second statement; the message names both, with their values and sources.
# Written by kg.validate.conflicts.
#
# severity: warning
# message: Two sources disagree: {?statement} ({?shown}, from {?source}) and {?otherStatement} \
({?otherShown}, from {?otherSource}) cannot both hold; settle it by ranking one of them kg:preferredRank \
or kg:deprecatedRank, with a kg:rankReason.
"""

CONFLICT_CHECK = f"""\
{CHECK_HEADER}
{PREFIXES}
SELECT ?this ?path ?value ?statement ?otherStatement ?shown ?otherShown ?source ?otherSource
WHERE {{
  {{
{CHECK_PAIRS}  }}
  FILTER (!?settled)
  BIND (?subject AS ?this)
  BIND (?predicate AS ?path)
  BIND (?otherStatement AS ?value)
}}
"""


@dataclass(frozen=True)
class Conflict:
    """Two statements from different sources that give values of one single-valued property that cannot both hold."""

    statement: URIRef
    other_statement: URIRef
    subject: Node
    predicate: URIRef
    value: str
    other_value: str
    source: URIRef
    other_source: URIRef
    settled: bool


def find_conflicts(engine: QueryEngine) -> list[Conflict]:
    """Every conflicting pair of statements the ``engine``'s graph holds, settled or not, in the query's order."""
    answer = engine.run(CONFLICTS_QUERY, source="kg.validate.conflicts")
    return [conflict(row) for row in answer.rows]


def conflict(row: tuple[Node | None, ...]) -> Conflict:
    statement, other_statement, subject, predicate, value, other_value, source, other_source, settled = row
    assert isinstance(statement, URIRef) and isinstance(other_statement, URIRef)
    assert isinstance(predicate, URIRef) and subject is not None
    assert isinstance(source, URIRef) and isinstance(other_source, URIRef)
    assert isinstance(settled, Literal)
    return Conflict(
        statement,
        other_statement,
        subject,
        predicate,
        str(value),
        str(other_value),
        source,
        other_source,
        bool(settled.toPython()),
    )
