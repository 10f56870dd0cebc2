"""What both stores share above their queries: combining treaty filters the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ingest.records import Treaty


class TreatyFilters:
    """``list_treaties`` and ``treaty_ids`` of the GraphStore contract, on four primitive queries."""

    def _all_treaties(self) -> list[Treaty]:
        raise NotImplementedError

    def _all_ids(self) -> set[str]:
        raise NotImplementedError

    def _ids_with_parties(self, codes: list[str], all_parties: bool) -> set[str]:
        raise NotImplementedError

    def _ids_in_force(self, day: date) -> set[str]:
        raise NotImplementedError

    def list_treaties(self, parties: Sequence[str] = (), all_parties: bool = False) -> list[Treaty]:
        rows = self._all_treaties()
        if not parties:
            return rows
        keep = self.treaty_ids(parties, all_parties)
        return [t for t in rows if t.treaty_id in keep]

    def treaty_ids(self, parties: Sequence[str] = (), all_parties: bool = False,
                   in_force_on: date | None = None) -> set[str]:
        ids: set[str] | None = None
        if parties:
            ids = self._ids_with_parties(list(dict.fromkeys(parties)), all_parties)
        if in_force_on is not None:
            in_force = self._ids_in_force(in_force_on)
            ids = in_force if ids is None else ids & in_force
        return self._all_ids() if ids is None else ids
