"""A claim's axes as the view and the network exports read them: who says it, when, what became of it, how
likely, affirmed or denied, and its rank (docs/modelling.md), and what follows for drawing it.

Axis values are the local names of the ontology's concepts (``ownVoice``, ``prospective`` …); an absent
axis is ``""`` (validation reports it). Which claims a reader must not take for what is or was so is
decided here, once: an unlikely or negated claim, a plan that did not happen or was cancelled, and a
deprecated claim each belong to a *hidden group* that the page hides until the reader reveals it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from kg.rdf.namespaces import AXES as AXIS_VALUES
from kg.rdf.namespaces import AXIS_LABELS
from kg.rdf.summary import local_name
from kg.view.triples import KG, Properties

AXES = tuple(AXIS_VALUES)  # attribution, timing, outcome, likelihood, polarity, rank

# The groups hidden by default, in the order a claim is put in one (an unlikely failed plan is "doubted"),
# each with the words its toggle shows.
HIDDEN_GROUPS = {
    "doubted": "unlikely and negated claims",
    "failed": "plans that did not happen or were cancelled",
    "deprecated": "deprecated claims",
}
FAILED_OUTCOMES = ("didNotHappen", "cancelled")

# Firmest first (the schemes' own order): how an edge's claims are weighed to pick the one it is drawn by.
LIKELIHOOD_ORDER = AXIS_VALUES["likelihood"]
ATTRIBUTION_ORDER = AXIS_VALUES["attribution"]
TIMING_ORDER = AXIS_VALUES["timing"]


@dataclass(frozen=True)
class Axes:
    """A statement's value on each axis, by the concept's local name; ``""`` where the statement has none."""

    attribution: str = ""
    timing: str = ""
    outcome: str = ""
    likelihood: str = ""
    polarity: str = ""
    rank: str = ""

    @property
    def hidden_group(self) -> str | None:
        """The group that keeps this claim off the default view, or None if it is shown."""
        if self.likelihood == "unlikely" or self.polarity == "negated":
            return "doubted"
        if self.outcome in FAILED_OUTCOMES:
            return "failed"
        if self.rank == "deprecatedRank":
            return "deprecated"
        return None

    def values(self) -> dict[str, str]:
        return {axis: getattr(self, axis) for axis in AXES}


AXIS_TERMS = {axis: KG[axis] for axis in AXES}


def axes_of(about: Properties) -> Axes:
    """A statement's axes as its properties give them (the first by IRI, should one be given twice)."""

    def value(axis: str) -> str:
        found = about.get(AXIS_TERMS[axis])
        if not found:
            return ""
        return value_name(str(found[0]) if len(found) == 1 else min(str(v) for v in found))

    return Axes(**{axis: value(axis) for axis in AXES})


@lru_cache(maxsize=256)  # the axes have a few values each, met on every statement
def value_name(iri: str) -> str:
    return local_name(URIRef(iri))


def axis_label(value: str) -> str:
    """A value's English label; an unknown value as it is, an absent one as "not given"."""
    return AXIS_LABELS.get(value, value) if value else "not given"


def position(value: str, order: tuple[str, ...]) -> int:
    return order.index(value) if value in order else len(order)


def firmness(axes: Axes, direct: bool) -> tuple[int, int, int, int, int]:
    """Sort key, firmest first: shown before hidden, in the direct layer before not, then by likelihood,
    attribution and timing."""
    group = axes.hidden_group
    hidden = (*HIDDEN_GROUPS, None).index(group) if group else -1
    return (
        hidden,
        0 if direct else 1,
        position(axes.likelihood, LIKELIHOOD_ORDER),
        position(axes.attribution, ATTRIBUTION_ORDER),
        position(axes.timing, TIMING_ORDER),
    )


def qualified_words(axes: Axes, attributed_to: str | None, direct: bool) -> list[str]:
    """What sets a claim apart from one that is plainly so, in the words an edge label adds to the property:
    empty for a claim in the source's own voice, factual, certain, affirmed and in the direct layer."""
    words = []
    if axes.attribution == "attributed":
        words.append(f"per {attributed_to}" if attributed_to else "reported")
    elif axes.attribution == "curatorInference":
        words.append("curator inference")
    elif axes.attribution != "ownVoice":
        words.append(f"attribution {axis_label(axes.attribution)}")
    if axes.timing == "prospective":
        words.append("planned")
    if axes.outcome and axes.outcome != "outcomeUnknown":
        words.append(axis_label(axes.outcome))
    if axes.likelihood != "certain":
        words.append(axis_label(axes.likelihood) if axes.likelihood else "likelihood not given")
    if axes.rank == "deprecatedRank":
        words.append("deprecated")
    elif not words and not direct and axes.polarity == "affirmed":
        words.append("outranked")  # plainly so, yet not in the direct layer: a preferred claim wins
    return words
