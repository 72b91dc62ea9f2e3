"""How the page draws a claim: its colour says who makes it, its line how firm it is, its label the rest in
words; unlikely, negated, failed and deprecated claims are drawn apart from all others and hidden by default.

An edge is drawn by its firmest claim (kg.view.network.NetworkEdge.leading). The same tables make the legend,
so what the reader is told is what is drawn:

- colour, by attribution: the source's own voice slate, reported (attributed) blue, curator inference purple;
- line, by likelihood and timing: certain and factual solid, planned (prospective) dash-dot, likely long
  dashes, possible dots;
- label: the property, then in brackets every axis that is not plainly so ("per spy photos", "planned",
  "possible", "curator inference", "did not happen"); "not" before a negated claim; a warning sign before a
  claim in an unsettled conflict; the label of a hidden group's claim in that group's colour (a combining
  stroke, for struck-through text, is left out: the canvas draws it in some fonts and drops it in others);
- the hidden groups (kg.view.axes.HIDDEN_GROUPS) each with a colour and line no shown claim has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.view.axes import HIDDEN_GROUPS, Axes, qualified_words
from kg.view.network import UNBACKED as UNBACKED_STANDING
from kg.view.network import Claim, NetworkEdge


@dataclass(frozen=True)
class Line:
    colour: str
    dashes: tuple[int, ...] | None
    width: float = 1.5


@dataclass(frozen=True)
class Look:
    """One edge as drawn: its standing (one word for the legend and the exports), line and label."""

    standing: str
    line: Line
    label: str
    hidden_group: str | None

    @property
    def text_colour(self) -> str | None:
        """The label's own colour: a hidden group's, so that its words read as set apart; else the default."""
        return self.line.colour if self.hidden_group else None


ATTRIBUTION_COLOURS = {"ownVoice": "#56606b", "attributed": "#2f6fca", "curatorInference": "#8a4fbf"}
UNKNOWN_COLOUR = "#a0522d"  # an attribution the ontology does not define, or none
LINE_DASHES: dict[str, tuple[int, ...] | None] = {
    "certain": None,
    "prospective": (12, 3, 3, 3),
    "likely": (10, 5),
    "possible": (2, 5),
}
UNKNOWN_DASHES = (1, 3)  # a likelihood the ontology does not define, or none
HIDDEN_LINES = {
    "doubted": Line("#c0392b", (1, 6)),
    "failed": Line("#9aa1a8", (4, 4)),
    "deprecated": Line("#b7bcc2", (6, 3)),
}
OUTRANKED = Line("#a3aab1", None)  # plainly so, but a preferred claim for the same property wins
UNBACKED = Line("#d62728", None, 2.5)
DEFAULT = Line(ATTRIBUTION_COLOURS["ownVoice"], None)  # the commonest look: left out of each edge's data
CONFLICT_WIDTH = 3.5
CONFLICT_MARK = "\u26a0 "  # ⚠, before the label of a claim in an unsettled conflict


def standing(claim: Claim) -> str:
    """One word for what the claim is, in the order the view weighs them."""
    axes = claim.axes
    if axes.likelihood == "unlikely":
        return "unlikely"
    if axes.polarity == "negated":
        return "negated"
    group = axes.hidden_group
    if group is not None:
        return group
    for word, held in (
        ("inference", axes.attribution == "curatorInference"),
        ("possible", axes.likelihood == "possible"),
        ("prospective", axes.timing == "prospective"),
        ("likely", axes.likelihood == "likely"),
        ("attributed", axes.attribution == "attributed"),
        ("unqualified", not axes.likelihood or not axes.attribution or not axes.timing),
        ("outranked", not claim.direct),
    ):
        if held:
            return word
    return "current"


def line_of(axes: Axes) -> Line:
    group = axes.hidden_group
    if group is not None:
        return HIDDEN_LINES[group]
    colour = ATTRIBUTION_COLOURS.get(axes.attribution, UNKNOWN_COLOUR)
    if axes.likelihood in ("likely", "possible"):
        return Line(colour, LINE_DASHES[axes.likelihood])
    if axes.likelihood != "certain":
        return Line(colour, UNKNOWN_DASHES)
    return Line(colour, LINE_DASHES["prospective" if axes.timing == "prospective" else "certain"])


def claim_label(label: str, claim: Claim) -> str:
    """The property's label as this claim qualifies it: "has feature (possible)", "not uses brand (…)"."""
    axes = claim.axes
    text = f"not {label}" if axes.polarity == "negated" else label
    words = qualified_words(axes, claim.attributed_to, claim.direct)
    return f"{text} ({', '.join(words)})" if words else text


def edge_look(edge: NetworkEdge, conflicted: bool = False) -> Look:
    """How ``edge`` is drawn; ``conflicted`` when one of its claims is in an unsettled conflict."""
    leading = edge.leading
    if leading is None:
        return Look(UNBACKED_STANDING, UNBACKED, edge.label, None)
    word = standing(leading)
    line = OUTRANKED if word == "outranked" else line_of(leading.axes)
    label = claim_label(edge.label, leading)
    if conflicted:
        line, label = Line(line.colour, line.dashes, CONFLICT_WIDTH), CONFLICT_MARK + label
    return Look(word, line, label, leading.hidden_group)


def claims_legend(looks: list[Look]) -> dict[str, Any]:
    """The legend of claims: the colours, the lines, and the hidden groups with how many edges each hides."""
    hidden = {name: sum(1 for look in looks if look.hidden_group == name) for name in HIDDEN_GROUPS}
    return {
        "voices": [
            {"name": "ownVoice", "colour": ATTRIBUTION_COLOURS["ownVoice"], "label": "own voice",
             "meaning": "the source says it"},
            {"name": "attributed", "colour": ATTRIBUTION_COLOURS["attributed"], "label": "reported",
             "meaning": "the source reports someone it names (per …)"},
            {"name": "curatorInference", "colour": ATTRIBUTION_COLOURS["curatorInference"],
             "label": "curator inference", "meaning": "the curator concludes it; the source does not say it"},
        ],
        "lines": [
            {"name": name, "dashes": list(dashes or ()), "label": label}
            for name, dashes, label in (
                ("certain", LINE_DASHES["certain"], "certain: is or was so"),
                ("prospective", LINE_DASHES["prospective"], "planned or expected"),
                ("likely", LINE_DASHES["likely"], "likely"),
                ("possible", LINE_DASHES["possible"], "possible: may be"),
            )
        ],
        "hidden": [
            {"name": name, "label": HIDDEN_GROUPS[name], "count": hidden[name], "colour": HIDDEN_LINES[name].colour,
             "dashes": list(HIDDEN_LINES[name].dashes or ())}
            for name in HIDDEN_GROUPS
        ],
        "unbacked": sum(1 for look in looks if look.standing == UNBACKED_STANDING),
        "unbacked_colour": UNBACKED.colour,
    }  # fmt: skip
