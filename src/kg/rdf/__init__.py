"""RDF every layer shares: namespaces, formats, parsing files, term conversion, canonical writing, summaries."""
