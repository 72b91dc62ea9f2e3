"""Is the graph right: SHACL shapes (fast engine and pySHACL), SPARQL checks, evidence, the report, incremental runs."""
