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

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.query.engines import QueryEngine

PREFIXES = """\
PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""

# What one statement claims, normalised so that two can be compared: its kind, the term it names (a
# relation's object, a value), or the interval its value spans (?low .. ?high, each end open or closed,
# unbound where unbounded) in ?measure (a quantity's unit or currency), and ?value to show.
CLAIM = """\
      ?statement kg:subject ?subject ; kg:predicate ?predicate ; kg:source ?source ; kg:polarity kg:affirmed .
      ?predicate a kg:SingleValuedProperty .
      FILTER NOT EXISTS { ?statement kg:source ?first FILTER (STR(?first) < STR(?source)) }
      OPTIONAL { ?statement kg:rank ?rank }
      {
        ?statement kg:object ?term .
        OPTIONAL {
          ?term rdfs:label ?label
          FILTER NOT EXISTS { ?term rdfs:label ?before FILTER (STR(?before) < STR(?label)) }
        }
        BIND ("relation" AS ?kind)
        BIND (COALESCE(STR(?label), STR(?term)) AS ?value)
      } UNION {
        ?statement kg:value ?term .
        FILTER (DATATYPE(?term) NOT IN (xsd:date, xsd:dateTime, xsd:gYearMonth, xsd:gYear))
        BIND ("value" AS ?kind)
        BIND (STR(?term) AS ?value)
      } UNION {
        ?statement kg:value ?earliest .
        FILTER (DATATYPE(?earliest) IN (xsd:date, xsd:dateTime, xsd:gYearMonth, xsd:gYear))
        BIND (?earliest AS ?latest)
        BIND ("date" AS ?kind)
        BIND (STR(?earliest) AS ?value)
      } UNION {
        ?statement kg:earliestDate ?earliest ; kg:latestDate ?latest .
        BIND ("date" AS ?kind)
        BIND (CONCAT(STR(?earliest), " .. ", STR(?latest)) AS ?value)
      } UNION {
        ?statement a kg:QuantityStatement .
        OPTIONAL { ?statement kg:amount ?amount }
        OPTIONAL { ?statement kg:minInclusive ?minInclusive }
        OPTIONAL { ?statement kg:minExclusive ?minExclusive }
        OPTIONAL { ?statement kg:maxInclusive ?maxInclusive }
        OPTIONAL { ?statement kg:maxExclusive ?maxExclusive }
        OPTIONAL { ?statement kg:unit ?unit }
        OPTIONAL { ?statement kg:currency ?currency }
        BIND ("quantity" AS ?kind)
        BIND (COALESCE(?amount, ?minInclusive, ?minExclusive) AS ?min)
        BIND (COALESCE(?amount, ?maxInclusive, ?maxExclusive) AS ?max)
        BIND (!BOUND(?amount) && !BOUND(?minInclusive) && BOUND(?minExclusive) AS ?minOpen)
        BIND (!BOUND(?amount) && !BOUND(?maxInclusive) && BOUND(?maxExclusive) AS ?maxOpen)
        BIND (COALESCE(STR(?unit), STR(?currency)) AS ?quantityMeasure)
        BIND (COALESCE(REPLACE(STR(?unit), "^.*[#/]", ""), STR(?currency), "") AS ?unitName)
        BIND (COALESCE(STR(?amount), CONCAT(
                COALESCE(CONCAT(IF(?minOpen, "more than ", "at least "), STR(?min)), ""),
                IF(BOUND(?min) && BOUND(?max), " and ", ""),
                COALESCE(CONCAT(IF(?maxOpen, "less than ", "at most "), STR(?max)), "")))
              AS ?number)
        BIND (IF(?unitName = "", ?number, CONCAT(?number, " ", ?unitName)) AS ?value)
      }
      BIND (IF(DATATYPE(?earliest) = xsd:gYear, CONCAT(SUBSTR(STR(?earliest), 1, 4), "-01-01"),
            IF(DATATYPE(?earliest) = xsd:gYearMonth, CONCAT(SUBSTR(STR(?earliest), 1, 7), "-01"),
            SUBSTR(STR(?earliest), 1, 10))) AS ?firstDay)
      BIND (IF(DATATYPE(?latest) = xsd:gYear, CONCAT(SUBSTR(STR(?latest), 1, 4), "-12-31"),
            IF(DATATYPE(?latest) = xsd:gYearMonth, CONCAT(SUBSTR(STR(?latest), 1, 7), "-31"),
            SUBSTR(STR(?latest), 1, 10))) AS ?lastDay)
      BIND (COALESCE(?firstDay, ?min) AS ?low)
      BIND (COALESCE(?lastDay, ?max) AS ?high)
      BIND (COALESCE(?minOpen, false) AS ?lowOpen)
      BIND (COALESCE(?maxOpen, false) AS ?highOpen)
      BIND (COALESCE(?quantityMeasure, "") AS ?measure)
"""

CLAIM_FIELDS = ("statement", "source", "kind", "term", "low", "high", "lowOpen", "highOpen", "measure", "value", "rank")

COLUMNS: tuple[str, ...] = ("statement", "otherStatement", "subject", "predicate", "value", "otherValue")
COLUMNS += ("source", "otherSource", "settled")


def other(name: str) -> str:
    return f"other{name[0].upper()}{name[1:]}"


def claim_side(*, renamed: bool) -> str:
    """The claims of one side of a pair: the second side's fields are renamed ?otherStatement, ?otherValue ..."""
    fields = ["?subject", "?predicate", *(f"(?{f} AS ?{other(f)})" if renamed else f"?{f}" for f in CLAIM_FIELDS)]
    lines = "\n           ".join(" ".join(fields[i : i + 6]) for i in range(0, len(fields), 6))
    return f"  {{\n    SELECT {lines}\n    WHERE {{\n{CLAIM}    }}\n  }}\n"


PAIRS_WHERE = f"""\
WHERE {{
{claim_side(renamed=False)}{claim_side(renamed=True)}\
  FILTER (STR(?statement) < STR(?otherStatement) && ?kind = ?otherKind && ?measure = ?otherMeasure)
  FILTER NOT EXISTS {{ ?statement kg:source ?shared . ?otherStatement kg:source ?shared }}
  FILTER (IF(?kind IN ("relation", "value"),
             !COALESCE(?term = ?otherTerm, sameTerm(?term, ?otherTerm)),
             (BOUND(?high) && BOUND(?otherLow)
              && (?high < ?otherLow || (?high = ?otherLow && (?highOpen || ?otherLowOpen))))
             || (BOUND(?otherHigh) && BOUND(?low)
                 && (?otherHigh < ?low || (?otherHigh = ?low && (?otherHighOpen || ?lowOpen))))))
  BIND (COALESCE(?rank, kg:normalRank) IN (kg:preferredRank, kg:deprecatedRank)
        || COALESCE(?otherRank, kg:normalRank) IN (kg:preferredRank, kg:deprecatedRank) AS ?settled)
}}
"""
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
    if answer.variables != COLUMNS:
        raise InputError(f"the conflicts query answered {', '.join(answer.variables)}, not {', '.join(COLUMNS)}")
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
