"""The entity network (kg.view.network) for network tools: GraphML and GEXF through networkx, and CSV.

Nodes are entities, with ``label``, ``class`` (the most specific kg class), ``classes`` (all asserted kg
classes, space-separated) and ``wikidata`` (the item's IRI, or empty). Edges are claims, one per statement
(two sources that say the same are two parallel edges), each with ``label``, ``predicate`` (the property's
IRI), ``statement``, ``standing`` (one word: current, attributed, likely, prospective, possible, inference,
unlikely, negated, failed, deprecated …, as the HTML view draws it), every axis (``attribution``,
``timing``, ``outcome``, ``likelihood``, ``polarity``, ``rank``: the concepts' local names, ``none`` where
the statement gives none), ``attributed_to``, ``rank_reason``, ``hedge`` (verbatim), the source document
(``document``, its IRI, and ``document_label``), ``direct`` (whether the direct edge subject, property,
object exists), ``backs_direct`` (whether this statement gives it) and ``backed_by`` (the space-separated
statements that give it). A direct edge that no statement backs is one edge with standing ``unbacked`` and
every axis ``none``. Attribute values are never missing: networkx's writers accept only strings, numbers and
booleans.

The CSV files are meant for spreadsheets too, which run a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (CSV injection: a label ``=HYPERLINK(...)`` from someone else's
data). Such a cell is written with a leading ``'``, which spreadsheets hide and read as "text"; no IRI,
number or boolean in these tables starts with one of those characters, so only such labels change.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kg.errors import shorten
from kg.rdf.lexical import refuse_outside_xml
from kg.view.axes import AXES
from kg.view.looks import standing
from kg.view.network import UNBACKED, Claim, Network, NetworkEdge, NetworkNode

if TYPE_CHECKING:  # networkx costs 0.2 s to import; only the writers need it
    import networkx as nx

NODE_COLUMNS = ("id", "label", "class", "classes", "wikidata")
EDGE_COLUMNS = (
    "id", "source", "target", "label", "predicate", "statement", "standing", *AXES, "attributed_to",
    "rank_reason", "hedge", "document", "document_label", "direct", "backs_direct", "backed_by",
)  # fmt: skip
NONE = "none"  # an axis the statement does not give (an outcome on a factual claim), or no statement at all


@dataclass(frozen=True)
class NetworkFormat:
    name: str
    extensions: tuple[str, ...]
    media_type: str
    write: Callable[[Network], bytes]


def node_row(node: NetworkNode) -> dict[str, str]:
    return {
        "id": node.iri,
        "label": node.label,
        "class": node.cls,
        "classes": " ".join(node.classes),
        "wikidata": node.wikidata or "",
    }


def edge_id(index: int) -> str:
    return f"e{index}"


def edge_rows(network: Network) -> list[dict[str, str | bool]]:
    """One row per statement of each edge (one for an edge no statement backs), numbered in order."""
    rows = [row for edge in network.edges for row in claim_rows(edge)]
    return [{"id": edge_id(i), **row} for i, row in enumerate(rows)]


def claim_rows(edge: NetworkEdge) -> list[dict[str, str | bool]]:
    ends: dict[str, str | bool] = {
        "source": edge.source, "target": edge.target, "label": edge.label, "predicate": edge.predicate
    }  # fmt: skip
    direct: dict[str, str | bool] = {
        "direct": edge.direct, "backed_by": " ".join(c.statement for c in edge.claims if c.direct)
    }  # fmt: skip
    if not edge.claims:
        return [ends | claim_columns(None) | direct]
    return [ends | claim_columns(claim) | direct for claim in edge.claims]


def claim_columns(claim: Claim | None) -> dict[str, str | bool]:
    """A statement's columns; for no statement (an unbacked direct edge), standing "unbacked", no axes."""
    if claim is None:
        blank = dict.fromkeys(("attributed_to", "rank_reason", "hedge", "document", "document_label"), "")
        return {"statement": "", "standing": UNBACKED, **dict.fromkeys(AXES, NONE), **blank, "backs_direct": False}
    return {
        "statement": claim.statement,
        "standing": standing(claim),
        **{axis: value or NONE for axis, value in claim.axes.values().items()},
        "attributed_to": claim.attributed_to or "",
        "rank_reason": claim.rank_reason or "",
        "hedge": claim.hedge or "",
        "document": claim.source or "",
        "document_label": claim.source_label or "",
        "backs_direct": claim.direct,
    }


def to_networkx(network: Network, form: str) -> nx.MultiDiGraph[str]:
    """The network as a networkx multigraph for the XML format ``form``: two entities can be joined by
    several properties."""
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="kg")
    for node in network.nodes.values():
        attributes = xml_safe(node_row(node), form)
        graph.add_node(attributes.pop("id"), **attributes)
    for row in (xml_safe(row, form) for row in edge_rows(network)):
        key = row.pop("id")
        graph.add_edge(str(row.pop("source")), str(row.pop("target")), key=key, **row)
    return graph


R = TypeVar("R", bound=Mapping[str, object])


def xml_safe(row: R, form: str) -> R:
    """``row``, refused (as RDF/XML refuses it) if a text in it holds a character XML 1.0 cannot hold:
    networkx would write it as it is, and no XML reader would read the file."""
    for column, value in row.items():
        if isinstance(value, str):
            refuse_outside_xml(value, f"the {column} {shorten(repr(value))} in {form}")
    return row


def graphml(network: Network) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    # The edge key becomes the GraphML edge id, unique in the document.
    nx.write_graphml(to_networkx(network, "GraphML"), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


# networkx stamps the day of writing and its own version into GEXF; we write neither.
GEXF_META = re.compile(rb"<meta\b[^>]*>.*?</meta>\s*", re.DOTALL)
GEXF_META_FIXED = b"<meta>\n    <creator>kg</creator>\n  </meta>\n  "


def gexf(network: Network) -> bytes:
    import networkx as nx

    graph = to_networkx(network, "GEXF")
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key  # GEXF's edge id is the same as GraphML's
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
    return GEXF_META.sub(GEXF_META_FIXED, buffer.getvalue(), count=1)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(columns: tuple[str, ...], rows: Sequence[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(str(v).lower() if isinstance(v, bool) else v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` so that it stays text."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def nodes_csv(network: Network) -> bytes:
    return csv_bytes(NODE_COLUMNS, [node_row(node) for node in network.nodes.values()])


def edges_csv(network: Network) -> bytes:
    return csv_bytes(EDGE_COLUMNS, edge_rows(network))


NETWORK_FORMATS: dict[str, NetworkFormat] = {
    f.name: f
    for f in (
        NetworkFormat("graphml", (".graphml",), "application/graphml+xml", graphml),
        NetworkFormat("gexf", (".gexf",), "application/gexf+xml", gexf),
        NetworkFormat("csv-nodes", (), "text/csv", nodes_csv),
        NetworkFormat("csv-edges", (), "text/csv", edges_csv),
    )
}
