"""Opening a store folder: its graph store and its search engine, as the command line and the app use them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import GraphStore
from ingest.atomic import write_atomic
from ingest.choices import Choice
from search.engine import SearchEngine


class GraphKind(Choice):
    """The graph store: the embedded SQLite file (default) or a Neo4j server."""

    SQLITE = "sqlite"
    NEO4J = "neo4j"


MODEL_FILE = "model.json"  # in the store folder: the model the store uses when --model is not given
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
    device: str = "auto"  # where ingest, re-indexing and tune embed (queries run on the CPU)
    # Map the vector index file instead of reading it: a process that answers one query starts 0.2 s sooner; one
    # that answers many gains nothing (one A/B run had its searches 3-4 ms slower mapped, a second none:
    # benchmarks/RESULTS.md), so only one-query commands map it.
    map_index: bool = False
    neo4j_uri: str = field(default_factory=lambda: os.environ.get("NEO4J_URI") or DEFAULT_NEO4J_URI)
    neo4j_user: str | None = field(default_factory=lambda: os.environ.get("NEO4J_USER"))
    neo4j_password: str | None = field(default_factory=lambda: os.environ.get("NEO4J_PASSWORD"))


def store_model(folder: Path) -> str | None:
    """The model path the store's ``model.json`` names (``pacta tune`` writes it), or None."""
    try:
        chosen = json.loads((folder / MODEL_FILE).read_text()).get("model")
    except (OSError, ValueError, AttributeError):
        return None
    return str(folder / chosen) if chosen else None


def set_store_model(folder: Path, relative: str | None) -> None:
    """Make the model at ``folder/relative`` the store's default, or the packaged model again when None."""
    target = folder / MODEL_FILE
    if relative is None:
        target.unlink(missing_ok=True)
        return
    write_atomic(target, json.dumps({"model": relative}))


class Context:
    """The open parts of one store folder; close it when done (or use ``with``)."""

    def __init__(self, settings: Settings) -> None:
        settings.graph = GraphKind.from_str(settings.graph)
        self.settings = settings
        self.folder = settings.store
        self._graph: GraphStore | None = None
        # Each graph store has its own index, which records the generation of that graph it matches.
        self._index_name = "index" if settings.graph == "sqlite" else f"index-{settings.graph}"
        self.use_model(settings.model or store_model(self.folder))

    def use_model(self, model: str | None) -> None:
        """Search and index with ``model`` (None: the packaged all-MiniLM-L6-v2) from now on."""
        self.model = model
        self.engine = SearchEngine(self.folder, model, self.settings.precision, self._index_name,
                                   self.settings.device, map_index=self.settings.map_index)

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
