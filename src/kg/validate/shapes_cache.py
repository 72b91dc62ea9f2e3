"""What the store path of kg validate needs of the shapes, kept in the project's cache between commands.

Before `shacl` runs, kg parses the shapes into rdflib, refuses those that reach outside (kg.validate.shapes),
plans which roots `shacl` may run (kg.validate.fast_plan) and checks them against SHACL's own shapes for
shapes: some 60 ms for kg's shapes, every time, for a verdict that depends on the shapes' bytes alone. When
every root runs in `shacl` and the shapes pass, ``.kg/shapes-HASH.json`` keeps the verdict: the shapes as
the N-Triples `shacl` reads and the value ranges the plan guards. The hash covers the bytes, the layout of
this file and whether the network is allowed (the refusal of SERVICE in query text depends on it), so a
changed file, or another kg, never reads a verdict that is not its own. Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.util import from_n3

from kg.backends.cache import CACHE_DIR
from kg.guard import netguard
from kg.guard.files import atomic_write
from kg.project import Project
from kg.rdf.load import read_input

LAYOUT = b"kg-shapes-verdict-1\n"
PREFIX = "shapes-"


@dataclass(frozen=True)
class FastShapes:
    """Shapes that run entirely in `shacl`: as N-Triples, the ranges to guard, and whether they passed SHACL's
    shapes for shapes (None: not known yet; the engine's child process checks it first)."""

    text: str
    ranges: dict[URIRef, tuple[Literal, ...]]
    well_formed: bool | None = None


def verdict_path(project: Project, shapes_path: Path) -> Path:
    digest = hashlib.blake2b(LAYOUT, digest_size=16)
    digest.update(b"network\n" if netguard.network_allowed() else b"local\n")
    digest.update(read_input(shapes_path))  # a regular file within the size limit, as the load reads it
    return project.root / CACHE_DIR / f"{PREFIX}{digest.hexdigest()}.json"


def cached_verdict(path: Path) -> FastShapes | None:
    """The kept verdict, or None (none yet, or unreadable: it is then made again)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        ranges = {URIRef(p): tuple(literal(b) for b in bounds) for p, bounds in kept["ranges"].items()}
        return FastShapes(str(kept["text"]), ranges, True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def literal(n3: str) -> Literal:
    term = from_n3(n3)
    if not isinstance(term, Literal):
        raise ValueError(f"not a literal: {n3}")
    return term


def keep_verdict(path: Path, shapes: FastShapes) -> None:
    """Keep the verdict on shapes that passed; where .kg/ cannot be written, the next command makes it again."""
    kept = {"text": shapes.text, "ranges": {str(p): [b.n3() for b in bounds] for p, bounds in shapes.ranges.items()}}
    try:
        path.parent.mkdir(exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # as kg.backends.cache writes it, when no cache is built (a small project)
            ignore.write_text("# kg's cache of the project's graph; safe to delete\n*\n", encoding="utf-8")
        atomic_write(path, json.dumps(kept, sort_keys=True).encode("utf-8"))
    except OSError:
        return
    for old in path.parent.glob(f"{PREFIX}*.json"):
        if old != path:
            old.unlink(missing_ok=True)
