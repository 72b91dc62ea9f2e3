"""``kg diff``: the claims two versions of the graph differ in, compared by content.

A claim is a statement node with everything said about it. Two claims with the same content are the same
claim whatever their IRIs. Of the rest, a claim that keeps its IRI, or else its source, subject and
property, while its axes, value, quote or qualifiers change is "changed"; the others are added or removed.
A change of an axis is named by the axis and its labels ("likelihood: possible → unlikely").
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.curate.axes import AXES, OUTCOME, Axis
from kg.curate.names import prefixed
from kg.rdf.summary import statement_nodes

BARE_DATATYPES = {XSD.integer, XSD.decimal, XSD.boolean}
AXIS_FIELDS: dict[str, Axis] = {prefixed(axis.prop): axis for axis in AXES}
AXIS_LABELS = {prefixed(concept): label for axis in AXES for concept, label in axis.concepts.items()}
SHOWN_FIRST = ("rdf:type", "kg:subject", "kg:predicate", "kg:object", "kg:value", *AXIS_FIELDS)


def show(node: Node) -> str:
    """A term as it reads in Turtle with kg's prefixes."""
    if isinstance(node, URIRef):
        return prefixed(node)
    if isinstance(node, Literal):
        if node.datatype in BARE_DATATYPES:
            return str(node)
        text = json.dumps(str(node), ensure_ascii=False)
        if node.language:
            return f"{text}@{node.language}"
        return f"{text}^^{prefixed(node.datatype)}" if node.datatype and node.datatype != XSD.string else text
    return "[]" if isinstance(node, BNode) else str(node)


@dataclass(frozen=True)
class Claim:
    statement: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # property -> values, both sorted

    def get(self, name: str) -> str:
        values = dict(self.fields).get(name, ())
        return ", ".join(values)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.get("kg:source"), self.get("kg:subject"), self.get("kg:predicate"))

    def as_json(self) -> dict[str, object]:
        return {
            "statement": self.statement,
            "source": self.get("kg:source"),
            "subject": self.get("kg:subject"),
            "predicate": self.get("kg:predicate"),
            "fields": {name: list(values) for name, values in self.fields},
            "axes": {axis.column: self.axis_label(name) for name, axis in AXIS_FIELDS.items() if self.get(name)},
        }

    def axis_label(self, name: str) -> str:
        """The English label of the claim's value on an axis ("own voice"), or the value as written."""
        return ", ".join(AXIS_LABELS.get(value, value) for value in dict(self.fields).get(name, ()))

    def summary(self) -> str:
        """The claim in one line: subject, property, value and qualifiers, axes, quote."""
        what = [self.get("kg:subject"), self.get("kg:predicate"), self.get("kg:object") or self.get("kg:value")]
        rest = [
            f"{name}={', '.join(v)}"
            for name, v in self.fields
            if name not in {*SHOWN_FIRST, "kg:source", "kg:evidence"}
        ]
        axes = [
            ("outcome " if axis is OUTCOME else "") + self.axis_label(name)
            for name, axis in AXIS_FIELDS.items()
            if self.get(name)
        ]
        shown_axes = f"({', '.join(axes)})" if axes else ""
        return " ".join(p for p in [*what, *rest, shown_axes, self.get("kg:evidence")] if p)


def claims_of(graph: Graph) -> list[Claim]:
    claims = []
    for node in statement_nodes(graph):
        values: dict[str, list[str]] = defaultdict(list)
        for predicate, value in graph.predicate_objects(node):
            if isinstance(predicate, URIRef):
                values[prefixed(predicate)].append(show(value))
        fields = tuple(sorted((name, tuple(sorted(v))) for name, v in values.items()))
        claims.append(Claim(show(node), fields))
    return sorted(claims, key=lambda c: (c.key, c.statement, c.fields))


@dataclass(frozen=True)
class Change:
    old: Claim
    new: Claim

    def differences(self) -> dict[str, dict[str, list[str]]]:
        old, new = dict(self.old.fields), dict(self.new.fields)
        return {
            name: {"old": list(old.get(name, ())), "new": list(new.get(name, ()))}
            for name in sorted(set(old) | set(new), key=field_order)
            if old.get(name) != new.get(name)
        }

    def described(self) -> list[str]:
        """Each difference in words: ``likelihood: possible → unlikely``, ``kg:value: "2023" → "2024"``."""
        lines = []
        for name in self.differences():
            axis = AXIS_FIELDS.get(name)
            old, new = (claim.axis_label(name) if axis else claim.get(name) for claim in (self.old, self.new))
            lines.append(f"{axis.column if axis else name}: {old or 'none'} → {new or 'none'}")
        return lines


def field_order(name: str) -> tuple[int, str]:
    """The axes first, in their fixed order; the other properties after them, by name."""
    names = list(AXIS_FIELDS)
    return (names.index(name), name) if name in names else (len(names), name)


@dataclass(frozen=True)
class ClaimDiff:
    added: list[Claim]
    removed: list[Claim]
    changed: list[Change]

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def compare(old: list[Claim], new: list[Claim]) -> ClaimDiff:
    left, right = Counter(c.fields for c in old), Counter(c.fields for c in new)
    removed = take_unmatched(old, left - right)
    added = take_unmatched(new, right - left)
    changed: list[Change] = []
    for same_of in (same_iri, same_key):
        by_key: dict[object, list[Claim]] = defaultdict(list)
        for claim in added:
            if same_of(claim) is not None:
                by_key[same_of(claim)].append(claim)
        for claim in list(removed):
            partners = by_key.get(same_of(claim))
            if partners:
                partner = partners.pop(0)
                changed.append(Change(claim, partner))
                removed.remove(claim)
                added.remove(partner)
    return ClaimDiff(added, removed, sorted(changed, key=lambda c: (c.new.key, c.new.statement)))


def same_iri(claim: Claim) -> object:
    return None if claim.statement.startswith("[") else claim.statement


def same_key(claim: Claim) -> object:
    return claim.key


def take_unmatched(claims: list[Claim], unmatched: Counter[tuple[tuple[str, tuple[str, ...]], ...]]) -> list[Claim]:
    left = Counter(unmatched)
    chosen = []
    for claim in claims:
        if left[claim.fields] > 0:
            left[claim.fields] -= 1
            chosen.append(claim)
    return chosen


def labels(graphs: list[Graph]) -> dict[str, str]:
    found: dict[str, str] = {}
    for graph in graphs:
        for node, label in sorted(graph.subject_objects(RDFS.label)):
            if isinstance(node, URIRef):
                found.setdefault(prefixed(node), str(label))
    return found


def render_text(diff: ClaimDiff, old_label: str, new_label: str, names: dict[str, str]) -> str:
    """The changes grouped by source, then by the entity they are about."""
    lines = [f"claims: {old_label} -> {new_label}: {diff.counts()}"]
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sign, claim in [("+", c) for c in diff.added] + [("-", c) for c in diff.removed]:
        groups[(claim.get("kg:source"), claim.get("kg:subject"))].append(f"    {sign} {claim.summary()}")
    for change in diff.changed:
        parts = change.described()
        line = f"    ~ {change.new.get('kg:subject')} {change.new.get('kg:predicate')}: {'; '.join(parts)}"
        groups[(change.new.get("kg:source"), change.new.get("kg:subject"))].append(line)
    source_shown = None
    for (source, subject), entries in sorted(groups.items()):
        if source != source_shown:
            lines.append(f"source {source or '(none)'}")
            source_shown = source
        name = names.get(subject)
        lines.append(f"  {subject}" + (f" ({name})" if name else ""))
        lines += sorted(entries)
    return "\n".join(lines) + "\n"


def render_json(diff: ClaimDiff, old_label: str, new_label: str) -> str:
    document = {
        "old": old_label,
        "new": new_label,
        "same": diff.same,
        "added": [c.as_json() for c in diff.added],
        "removed": [c.as_json() for c in diff.removed],
        "changed": [
            {"old": c.old.as_json(), "new": c.new.as_json(), "differences": c.differences()} for c in diff.changed
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
