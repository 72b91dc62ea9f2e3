"""``kg validate``: check the graph against the shapes, the violation queries and the evidence quotes."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from kg.cli import Settings
from kg.errors import CheckFailed, UsageError
from kg.project import Project
from kg.validate.fast_engine import DEFAULT_ENGINE, ENGINES
from kg.validate.report import REPORT_FORMATS, Severity, ValidationReport


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(REPORT_FORMATS)),
    default="text",
    show_default=True,
    help="text for people; turtle or json for the W3C SHACL validation report.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.label for s in sorted(Severity, reverse=True)]),
    default=Severity.VIOLATION.label,
    show_default=True,
    help="The least severe result that makes validation fail (exit 1).",
)
@click.option(
    "--shapes",
    "shapes_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Validate against these shapes instead of ontology/shapes.ttl.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="Who runs the shapes: fast (the shacl engine; pySHACL for what it cannot run alike) or pyshacl.",
)
@click.option(
    "--store",
    metavar="oxigraph:PATH",
    help="Validate the graph in this Oxigraph store (made by kg load) instead of the project's files.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="With --store: check only what the given files change, against the stored graph plus the files.",
)
@click.pass_obj
def command(
    settings: Settings,
    paths: tuple[Path, ...],
    format_name: str,
    fail_on: str,
    shapes_path: Path | None,
    engine: str,
    store: str | None,
    changed: bool,
) -> None:
    """Validate the project's graph, or the given files (and folders) merged with the ontology.

    Given files are read with the ontology and seeds/manifest.ttl, which are not themselves reported on.
    Runs the SHACL shapes in ontology/shapes.ttl, the queries in queries/checks/*-violation.rq and the
    evidence check, and prints one report. Exit codes: 0 conforms, 1 does not conform, 2 usage error,
    3 a file cannot be read or parsed.

    With --store oxigraph:PATH the stored graph is validated; adding --changed FILE... checks only the
    nodes the files touch and those the shapes and checks reach from them, against the stored graph
    plus the files (about half a second for one article against a million triples).

    Example: kg validate data/vehicles.ttl --fail-on warning

    Example: kg validate --store oxigraph:store --changed data/new-article.ttl
    """
    from kg.validate.runner import expand, load_for_validation, validate, validate_project, validation_context

    # pySHACL logs each error in a malformed shape before raising it, which kg reports as one line.
    logging.getLogger("pyshacl-validate").addFilter(below_error)
    project = settings.project()
    files = list(paths)
    if store is not None:
        report = validate_stored(project, store, files if changed else None, shapes_path, engine)
    elif changed:
        raise UsageError("--changed needs --store oxigraph:PATH: the graph the changed files are checked against")
    elif not files:  # the whole project: from the cached store, without an rdflib graph where it can
        report = validate_project(project, shapes_path=shapes_path, engine=engine)
    else:
        given = expand(files)
        loaded = load_for_validation(project, given)
        context = validation_context(project, given)
        report = validate(loaded, project, shapes_path=shapes_path, context=context, engine=engine)
    threshold = Severity.from_label(fail_on)
    click.echo(report.render(format_name, threshold), nl=False)
    if not report.conforms(threshold):
        raise CheckFailed(report.summary(threshold))


def validate_stored(
    project: Project, store: str, changed: list[Path] | None, shapes_path: Path | None, engine: str
) -> ValidationReport:
    from kg.backends import store_path
    from kg.validate.incremental import validate_changed, validate_store
    from kg.validate.runner import expand

    if changed is None:
        return validate_store(store_path(store), project, shapes_path=shapes_path, engine=engine)
    if not changed:
        raise UsageError("--changed needs the files that changed, such as data/new-article.ttl")
    return validate_changed(store_path(store), expand(changed), project, shapes_path=shapes_path, engine=engine)


def below_error(record: logging.LogRecord) -> bool:
    """pySHACL gives its logger a fresh handler and level on every call; a filter on the logger stays."""
    return record.levelno < logging.ERROR
