"""SPARQL answers: the engines (rdflib, Oxigraph) in bounded workers, result formats, the query library."""
