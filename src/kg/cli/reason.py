"""``--reason rdfs|owl-rl``: the option that adds inferred triples to what kg query, export and render see.

Apply ``@reason_option`` below ``@click.command``; the command receives ``reason`` (None without the option)
and wraps its backend with ``with_reasoning(backend, reason)`` (kg.backends.reasoning).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

PROFILES = ("rdfs", "owl-rl")  # kg.backends.reasoning.PROFILES, repeated so that --help imports no reasoner

reason_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--reason",
    type=click.Choice(PROFILES),
    help="Add what RDFS or OWL RL infers from the graph, as the named graph <https://w3id.org/kg/graph/inferred> "
    "(marked as inferred in every output). Default: nothing inferred.",
)
