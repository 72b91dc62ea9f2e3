"""RDF every layer shares: namespaces, formats, parsing files, term conversion, canonical writing (RDF and
JSON-LD), summaries, and the dataset kg publishes (the named-graph split and its VoID description)."""
