"""The timeline's rows: dated claims in order of time, with conflicting dates side by side.

Two dated claims *conflict* when they date the same thing, come from different sources, and their spans
cannot both hold (no day lies in both, at the precision each gives; kg.view.timeline_dates). "The same
thing" is one subject's kg:date (a value or a period: an event has one date), or one relation's start
(the same subject, predicate and object with different kg:startDate). This is the date case of
docs/modelling.md's conflicts of single-valued properties; a conflict is *settled* when one of the two is
ranked kg:preferredRank or kg:deprecatedRank. A negated claim ("not in 2023") conflicts with none: it
says when something was not, which no date outside it contradicts.

Claims that conflict, directly or through one another, form a group, drawn in adjacent rows at the place
of the group's earliest claim; every other claim has a row of its own. Rows are ordered by start, then
end, then label and statement IRI, so the same graph always gives the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kg.view.timeline import DatedClaim, DatedClaims

SETTLING_RANKS = ("preferredRank", "deprecatedRank")


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


def conflict_key(claim: DatedClaim) -> tuple[str, str, str, str]:
    """What a claim dates: one subject's date, or the start of one relation."""
    if claim.kind == "start":
        return ("start", claim.subject, claim.predicate, claim.object)
    return ("date", claim.subject, claim.predicate, "")


def settles(claim: DatedClaim) -> bool:
    return claim.axes["rank"] in SETTLING_RANKS


def find_conflicts(claims: Iterable[DatedClaim]) -> list[Conflict]:
    """Every conflicting pair, once, ordered by the pair's statement IRIs."""
    by_key: dict[tuple[str, str, str, str], list[DatedClaim]] = defaultdict(list)
    for claim in claims:
        if claim.axes["polarity"] != "negated":  # "not in 2023" cannot contradict a date outside 2023
            by_key[conflict_key(claim)].append(claim)
    found = []
    for members in by_key.values():
        members.sort(key=lambda c: c.statement)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                sources = {first.source, second.source}
                if len(sources) == 2 and "" not in sources and not first.span.overlaps(second.span):
                    found.append(Conflict(first.statement, second.statement, settles(first) or settles(second)))
    return sorted(found, key=lambda c: (c.statement, c.other))


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


def timeline_of(dated: DatedClaims) -> Timeline:
    """The rows of ``dated``, conflicting dates side by side, in the order of time."""
    conflicts = find_conflicts(dated.claims)
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
