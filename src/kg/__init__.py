"""kg: a curated, provenance-first knowledge graph of companies, people and vehicles."""

__version__ = "0.1.0"
