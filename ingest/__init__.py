"""Ingest: read treaty files into records (treaties, clauses)."""
