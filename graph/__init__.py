"""Graph: store treaties, clauses and parties; link and analyse them (SQLite default, Neo4j for teams)."""
