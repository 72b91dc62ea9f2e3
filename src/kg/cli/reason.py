"""``--reason rdfs|owl-rl``: the option that adds inferred triples to what kg query, export and render see.

Apply ``@reason_option`` below ``@click.command``; the command receives ``reason`` (None without the option)
and wraps its backend with ``with_reasoning(backend, reason)`` (kg.backends.reasoning). ``@graph_options``
gives a command both what it reads (kg.cli.options) and what is inferred from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.cli.options import backend_options

PROFILES = ("rdfs", "owl-rl")  # kg.backends.reasoning.PROFILES, repeated so that --help imports no reasoner

reason_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--reason",
    type=click.Choice(PROFILES),
    help="Add what RDFS or OWL RL infers from the graph, as the named graph <https://w3id.org/kg/graph/inferred> "
    "(marked as inferred in every output). Default: nothing inferred.",
)


def graph_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``@backend_options`` and ``@reason_option`` together, for the commands that read the graph."""
    return backend_options(reason_option(command))
