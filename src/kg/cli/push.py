"""``kg push``: publish the graph to a SPARQL 1.1 server, one named graph per part, each replaced whole."""

from __future__ import annotations

import click

from kg.backends.progress import Progress
from kg.cli import Settings

DEFAULT_REQUEST_TIMEOUT = 600.0


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL", help="The server's SPARQL query endpoint.")
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its Graph Store HTTP Protocol endpoint (Virtuoso: …/sparql-graph-crud); without it, data goes as "
    "SPARQL Update INSERT DATA.",
)
@click.option("--update-endpoint", metavar="URL", help="Its SPARQL Update endpoint, if not the query endpoint.")
@click.option(
    "--request-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_REQUEST_TIMEOUT,
    show_default=True,
    help="Seconds one request to the server may take.",
)
@click.option(
    "--no-validate",
    is_flag=True,
    help="Push without validating first (for large graphs validated before; SHACL takes minutes at millions).",
)
@click.pass_obj
def command(
    settings: Settings,
    endpoint: str,
    graph_store: str | None,
    update_endpoint: str | None,
    request_timeout: float,
    no_validate: bool,
) -> None:
    """Publish the project's graph to a SPARQL server as kg's named graphs, each replaced whole.

    The graph must pass validation (shapes, checks and evidence), as for kg build. It is split as kg
    export splits it: the ontology, the sources, one graph per source, the entities, and the dataset
    description kgg:void, which lists the others. Each graph is uploaded into a staging graph and
    counted; only then does one update move them all into place, and every graph is counted again.
    A push that fails while uploading leaves the previous version in place; any failure is reported,
    never a silently half-loaded graph. Credentials come from KG_ENDPOINT_USER and
    KG_ENDPOINT_PASSWORD, or ~/.netrc.

    Example: kg push --endpoint http://localhost:8890/sparql --graph-store http://localhost:8890/sparql-graph-crud
    """
    from kg.backends.endpoint import allow_endpoint, check_reachable
    from kg.backends.http import Endpoint, SparqlClient
    from kg.backends.memory import MemoryBackend
    from kg.backends.push import push_dataset
    from kg.build import load_checked
    from kg.rdf.load import load_project

    target = Endpoint(endpoint, update_endpoint, graph_store, timeout=request_timeout)
    allow_endpoint(target)
    client = SparqlClient.from_environment(target)
    check_reachable(client)  # before loading anything: a wrong URL fails at once
    project = settings.project()
    loaded = load_project(project) if no_validate else load_checked(project)[0]
    # kg's named graphs, as kg export writes them from the files, and the description that lists them.
    dataset = MemoryBackend(loaded, project).dataset()
    report = push_dataset(client, dataset, Progress.to_stderr())
    click.echo(report.summary())
