"""What the tests share, so that no test module imports another and no file rewrites a helper.

- ``support.paths``: the repository and the test fixtures folder.
- ``support.cli``: ``run_kg``, one in-process run of the ``kg`` command line; ``KG_PROCESS``, the same as a process.
- ``support.answers``: the repository's query library and ``assert_same_answer`` (one query, two engines).
- ``support.servers``: a loopback HTTP server that records whether kg reached out to it.
- ``support.html_page``: ``Page``, a rendered HTML page's elements, text and JSON scripts as a browser parses them.
- ``support.cpu``: CPU seconds used by this process and its children, for bounds that a busy machine does not break.
- ``support.fixtures`` (a pytest plugin, loaded by tests/conftest.py): the curated project, graph, exports,
  store and validation, each made once per session; a writable copy of the project; the recording server.
- ``support.virtuoso`` (a pytest plugin, loaded by tests/conftest.py): a private Virtuoso per session or per test.

Rules these helpers serve: no test imports another test module (share through here instead); a bound on
work is CPU time (``support.cpu``), a count or a structural fact, never the wall clock, since the machine may
be busy (speed goals live in benchmarks/); what a session fixture returns is shared, so no test modifies it.

The synthetic projects and their injected errors come from the ``benchmarks`` package (benchmarks/generate.py,
benchmarks/faults.py), importable because pyproject's pytest ``pythonpath`` holds the repository root.
"""
