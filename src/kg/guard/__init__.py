"""Bounds and refusals: time and size limits, the network guard, the one SPARQL reader, guarded files, atomic writes."""
