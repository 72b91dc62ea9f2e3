"""The axes of a statement as curators write them: one sheet column each, its concepts by English label.

Every statement carries attribution, timing, likelihood, polarity and rank, and outcome when it is prospective
(docs/modelling.md). A sheet's cell names a concept by its label ("own voice", "did not happen"), its local name
(ownVoice) or its prefixed name (kg:ownVoice), in any case, with spaces, hyphens or underscores alike. An empty
cell takes the axis's default, the value a curator would type most: own voice, factual, certain, affirmed,
normal; outcome "unknown" when the claim is prospective, none otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.rdf.namespaces import AXES as AXIS_VALUES
from kg.rdf.namespaces import AXIS_LABELS, KG


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: there is one of each
class Axis:
    """One axis: its sheet column, its property, its concepts (IRI -> English label) and its default."""

    column: str
    prop: URIRef
    concepts: dict[URIRef, str]
    default: URIRef | None

    def label(self, concept: URIRef) -> str:
        return self.concepts.get(concept, str(concept))

    def resolve(self, text: str) -> URIRef | None:
        """The concept a cell names, or None when it names none of this axis's."""
        wanted = fold(text)
        for concept, label in self.concepts.items():
            local = str(concept)[len(str(KG)) :]
            if wanted in {fold(label), fold(local), fold("kg:" + local), fold(str(concept))}:
                return concept
        return None

    def choices(self) -> str:
        return ", ".join(self.concepts.values())


def fold(text: str) -> str:
    """A name compared as curators mean it: any case; spaces, hyphens and underscores alike."""
    return " ".join(re.split(r"[\s_-]+", text.strip().casefold())).strip()


def axis(name: str, default: URIRef | None) -> Axis:
    """The axis ``name`` of kg.rdf.namespaces.AXES, its concepts named by their English labels."""
    return Axis(name, KG[name], {KG[value]: AXIS_LABELS[value] for value in AXIS_VALUES[name]}, default)


ATTRIBUTION = axis("attribution", KG.ownVoice)
TIMING = axis("timing", KG.factual)
OUTCOME = axis("outcome", None)  # none on a factual claim; kg:outcomeUnknown on a prospective one (``outcome_default``)
LIKELIHOOD = axis("likelihood", KG.certain)
POLARITY = axis("polarity", KG.affirmed)
RANK = axis("rank", KG.normalRank)

# The axes in the order a sheet's template, a written statement and kg diff list them.
AXES = (ATTRIBUTION, TIMING, OUTCOME, LIKELIHOOD, POLARITY, RANK)
AXIS_OF_PROPERTY = {axis.prop: axis for axis in AXES}
# Written Turtle puts them on two lines: who says it and when, then how sure, which way and what rank.
AXIS_LINES = ((ATTRIBUTION, TIMING, OUTCOME), (LIKELIHOOD, POLARITY, RANK))
RANKS_WITH_REASON = (KG.preferredRank, KG.deprecatedRank)
CURATOR_LANGUAGE = "en"  # a rank's reason is the curator's words, in the project's working language


def outcome_default(timing: URIRef | None) -> URIRef | None:
    """A prospective claim's outcome is unknown until a curator learns it; a factual one has none by default."""
    return KG.outcomeUnknown if timing == KG.prospective else None


def shown(prop: URIRef, value: URIRef) -> str | None:
    """``likelihood: possible`` for an axis property's concept; None for any other property or value."""
    axis = AXIS_OF_PROPERTY.get(prop)
    if axis is None or value not in axis.concepts:
        return None
    return f"{axis.column}: {axis.label(value)}"


@dataclass(frozen=True)
class AxisCells:
    """A row's axes read from its cells: the (property, value) pairs to write, and the (column, message) problems."""

    pairs: list[tuple[URIRef, URIRef | Literal]]
    problems: list[tuple[str, str]]


def read_axes(cell: Callable[[str], str]) -> AxisCells:
    """The axes of one row, ``cell(column)`` giving each cell's text (empty when blank), defaults filled in."""
    problems: list[tuple[str, str]] = []
    chosen: dict[Axis, URIRef | None] = {}
    for axis in AXES:
        text = cell(axis.column)
        concept = axis.resolve(text) if text else None
        if text and concept is None:
            problems.append((axis.column, f"unknown {axis.column} {text!r}; one of: {axis.choices()}"))
        chosen[axis] = concept if text else default_of(axis, chosen, cell)
    problems += rule_problems(chosen, cell)
    pairs: list[tuple[URIRef, URIRef | Literal]] = [(a.prop, v) for a, v in chosen.items() if v is not None]
    if cell("rank_reason"):
        pairs.append((KG.rankReason, Literal(cell("rank_reason"), lang=CURATOR_LANGUAGE)))
    return AxisCells(pairs, problems)


def default_of(axis: Axis, chosen: dict[Axis, URIRef | None], cell: Callable[[str], str]) -> URIRef | None:
    if axis is ATTRIBUTION and cell("attributed_to"):
        return KG.attributed  # naming who says it is saying that someone does
    if axis is OUTCOME:
        return outcome_default(chosen.get(TIMING))
    return axis.default


def rule_problems(chosen: dict[Axis, URIRef | None], cell: Callable[[str], str]) -> list[tuple[str, str]]:
    """What the axes ask of the other cells: an inference's reasoning, a rank's reason, and no maker named
    for a claim that is not attributed. An attributed claim may name no one ("is said to"): the source
    names no one either, and kg validate notes it."""
    problems = []
    attribution, rank = chosen[ATTRIBUTION], chosen[RANK]
    if attribution in (KG.ownVoice, KG.curatorInference) and cell("attributed_to"):
        label = ATTRIBUTION.label(attribution)
        problems.append(("attributed_to", f"the claim is {label!r}: attributed_to goes with attribution attributed"))
    if attribution == KG.curatorInference and not cell("note"):
        problems.append(("note", "a curator inference needs a note giving the curator's reasoning"))
    if rank in RANKS_WITH_REASON and not cell("rank_reason"):
        problems.append(("rank_reason", f"a {RANK.label(rank)} rank needs its reason"))
    if rank == KG.normalRank and cell("rank_reason"):
        problems.append(("rank_reason", "a reason goes with rank preferred or deprecated only"))
    return problems
