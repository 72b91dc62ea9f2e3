"""``kg curate migrate``: a project's old ``kg:status`` triples rewritten as the axes, in place.

stated is own voice, factual, certain; reported is attributed (its kg:attributedTo kept), factual, certain;
planned is own voice, prospective, outcome unknown, likely; speculative is possible, or unlikely when its
hedge says "unlikely". Every statement is affirmed and of normal rank. A statement with more than one status
takes each one's part (reported and planned: attributed and prospective). An axis a statement has already is
kept. Where the old status could not say what an axis now asks (how likely a plan was, whom a report
names), the value is a guess, and the migration names the statement so that a curator checks it.

Each data file is rewritten as text, the status replaced where it stands, so comments and layout stay; the
result is parsed and must be the old graph with exactly the status triples replaced, or nothing is written.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.curate.axes import AXIS_LINES, LIKELIHOOD
from kg.curate.layout import TurtleTerms, relative
from kg.curate.names import prefixed
from kg.errors import InputError
from kg.guard.files import write_output
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import parse_bytes, parse_file
from kg.rdf.namespaces import KG

OLD_STATUSES = (KG.stated, KG.reported, KG.planned, KG.speculative)  # the order their parts are applied in
BASE = {
    KG.attribution: KG.ownVoice,
    KG.timing: KG.factual,
    KG.likelihood: KG.certain,
    KG.polarity: KG.affirmed,
    KG.rank: KG.normalRank,
}
TERM = r"(?:<[^<>\s]*>|[A-Za-z][\w-]*:[\w-]*)"
STATUS_TOKEN = re.compile(rf"(?:\bkg:status|<https://w3id\.org/kg/ontology#status>)\s+{TERM}(?:\s*,\s*{TERM})*")
BLOCK_START = re.compile(r"^[^\s#@]\S*", re.MULTILINE)


@dataclass(frozen=True)
class Guess:
    """A statement whose new axes the old status did not settle, and what to check."""

    statement: URIRef
    message: str

    def line(self) -> str:
        return f"{prefixed(self.statement)}: {self.message}"


@dataclass(frozen=True)
class Migration:
    statements: int
    written: list[str]
    guesses: list[Guess]


def new_axes(graph: Graph, statement: Node, statuses: set[Node]) -> tuple[dict[URIRef, URIRef], list[str]]:
    """The axes the old statuses give the statement (those it lacks), and what of them is a guess."""
    axes = dict(BASE)
    guesses = []
    attributed_to = graph.value(statement, KG.attributedTo)
    if KG.stated in statuses and attributed_to is not None and KG.reported not in statuses:
        guesses.append(f"stated, yet names kg:attributedTo {prefixed_node(attributed_to)}: kept own voice")
    if KG.reported in statuses:
        axes[KG.attribution] = KG.attributed
        if attributed_to is None:
            guesses.append("reported without kg:attributedTo: add whom the source names")
    if KG.planned in statuses:
        axes.update({KG.timing: KG.prospective, KG.outcome: KG.outcomeUnknown, KG.likelihood: KG.likely})
        guesses.append("planned: likelihood likely and outcome unknown are guesses")
    if KG.speculative in statuses:
        hedges = sorted(str(h) for h in graph.objects(statement, KG.hedge))
        unlikely = any("unlikely" in h.casefold() for h in hedges)
        axes[KG.likelihood] = KG.unlikely if unlikely else KG.possible
        said = f"hedge {', '.join(repr(h) for h in hedges)}" if hedges else "no hedge"
        guesses.append(f"speculative ({said}): likelihood {LIKELIHOOD.label(axes[KG.likelihood])}")
    unknown = sorted(prefixed_node(s) for s in statuses if s not in OLD_STATUSES)
    if unknown:
        guesses.append(f"unknown status {', '.join(unknown)}: read as stated")
    kept = {p: v for p, v in axes.items() if graph.value(statement, p) is None}
    return kept, guesses


def prefixed_node(node: Node) -> str:
    """A term for a message: a blank node's label is made up, so it is "a blank node"."""
    if isinstance(node, BNode):
        return "a blank node"
    return prefixed(node) if isinstance(node, URIRef) else node.n3()


def axes_text(terms: TurtleTerms, axes: dict[URIRef, URIRef], indent: str) -> str:
    """The axes as the pairs that take the status's place, on the two lines kg import writes them on."""
    lines = [
        [f"{terms.term(a.prop)} {terms.term(axes[a.prop])}" for a in line if a.prop in axes] for line in AXIS_LINES
    ]
    return f" ;\n{indent}".join(" ; ".join(pairs) for pairs in lines if pairs)


class BlockSubjects:
    """The first token of each line that starts a Turtle block (neither indented, a comment nor a directive)."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), m.group(0)) for m in BLOCK_START.finditer(text)]
        self.starts = [start for start, _ in found]
        self.tokens = [token for _, token in found]

    def before(self, position: int) -> str:
        """The subject of the block that ``position`` falls in, as the file writes it."""
        index = bisect.bisect_right(self.starts, position) - 1
        return self.tokens[index] if index >= 0 else ""


Plan = list[tuple[Node, dict[URIRef, URIRef], list[str]]]


def plan(graph: Graph) -> Plan:
    """For each statement with a kg:status, by IRI: the axes it gets and the guesses among them."""
    statements = sorted(set(graph.subjects(KG.status, None)), key=lambda n: n.n3())
    return [(s, *new_axes(graph, s, set(graph.objects(s, KG.status)))) for s in statements]


def applied(graph: Graph, steps: Plan) -> Graph:
    result = Graph() + graph
    for statement, axes, _ in steps:
        result.remove((statement, KG.status, None))
        for prop, value in axes.items():
            result.add((statement, prop, value))
    return result


def guesses_of(steps: Plan) -> list[Guess]:
    return [Guess(s, message) for s, _, guessed in steps if isinstance(s, URIRef) for message in guessed]


def migrate_graph(graph: Graph) -> tuple[Graph, list[Guess]]:
    """The graph with its kg:status triples replaced by axes, and the guesses made."""
    steps = plan(graph)
    return applied(graph, steps), guesses_of(steps)


@dataclass(frozen=True)
class FileMigration:
    path: Path
    text: str
    statements: int
    guesses: list[Guess]


def migrate_file(path: Path) -> FileMigration | None:
    """The file's text with its statuses replaced by axes, checked; None when it has no kg:status."""
    graph = parse_file(path)
    steps = plan(graph)
    if not steps:
        return None
    text = path.read_text(encoding="utf-8")
    terms = TurtleTerms(text)
    axes_of = {spelling: axes for s, axes, _ in steps for spelling in (terms.term(s), s.n3())}
    blocks = BlockSubjects(text)

    def replace(match: re.Match[str]) -> str:
        axes = axes_of.get(blocks.before(match.start()))
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        return match.group(0) if axes is None else axes_text(terms, axes, indent or "    ")

    new_text = STATUS_TOKEN.sub(replace, text)
    try:
        migrated = parse_bytes(new_text.encode("utf-8"), RDF_FORMATS["turtle"], source=str(path))
    except InputError:
        migrated = Graph()
    if not same_graph(migrated, applied(graph, steps)):
        left = sorted(prefixed_node(s) for s in set(migrated.subjects(KG.status, None)))
        where = f" (left: {', '.join(left)})" if left else ""
        raise InputError(
            f"the kg:status of its statements could not be rewritten in place{where}; nothing was written: "
            "edit them by hand",
            path=str(path),
        )
    return FileMigration(path, new_text, len(steps), guesses_of(steps))


def same_graph(first: Graph, second: Graph) -> bool:
    """Whether two graphs hold the same triples; blank nodes, whose labels differ, by isomorphism."""
    if len(first) != len(second):
        return False
    has_blank = any(isinstance(term, BNode) for graph in (first, second) for triple in graph for term in triple)
    return isomorphic(first, second) if has_blank else set(first) == set(second)


def migrate_project(project: Project, *, write: bool = True) -> Migration:
    """Every data file's kg:status rewritten as axes; all files are checked before any is written."""
    done = [m for m in (migrate_file(path) for path in project.data_files()) if m is not None]
    if write:
        for migration in done:
            write_output(migration.path, migration.text.encode("utf-8"), "the migrated statements")
    guesses = sorted((g for m in done for g in m.guesses), key=lambda g: str(g.statement))
    return Migration(sum(m.statements for m in done), [relative(project, m.path) for m in done], guesses)
