"""Benchmarks of kg, and the synthetic projects they and the tests use.

Two kinds of module live here. Scripts, run from the repository root as the README shows:
``python benchmarks/run.py``, ``python benchmarks/validate_bench.py``, ``python benchmarks/generate.py``,
``python benchmarks/snapshot_outputs.py``. Run so, their folder is first on sys.path and they import one
another by plain name (``import generate``).

``benchmarks/run.py`` is the whole benchmark; the other ``*_bench.py`` scripts are its parts, runnable alone.

Tools, which the tests import as ``benchmarks.generate`` (synthetic projects), ``benchmarks.faults`` (errors
and articles written into them), ``benchmarks.virtuoso`` (a private Virtuoso server) and ``benchmarks.report``
(the Markdown of run.py's result). Each imports nothing from its neighbours, only kg and the standard library,
so that it works the same under either name.
"""
