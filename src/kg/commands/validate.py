"""``kg validate``: check the graph against the shapes, the violation queries and the evidence quotes."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from kg.cli import Settings
from kg.errors import CheckFailed
from kg.report import REPORT_FORMATS, Severity


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
@click.pass_obj
def command(
    settings: Settings, paths: tuple[Path, ...], format_name: str, fail_on: str, shapes_path: Path | None
) -> None:
    """Validate the project's graph, or the given files (and folders) merged with the ontology.

    Given files are read with the ontology and seeds/manifest.ttl, which are not themselves reported on.
    Runs the SHACL shapes in ontology/shapes.ttl, the queries in queries/checks/*-violation.rq and the
    evidence check, and prints one report. Exit codes: 0 conforms, 1 does not conform, 2 usage error,
    3 a file cannot be read or parsed.

    Example: kg validate data/vehicles.ttl --fail-on warning
    """
    from kg.validate import load_for_validation, validate, validation_context  # pySHACL loads only here

    # rdflib logs a traceback for every ill-typed literal ("2024-02-30"^^xsd:date), which the report names,
    # and pySHACL logs each error in a malformed shape before raising it, which kg reports as one line.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    logging.getLogger("pyshacl-validate").addFilter(below_error)
    project = settings.project()
    files = list(paths)
    loaded = load_for_validation(project, files)
    report = validate(loaded, project, shapes_path=shapes_path, context=validation_context(project, files))
    threshold = Severity.from_label(fail_on)
    click.echo(report.render(format_name, threshold), nl=False)
    if not report.conforms(threshold):
        raise CheckFailed(report.summary(threshold))


def below_error(record: logging.LogRecord) -> bool:
    """pySHACL gives its logger a fresh handler and level on every call; a filter on the logger stays."""
    return record.levelno < logging.ERROR
