"""The timeline's rows: dated claims in order of time, with conflicting dates side by side.

Which dates conflict is kg.validate.conflicts' answer, the library's ``queries/conflicts.rq``: two affirmed
statements from different sources give the same subject dates (kg:date, a kg:SingleValuedProperty) whose
spans have no day in common; settled when one of them is ranked kg:preferredRank or kg:deprecatedRank.
So the timeline flags exactly what ``kg query conflicts``, ``kg validate``'s warning and the graph view
flag; of its pairs, the timeline keeps those whose two statements it draws (a conflict between two CEOs
is no date).

Claims that conflict, directly or through one another, form a group, drawn in adjacent rows at the place
of the group's earliest claim; every other claim has a row of its own. Rows are ordered by start, then
end, then label and statement IRI, so the same graph always gives the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kg.query.engines import QueryEngine
from kg.view.flags import ConflictPair
from kg.view.timeline import DatedClaim, DatedClaims


@dataclass(frozen=True)
class Conflict:
    """Two claims whose dates cannot both hold; ``statement`` < ``other``, as IRIs."""

    statement: str
    other: str
    settled: bool


@dataclass(frozen=True)
class Row:
    claim: DatedClaim
    group: int | None  # which conflict group the row is in (0, 1, ... in order of the rows), if any
    conflicts_with: tuple[DatedClaim, ...]  # the claims whose dates this one contradicts
    settled: bool  # every conflict of this claim is settled (True when it has none)


@dataclass(frozen=True)
class Timeline:
    rows: tuple[Row, ...]
    groups: tuple[tuple[int, int, bool], ...]  # each conflict group: its first and last row, whether settled
    conflicts: tuple[Conflict, ...]
    unreadable: tuple[tuple[str, str], ...]  # statements whose date is no date kg can draw, as written


def conflicts_among(claims: Sequence[DatedClaim], pairs: Iterable[ConflictPair]) -> list[Conflict]:
    """The pairs whose two statements are both dated claims drawn here, once each, ordered by their IRIs."""
    drawn = {claim.statement for claim in claims}
    found = {
        (min(first, second), max(first, second)): bool(pair.settled)
        for pair in pairs
        for first, second in [(str(pair.statement), str(pair.other_statement))]
        if first in drawn and second in drawn and first != second
    }
    return [Conflict(first, second, settled) for (first, second), settled in sorted(found.items())]


def groups_of(claims: Sequence[DatedClaim], conflicts: Iterable[Conflict]) -> dict[str, str]:
    """Each statement's group, named by the least statement IRI in it (union-find over the conflicts)."""
    parent = {claim.statement: claim.statement for claim in claims}

    def root(statement: str) -> str:
        while parent[statement] != statement:
            parent[statement] = parent[parent[statement]]
            statement = parent[statement]
        return statement

    for conflict in conflicts:
        first, second = root(conflict.statement), root(conflict.other)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return {statement: root(statement) for statement in parent}


def load_timeline(engine: QueryEngine, conflicts: Sequence[ConflictPair] | None = None) -> Timeline:
    """The timeline of the graph behind ``engine``: its dated claims and the conflicts among them (found
    here unless the caller, which found them already for the graph view, gives them)."""
    from kg.validate.conflicts import find_conflicts
    from kg.view.timeline import dated_claims

    return timeline_of(dated_claims(engine), find_conflicts(engine) if conflicts is None else conflicts)


def timeline_of(dated: DatedClaims, pairs: Iterable[ConflictPair] = ()) -> Timeline:
    """The rows of ``dated``, the dates of each conflicting pair in ``pairs`` side by side, in the order of time."""
    conflicts = conflicts_among(dated.claims, pairs)
    group = groups_of(dated.claims, conflicts)
    members: dict[str, list[DatedClaim]] = defaultdict(list)
    for claim in dated.claims:
        members[group[claim.statement]].append(claim)
    starts: dict[str, date] = {name: min(c.span.start for c in found) for name, found in members.items()}
    ordered = sorted(
        dated.claims,
        key=lambda c: (starts[group[c.statement]], group[c.statement], c.span.start, c.span.end, c.label, c.statement),
    )
    by_statement = {claim.statement: claim for claim in dated.claims}
    against: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        against[conflict.statement].append(conflict)
        against[conflict.other].append(conflict)
    rows: list[Row] = []
    numbers: dict[str, int] = {}
    for claim in ordered:
        mine = against.get(claim.statement, [])
        number = numbers.setdefault(group[claim.statement], len(numbers)) if mine else None
        others = sorted({c.other if c.statement == claim.statement else c.statement for c in mine})
        rows.append(Row(claim, number, tuple(by_statement[o] for o in others), all(c.settled for c in mine)))
    return Timeline(tuple(rows), group_spans(rows), tuple(conflicts), dated.unreadable)


def group_spans(rows: Sequence[Row]) -> tuple[tuple[int, int, bool], ...]:
    """Each conflict group's first and last row, and whether all its conflicts are settled."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    settled: dict[int, bool] = {}
    for index, row in enumerate(rows):
        if row.group is not None:
            first.setdefault(row.group, index)
            last[row.group] = index
            settled[row.group] = settled.get(row.group, True) and row.settled
    return tuple((first[n], last[n], settled[n]) for n in sorted(first))
