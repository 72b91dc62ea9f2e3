"""``kg query``: run a library query, a query file or a query given inline, and print its answer."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import URIRef
from rdflib.term import Node

from kg.backends.reasoning import with_reasoning
from kg.cli import Settings
from kg.cli.options import BackendChoice
from kg.cli.reason import graph_options
from kg.errors import UsageError
from kg.guard import limits
from kg.guard.files import write_output
from kg.project import Project
from kg.query.engines import ENGINES, QUERY_PREFIXES, QueryResult
from kg.query.library import LibraryQuery, describe_query, find_query, library_queries, parse_binding, read_query_file
from kg.query.results import FORMAT_NAMES, compact, format_result
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import check_output_path

# What -o FILE's extension asks for when --format is not given.
FORMAT_BY_SUFFIX = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml"}
# ... and for a graph; .json stays SPARQL results JSON's, so a graph written to it is Turtle.
GRAPH_FORMAT_BY_SUFFIX = {ext: f.name for f in RDF_FORMATS.values() for ext in f.extensions if ext != ".json"}


@click.command("query")
@click.argument("query", required=False, metavar="[QUERY]")
@click.option("-e", "--expression", "text", metavar="SPARQL", help="Run this query text instead of a file.")
@click.option(
    "-b",
    "--bind",
    "binds",
    multiple=True,
    metavar="NAME=VALUE",
    help='Give ?NAME a value: <IRI>, a prefixed name (kgr:xiaomi) or a literal ("Lei Jun"@en, 42). Repeatable.',
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    metavar="FORMAT",
    help=f"One of {', '.join(FORMAT_NAMES)}. Default: table on a terminal, else csv; turtle for graphs.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the answer to this file.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="The SPARQL engine for the project's files [default: oxigraph, on the store kg keeps in .kg/]; "
    "a store or server uses its own.",
)
@click.option("--list", "list_library", is_flag=True, help="List the library queries and the questions they answer.")
@graph_options
@click.pass_obj
def command(
    settings: Settings,
    backend: BackendChoice,
    query: str | None,
    text: str | None,
    binds: tuple[str, ...],
    format_name: str | None,
    output: Path | None,
    engine: str | None,
    list_library: bool,
    reason: str | None,
) -> None:
    """Answer a SPARQL query over the curated graph.

    QUERY is a library query's name (see --list), a .rq file, or - for standard input; -e gives the
    query text itself. ASK queries print yes or no and exit 0 for yes, 1 for no. The graph is the
    project's files, read into memory, unless --store or --endpoint names a store or server that holds
    it (see kg load and kg push).

    Example: kg query sources-of --bind subject=kgr:xiaomi --bind predicate=kg:founder

    Example: kg query ceo --store oxigraph:store
    """
    project = settings.project() if list_library else backend.project(settings)  # the library lives in one
    if list_library:
        if query or text or binds:
            raise UsageError("--list takes no query or --bind")
        assert project is not None
        click.echo(library_listing(project), nl=False)
        return
    if output is not None and project is not None:
        check_output_path(project, output)
    chosen = choose_query(project, query, text)
    if project is not None:
        warn_about_undefined_terms(project, chosen.text)
    bindings = chosen.bindings(given_bindings(binds))
    graph_source = with_reasoning(backend.open(settings, engine), reason)
    result = graph_source.engine().run(chosen.text, bindings, source=str(chosen.path))
    data = format_result(result, format_name or default_format(result, output), QUERY_PREFIXES)
    if output is not None:
        write_output(output, data, "answer")
    else:
        stdout = sys.stdout.buffer
        stdout.write(data)
        stdout.flush()
    if result.kind == "ask" and not result.boolean:
        sys.exit(1)


def warn_about_undefined_terms(project: Project, text: str) -> None:
    """A kg: term the ontology does not define matches nothing; say so, rather than answer 0 rows in silence."""
    from kg.query.vocabulary import undefined_terms
    from kg.rdf.load import load_files

    terms = undefined_terms(text, load_files(project.ontology_files()).graph)
    if terms:
        click.echo(
            f"kg: warning: the ontology does not define {', '.join(terms)}, so nothing matches it; check the spelling",
            err=True,
        )


def choose_query(project: Project | None, query: str | None, text: str | None) -> LibraryQuery:
    if (query is None) == (text is None):
        raise UsageError(
            "give one QUERY (a library name, a file, or -) or -e SPARQL; kg query --list shows the library"
        )
    if text is not None:
        return describe_query("<query>", Path("<query>"), text, require_header=False)
    if query == "-":
        return describe_query("<stdin>", Path("<stdin>"), read_stdin(), require_header=False)
    assert query is not None
    if project is None:
        if Path(query).is_file():
            return read_query_file(Path(query), require_header=False)
        raise UsageError(
            f"{query!r} is not a query file, and library queries live in a project: run kg inside one or pass --project"
        )
    return find_query(project.queries_dir, query)


def read_stdin() -> str:
    limit = limits.current().max_input_bytes
    stream = sys.stdin
    text = stream.read() if limit is None else stream.read(limit + 1)
    limits.check_size("<stdin>", len(text.encode("utf-8")))
    return text


def given_bindings(binds: tuple[str, ...]) -> dict[str, Node]:
    given: dict[str, Node] = {}
    for bind in binds:
        name, value = parse_binding(bind)
        if name in given:
            raise UsageError(f"--bind {name} is given twice")
        given[name] = value
    return given


def default_format(result: QueryResult, output: Path | None) -> str:
    suffix = output.suffix.lower() if output else ""
    known = GRAPH_FORMAT_BY_SUFFIX if result.kind == "graph" else FORMAT_BY_SUFFIX
    if output is not None and suffix not in known and not (result.kind == "graph" and suffix == ".json"):
        named = f"the extension {suffix}" if suffix else "a name without extension"
        raise UsageError(
            f"-o {output}: cannot tell the format from {named} (known: {', '.join(sorted(known))}); give --format"
        )
    if result.kind == "graph":
        return GRAPH_FORMAT_BY_SUFFIX.get(suffix, "turtle")
    if output is not None:
        return FORMAT_BY_SUFFIX[suffix]
    return "table" if sys.stdout.isatty() else "csv"


def library_listing(project: Project) -> str:
    """One line per library query with its question, and a line per parameter it takes."""
    queries = library_queries(project.queries_dir)
    if not queries:
        return f"no library queries in {project.queries_dir}\n"
    width = max(len(q.name) for q in queries) + 2
    lines = []
    for q in queries:
        lines.append(f"{q.name:<{width}}{q.question}")
        for p in q.parameters:
            default = f" (default {written_term(p.default)})" if p.default is not None else ""
            lines.append(f"{'':<{width}}  --bind {p.name}={p.kind}{default}  {p.description}")
    return "\n".join(lines) + "\n"


def written_term(term: Node) -> str:
    """A term as a user would write it after --bind."""
    return compact(term, QUERY_PREFIXES) if isinstance(term, URIRef) else term.n3()
