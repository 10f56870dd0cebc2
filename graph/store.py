"""The GraphStore protocol: what every graph backend (SQLite, Neo4j) promises. Its docstrings are the contract."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from graph.records import ConflictLink, RelatedLink, SimilarLink
from ingest.records import Clause, DefinedTerm, ParsedTreaty, Reference, Treaty


@runtime_checkable
class GraphStore(Protocol):
    """Treaties, their clause hierarchy, parties and who is party to what.

    Identity: a treaty is identified by ``treaty_id``, a clause by
    ``clause_id``, a party by its alpha-3 code. Errors: every failure to reach
    or use the backend raises ``StoreError`` with a one-line message; nothing
    else escapes.
    """

    def upsert_treaty(self, parsed: ParsedTreaty) -> None:
        """Store a treaty with its clauses, defined terms and references, replacing what ``treaty_id`` held.

        The old clauses go with their SIMILAR_TO links, and the treaty's
        RELATED_TO links with them, until links are rebuilt. Atomic: after a
        crash either the old version or the new one is stored, never a mix;
        clauses of the old version that the new one lacks are gone. Upserting
        identical content twice leaves the store as after the first time,
        except that ``generation()`` advances on each call.
        """
        ...

    def delete_treaty(self, treaty_id: str) -> bool:
        """Remove a treaty with its clauses and party links; False if it was not stored."""
        ...

    def treaty_id_for_hash(self, content_hash: str) -> str | None:
        """The treaty stored from a source file with these bytes (SHA-256), if any."""
        ...

    def get_treaty(self, treaty_id: str) -> Treaty | None:
        ...

    def list_treaties(self, parties: Sequence[str] = (), all_parties: bool = False) -> list[Treaty]:
        """Treaties, ordered by signature date then id; with ``parties``, those with any (or all) of them."""
        ...

    def treaty_ids(self, parties: Sequence[str] = (), all_parties: bool = False,
                   in_force_on: date | None = None) -> set[str]:
        """Ids of the treaties matching every given condition.

        ``in_force_on``: entered into force on or before that day and not
        inactive on it (a treaty with no entry-into-force date never matches).
        """
        ...

    def treaties_sharing_parties(self, treaty_id: str) -> dict[str, int]:
        """Two hops out through the parties: every other treaty with a party in common, and how many."""
        ...

    def clauses(self, treaty_id: str) -> list[Clause]:
        """A treaty's clauses in reading order (empty if it is not stored)."""
        ...

    def get_clauses(self, clause_ids: Iterable[str]) -> dict[str, Clause]:
        """The stored clauses among ``clause_ids``, keyed by id; unknown ids are left out."""
        ...

    def get_treaties(self, treaty_ids: Iterable[str]) -> dict[str, Treaty]:
        """The stored treaties among ``treaty_ids``, keyed by id."""
        ...

    def iter_leaf_clauses(self) -> Iterator[Clause]:
        """Every searchable (leaf) clause, ordered by treaty id then reading order."""
        ...

    def terms(self, treaty_id: str) -> list[DefinedTerm]:
        """The terms an agreement defines, in the order it defines them, each with the clauses using it.

        Graph: (:Clause)-[:DEFINES]->(:Term)<-[:USES]-(:Clause). Empty when the treaty is not stored.
        """
        ...

    def definitions(self, treaty_ids: Iterable[str]) -> list[DefinedTerm]:
        """Every term the given treaties define, without their uses (``used_in`` empty): ordered by treaty id,
        then in the order each treaty defines them. Unknown treaty ids give nothing."""
        ...

    def references(self, clause_ids: Iterable[str]) -> list[Reference]:
        """What the given clauses refer to: by clause in the order given, each clause's in reading order.

        Graph: (:Clause)-[:REFERS_TO]->(:Clause|:Instrument) for the resolved
        ones; unresolved ones (``target_id`` None) are kept too.
        """
        ...

    def references_to(self, target_id: str) -> list[Reference]:
        """Every reference resolved to ``target_id`` (a clause id or an instrument id like "gatt-1994")."""
        ...

    def replace_links(self, similar: Sequence[SimilarLink], related: Sequence[RelatedLink], generation: int) -> None:
        """Replace every SIMILAR_TO and RELATED_TO link, and record the graph ``generation`` they were built from.

        Links are derived data. Links naming a clause or treaty that is not
        stored are skipped. They may be written in several transactions; the
        generation is recorded last, so an interrupted rebuild shows up as
        ``links_generation() != generation()`` and is redone.
        """
        ...

    def links_generation(self) -> int | None:
        """The graph generation the stored links were built from, or None if never built."""
        ...

    def related(self, treaty_id: str, k: int = 10) -> list[RelatedLink]:
        """The agreements linked to ``treaty_id`` (as ``treaty_a`` or ``treaty_b``), best score first."""
        ...

    def shared_clauses(self, treaty_a: str, treaty_b: str, k: int = 3) -> list[SimilarLink]:
        """The most similar clause pairs between two agreements, best first (``source`` in ``treaty_a``)."""
        ...

    def replace_conflicts(self, treaty_ids: Sequence[str], conflicts: Sequence[ConflictLink],
                          compared: Mapping[str, str], variants: Sequence[SimilarLink] = ()) -> None:
        """Replace every CONFLICTS_WITH and VARIANT_OF link touching a clause of ``treaty_ids`` with
        ``conflicts`` and ``variants`` (``source`` the later agreement's clause), and record each agreement of
        ``compared`` (treaty id -> content hash) as compared at that content.

        Links naming a clause that is not stored are skipped. Atomic on SQLite; on Neo4j written in batches,
        the record of what was compared last, so an interrupted run is redone. Replacing or deleting an
        agreement drops the links touching its clauses (its record no longer matches its content).
        """
        ...

    def conflicts(self, treaty_ids: Iterable[str]) -> list[ConflictLink]:
        """The CONFLICTS_WITH links touching a clause of ``treaty_ids``, ordered by source, target and kind."""
        ...

    def variants(self, treaty_ids: Iterable[str]) -> list[SimilarLink]:
        """The VARIANT_OF links between two clauses of ``treaty_ids``, ordered by source and target."""
        ...

    def conflict_runs(self) -> dict[str, str]:
        """The stored agreements whose conflicts are computed, with the content hash they were computed at."""
        ...

    def generation(self) -> int:
        """A counter that advances with every committed change; derived indexes record the value they match."""
        ...

    def stats(self) -> dict[str, int]:
        """Counts: treaties, clauses, leaf_clauses, parties, party_links."""
        ...

    def close(self) -> None:
        ...
