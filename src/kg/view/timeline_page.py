"""The timeline as one offline HTML page: an SVG drawn here, in Python, and a table of the same claims.

Every position is computed here (kg.view.timeline_rows gives the rows, this module the axis and the
geometry) and written into the SVG as numbers, so the page needs no script at all: its Content-Security-
Policy allows its one style sheet, by hash, and nothing else, not even a script of our own. Each claim's
bar spans its date at the date's precision; the axes of the statement model are drawn each in its own
channel (the legend on the page and docs/timeline.md say which), and spelled out in words beside the bar
and in the table. Jinja's autoescaping writes every text of the data, in the SVG and in the table.
docs/timeline.md says why this is our own SVG and not vis-timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from kg.view.flags import ConflictPair
from kg.view.timeline import DatedClaim
from kg.view.timeline_rows import Row, Timeline

if TYPE_CHECKING:
    from jinja2 import Environment

    from kg.query.engines import QueryEngine

TEMPLATE = "timeline.html.j2"
STYLE = "timeline.css"
TRACK_LEFT = 400  # the labels' column is to the left of the time axis
ROWS_TOP = 56
ROW_HEIGHT = 62
BAR_HEIGHT = 14
PX_PER_YEAR = 180
TRACK_MIN, TRACK_MAX = 720, 5400
RIGHT_MARGIN = 360  # room for a caption that runs past the axis' end
SOURCE_COLOURS = 8  # timeline.css has .source-0 … .source-7
LABEL_CHARS, CAPTION_CHARS = 50, 96
CHAR_WIDTH = 6.4  # pixels, a generous average for the captions' 11px sans-serif
MARKS = {"didNotHappen": "✗ ", "cancelled": "✗ ", "happened": "✓ ", "preferredRank": "★ ", "negated": "¬ "}


@dataclass(frozen=True)
class Axis:
    """The time axis: whole years from ``first`` up to (not including) ``last``, ``width`` pixels wide."""

    first: int
    last: int
    width: int

    def x(self, day: date) -> float:
        origin, end = date(self.first, 1, 1).toordinal(), date(self.last, 1, 1).toordinal()
        return TRACK_LEFT + self.width * (day.toordinal() - origin) / (end - origin)


def axis_of(rows: Sequence[Row]) -> Axis:
    first = min(row.claim.span.start.year for row in rows)
    last = max(row.claim.span.end.year + (row.claim.span.end > date(row.claim.span.end.year, 1, 1)) for row in rows)
    return Axis(first, last, max(TRACK_MIN, min(TRACK_MAX, PX_PER_YEAR * (last - first))))


def number(value: float) -> str:
    """A coordinate with one decimal, written the same way on every machine: 330, 412.5."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def ticks(axis: Axis) -> list[dict[str, Any]]:
    """A line and a label at each year; over four years or fewer, a thinner line at each month."""
    marks = []
    for year in range(axis.first, axis.last + 1):
        marks.append({"x": number(axis.x(date(year, 1, 1))), "label": str(year), "major": True})
        if axis.last - axis.first <= 4 and year < axis.last:
            marks += [{"x": number(axis.x(date(year, m, 1))), "label": "", "major": False} for m in range(2, 13)]
    return marks


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def axis_words(claim: DatedClaim) -> list[str]:
    """The claim's axes in words, in the order of the statement model, each marked as the bar is."""
    words = []
    for axis, name in claim.axes.items():
        label = claim.axis_labels[axis]
        if not name:
            words.append(f"{axis} not given" if axis != "outcome" else "")
        elif axis == "attribution" and name == "attributed" and claim.texts["attributedToLabel"]:
            words.append(f"attributed to {claim.texts['attributedToLabel']}")
        elif name == "outcomeUnknown":
            words.append(f"outcome {label}" if label == "unknown" else label)
        else:
            words.append(MARKS.get(name, "") + label)
    return [word for word in words if word]


def source_names(rows: Sequence[Row]) -> dict[str, str]:
    """Each source's label (its IRI when it has none), and a colour class in the order of the IRIs."""
    return {row.claim.source: row.claim.texts["sourceLabel"] or row.claim.source for row in rows if row.claim.source}


def item(row: Row, index: int, axis: Axis, colour: dict[str, int], sources: dict[str, str]) -> dict[str, Any]:
    """Everything the template draws for one row, positions included."""
    claim, span = row.claim, row.claim.span
    top = ROWS_TOP + index * ROW_HEIGHT
    left, right = axis.x(span.start), axis.x(span.end)
    width = max(right - left, 3.0)  # a day is thinner than a pixel over some years: still to be seen
    toward_end = left > TRACK_LEFT + axis.width / 2
    room = (left + width - TRACK_LEFT) if toward_end else (TRACK_LEFT + axis.width + RIGHT_MARGIN - left)
    chars = min(CAPTION_CHARS, int(room / CHAR_WIDTH))  # a caption never runs into the labels' column
    source = sources.get(claim.source, "no source given")
    conflict = [f"{o.span.text} in {shorten(sources.get(o.source, o.source), 40)}" for o in row.conflicts_with]
    classes = [f"kind-{claim.kind}", f"source-{colour[claim.source] if claim.source else 'none'}"]
    classes += [f"{axis}-{name or 'missing'}" for axis, name in claim.axes.items()]
    if row.group is not None:
        classes.append("conflict-settled" if row.settled else "conflict")
    return {
        "claim": claim,
        "row": row,
        "classes": " ".join(classes),
        "y": top,
        "bar_y": top + 8,
        "mid_y": number(top + 8 + BAR_HEIGHT / 2),
        "x": number(left),
        "end_x": number(left + width),
        "width": number(width),
        "axis_end": number(TRACK_LEFT + axis.width),
        "text_x": number(left + width if toward_end else left),
        "anchor": "end" if toward_end else "start",
        "label": shorten(claim.label, LABEL_CHARS),
        "what": shorten(f"{claim.what} · {span.text}", LABEL_CHARS + 8),
        "words": shorten(" · ".join(axis_words(claim)), chars),
        "source": shorten(f"source: {source}", chars),
        "conflict": shorten("⚠ conflicts with " + "; ".join(conflict), LABEL_CHARS + 6) if conflict else "",
        "struck": claim.axes["outcome"] in ("didNotHappen", "cancelled"),
        "details": " · ".join([span.text, *axis_words(claim), source]),
    }


def drawing(timeline: Timeline) -> dict[str, Any] | None:
    """The SVG's geometry: its size, the axis' ticks, each row's item and each conflict group's band."""
    rows = timeline.rows
    if not rows:
        return None
    axis = axis_of(rows)
    sources = source_names(rows)
    colour = {iri: i % SOURCE_COLOURS for i, iri in enumerate(sorted(sources))}
    items = [item(row, i, axis, colour, sources) for i, row in enumerate(rows)]
    bands = [
        {"y": ROWS_TOP + first * ROW_HEIGHT - 3, "height": (last - first + 1) * ROW_HEIGHT, "settled": settled}
        for first, last, settled in timeline.groups
    ]
    return {
        "width": TRACK_LEFT + axis.width + RIGHT_MARGIN,
        "height": ROWS_TOP + len(rows) * ROW_HEIGHT + 8,
        "ticks": ticks(axis),
        "items": items,
        "bands": bands,
        "sources": [{"label": sources[iri], "colour": colour[iri]} for iri in sorted(sources)],
        "track_left": TRACK_LEFT,
        "track_right": TRACK_LEFT + axis.width,
        "first": axis.first,
        "last": axis.last,
    }


def summary(timeline: Timeline) -> list[str]:
    """The lines under the title: how many claims, from how many sources, and their conflicts."""
    rows = timeline.rows
    sources = {row.claim.source for row in rows if row.claim.source}
    lines = [f"{len(rows)} dated claim{'s' * (len(rows) != 1)} from {len(sources)} source{'s' * (len(sources) != 1)}."]
    settled = sum(c.settled for c in timeline.conflicts)
    if timeline.conflicts:
        lines.append(
            f"{len(timeline.conflicts)} pair{'s' * (len(timeline.conflicts) != 1)} of conflicting dates "
            f"({settled} settled by rank), drawn side by side in a red band (grey once settled)."
        )
    else:
        lines.append("No two sources give dates for the same thing that cannot both hold.")
    if timeline.unreadable:
        shown = ", ".join(f"{statement} ({written or 'no date'})" for statement, written in timeline.unreadable)
        lines.append(f"Not drawn, as their dates are no year, month, day or period kg can read: {shown}.")
    return lines


def render_timeline(timeline: Timeline, title: str = "kg timeline") -> bytes:
    """The page of ``timeline``: the same timeline always gives the same bytes."""
    from kg.view.page import asset_text, digest

    style = asset_text(STYLE)
    env = environment()
    page = env.get_template(TEMPLATE).render(
        title=title,
        summary=summary(timeline),
        drawing=drawing(timeline),
        rows=timeline.rows,
        style=Markup(style),
        csp=f"default-src 'none'; style-src 'sha256-{digest(style)}'; script-src 'none'; img-src 'none'; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'",
    )
    return page.encode("utf-8")


def environment() -> Environment:
    """Jinja with autoescaping on, undefined names refused, loading kg.view's assets."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    from kg.view.page import asset_text

    return Environment(
        loader=FunctionLoader(asset_text), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


def timeline_html(
    engine: QueryEngine, title: str = "kg timeline", conflicts: Sequence[ConflictPair] | None = None
) -> bytes:
    """The timeline page of the graph behind ``engine``: its dated claims and their conflicts (what kg build calls)."""
    from kg.view.timeline_rows import load_timeline

    return render_timeline(load_timeline(engine, conflicts), title)
