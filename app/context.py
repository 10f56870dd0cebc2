"""Opening a store folder: its graph store and its search engine, as the command line and the app use them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import GraphStore
from ingest.errors import InputError
from search.engine import SearchEngine

GRAPH_KINDS = ("sqlite", "neo4j")
DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"


def default_store() -> Path:
    """``$PACTA_HOME`` if set, else ``./.pacta``."""
    return Path(os.environ.get("PACTA_HOME") or ".pacta")


@dataclass
class Settings:
    """Where the data lives and which parts to use."""

    store: Path = field(default_factory=default_store)
    graph: str = "sqlite"
    model: str | None = None
    precision: str = "auto"
    neo4j_uri: str = field(default_factory=lambda: os.environ.get("NEO4J_URI") or DEFAULT_NEO4J_URI)
    neo4j_user: str | None = field(default_factory=lambda: os.environ.get("NEO4J_USER"))
    neo4j_password: str | None = field(default_factory=lambda: os.environ.get("NEO4J_PASSWORD"))


class Context:
    """The open parts of one store folder; close it when done (or use ``with``)."""

    def __init__(self, settings: Settings) -> None:
        if settings.graph not in GRAPH_KINDS:
            raise InputError(f"unknown graph store '{settings.graph}' (choose {', '.join(GRAPH_KINDS)})")
        self.settings = settings
        self.folder = settings.store
        self._graph: GraphStore | None = None
        # Each graph store has its own index, which records the generation of that graph it matches.
        index_name = "index" if settings.graph == "sqlite" else f"index-{settings.graph}"
        self.engine = SearchEngine(self.folder, settings.model, settings.precision, index_name)

    @property
    def graph(self) -> GraphStore:
        if self._graph is None:
            if self.settings.graph == "neo4j":
                from graph.stores.neo4j import Neo4jGraphStore

                s = self.settings
                self._graph = Neo4jGraphStore(s.neo4j_uri, s.neo4j_user, s.neo4j_password)
            else:
                from graph.stores.sqlite import SQLiteGraphStore

                self._graph = SQLiteGraphStore(self.folder / "graph.sqlite")
        return self._graph

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
