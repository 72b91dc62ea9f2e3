"""Curation: start a source, import its claims from a sheet, look entities and quotes up, see what changed."""
