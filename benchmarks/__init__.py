"""Benchmarks of kg, and the synthetic projects they and the tests use.

Two kinds of module live here. Scripts, run from the repository root as the README shows:
``python benchmarks/run.py``, ``python benchmarks/validate_bench.py``, ``python benchmarks/generate.py``,
``python benchmarks/snapshot_outputs.py``. Run so, their folder is first on sys.path and they import one
another by plain name (``import generate``).

Tools, which the tests import as ``benchmarks.generate`` (synthetic projects), ``benchmarks.faults`` (errors
and articles written into them) and ``benchmarks.virtuoso`` (a private Virtuoso server). Each imports nothing
from its neighbours, only kg and the standard library, so that it works the same under either name.
"""
