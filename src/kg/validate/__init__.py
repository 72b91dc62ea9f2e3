"""Is the graph right: SHACL shapes (fast engine and pySHACL), SPARQL checks, evidence, the report, incremental runs.

``runner.validate`` gives one report of all of them. Its parts: ``shapes`` (the SHACL shapes, run by
``fast_engine`` as ``fast_plan`` allows, else by pySHACL), ``checks`` (the violation queries in queries/checks/),
``evidence`` (every quote found in its source), ``describe`` (each result's label and file) and ``report`` (text,
Turtle, JSON-LD). ``incremental`` checks changed files against a store, as far as ``change_reach`` says they reach.
"""
