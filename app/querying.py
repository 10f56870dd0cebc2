"""The read-side use cases: precedent search, more-like-this, showing and listing agreements, store statistics.

Every clause leaves here as a plain dict with at least the fields README's "JSON" section
names: clause_id, treaty_id, treaty_name, citation, text, parties, source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from app.context import Context
from ingest.annotate import parse_clause_type
from ingest.errors import InputError, NoSuchAgreement, PactaError
from ingest.parties import parse_party, party_name
from ingest.records import Clause, Treaty
from search.highlight import spans
from search.index import Filter, RowHit
from search.query import scope_names
from search.rerank import DEPTH as RERANK_DEPTH
from search.rerank import RETRIEVAL_DEPTH, Candidate, Reranker, read_query


@dataclass(frozen=True)
class SearchRequest:
    """A precedent query and its filters (parties are alpha-3 codes, already checked)."""

    query: str
    parties: tuple[str, ...] = ()
    all_parties: bool = False
    clause_type: str | None = None
    modality: str | None = None
    in_force_on: date | None = None
    treaty_ids: tuple[str, ...] = ()
    k: int = 10
    collapse: bool = True
    mode: str = "hybrid"
    all_versions: bool = False  # also further language versions of an agreement ("Dutch text, Art. 1")
    rerank: bool | None = None  # rerank the fused top candidates (search/rerank.py); None: if the reranker is adopted

    def as_json(self) -> dict[str, Any]:
        """The request as the hit-list envelope's ``request`` echoes it, in a batch line's own keys."""
        return {"query": self.query, "party": list(self.parties), "all_parties": self.all_parties,
                "type": self.clause_type, "modality": self.modality, "in_force_on": _iso(self.in_force_on),
                "treaty": list(self.treaty_ids), "k": self.k, "mode": str(self.mode), "collapse": self.collapse,
                "all_versions": self.all_versions, "rerank": self.rerank}


class AlsoIn(TypedDict):
    """Another agreement carrying the identical text of a hit."""

    clause_id: str
    treaty_id: str
    treaty_name: str | None
    citation: str
    source: dict[str, Any]


class Hit(TypedDict, total=False):
    """A search hit: a clause (``clause_json``'s fields) with its rank, scores, highlighted spans and copies.

    The shape README's "JSON" section gives for ``--json``; every front end (the command line,
    the app) reads these keys and no others.
    """

    clause_id: str
    treaty_id: str
    treaty_name: str | None
    citation: str
    heading: str | None
    text: str
    parties: list[str]
    source: dict[str, Any]
    clause_type: str | None
    duty: dict[str, Any] | None
    date_signed: str | None
    date_in_force: str | None
    status: str | None
    rank: int
    score: float
    scores: dict[str, float | None]
    highlights: list[list[int]]  # [start, end) character spans of ``text`` that match the query's words
    also_in: list[AlsoIn]
    rerank: Explained  # only when the hits were reranked


class Explained(TypedDict):
    """Why a reranked hit stands where it does: its place in the fused order and each feature's contribution to
    its reranking score (weight x value; features that are zero are left out)."""

    fused_rank: int
    score: float
    contributions: dict[str, float]


@dataclass(frozen=True)
class BatchLine:
    """The answer to one line of a batch: the line's own ``id`` (its number when it gives none), and its hits
    or the one-sentence reason it could not be answered."""

    id: Any
    line: int
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    request: SearchRequest | None = None  # None when the line could not be read as a request

    def as_json(self) -> dict[str, Any]:
        return ({"id": self.id, "request": self.request.as_json() if self.request else None, "hits": self.hits}
                | ({"error": self.error} if self.error else {}))


def treaty_json(t: Treaty) -> dict[str, Any]:
    return {
        "treaty_id": t.treaty_id, "treaty_name": t.title, "type": t.type, "status": t.status,
        "date_signed": _iso(t.date_signed), "date_in_force": _iso(t.date_in_force),
        "date_inactive": _iso(t.date_inactive), "parties": list(t.parties), "language": t.language,
        "source": t.source_ids, "source_path": t.source_path, "provenance": t.provenance,
    }


def clause_json(c: Clause, t: Treaty | None, full: bool = True) -> dict[str, Any]:
    """A clause with its agreement's name, parties and dates; ``text`` includes the chapeau when ``full``."""
    return {
        "clause_id": c.clause_id, "treaty_id": c.treaty_id, "treaty_name": t.title if t else None,
        "citation": c.citation, "heading": c.heading or None, "level": c.level,
        "text": c.full_text if full else c.text, "parties": list(t.parties) if t else [],
        "source": c.source, "clause_type": c.clause_type, "secondary_type": c.secondary_type,
        "type_confidence": c.type_confidence, "type_cue": c.type_cue or None,
        "duty": c.duty.as_json() if c.duty else None,
        "date_signed": _iso(t.date_signed) if t else None, "date_in_force": _iso(t.date_in_force) if t else None,
        "status": t.status if t else None,
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _filter(ctx: Context, req: SearchRequest) -> Filter:
    treaty_ids: set[str] | None = None
    if req.parties or req.in_force_on:
        treaty_ids = ctx.graph.treaty_ids(req.parties, req.all_parties, req.in_force_on)
    if req.treaty_ids:
        unknown = [t for t in req.treaty_ids if ctx.graph.get_treaty(t) is None]
        if unknown:
            raise NoSuchAgreement(unknown[0])
        treaty_ids = set(req.treaty_ids) if treaty_ids is None else treaty_ids & set(req.treaty_ids)
    return Filter(
        frozenset(treaty_ids) if treaty_ids is not None else None,
        frozenset({req.clause_type}) if req.clause_type else None,
        frozenset({req.modality}) if req.modality else None,
        other_versions=req.all_versions,
    )


def _hits_json(ctx: Context, hits: list[RowHit], query: str = "", known: dict[str, Clause] | None = None) -> list[Hit]:
    """The hits as README's JSON gives them; ``known``: clauses already read (only the others are fetched)."""
    known = known or {}
    ids = [h.clause_id for h in hits] + [cid for h in hits for cid in h.also_in]
    clauses = known | ctx.graph.get_clauses([i for i in ids if i not in known])
    treaties = ctx.graph.get_treaties(c.treaty_id for c in clauses.values())
    out: list[Hit] = []
    for rank, hit in enumerate(hits, start=1):
        clause = clauses.get(hit.clause_id)
        if clause is None:  # index older than the graph; the next ingest rebuilds it
            continue
        item: Hit = clause_json(clause, treaties.get(clause.treaty_id))  # type: ignore[assignment]
        item["rank"], item["score"] = rank, round(hit.score, 6)
        item["scores"] = {"dense": _round(hit.dense), "bm25": _round(hit.lexical)}
        item["highlights"] = [list(span) for span in spans(query, item["text"])] if query else []
        item["also_in"] = [
            {"clause_id": o.clause_id, "treaty_id": o.treaty_id,
             "treaty_name": treaties[o.treaty_id].title if o.treaty_id in treaties else None,
             "citation": o.citation, "source": o.source}
            for o in (clauses.get(cid) for cid in hit.also_in) if o is not None
        ]
        out.append(item)
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def search(ctx: Context, req: SearchRequest) -> list[Hit]:
    """Ranked precedent clauses for ``req`` (identical texts collapsed unless ``collapse`` is False)."""
    if not req.query.strip():
        raise InputError("the query is empty")
    if req.k < 1:
        raise InputError(f"-k must be at least 1 (got {req.k})")
    flt = _filter(ctx, req)
    if flt.treaty_ids is not None and not flt.treaty_ids:
        return []
    rerank = reranker().adopted if req.rerank is None else req.rerank
    wanted = max(req.k, RERANK_DEPTH) if rerank else req.k  # the candidates reranked, found as deep as for k
    hits = ctx.engine.search(req.query, wanted, flt, req.mode, req.collapse, scope=scope_names_of(ctx, req),
                             depth=max(RETRIEVAL_DEPTH, 10 * req.k) if rerank else None)
    if not rerank:
        return _hits_json(ctx, hits, req.query)
    clauses = ctx.graph.get_clauses([h.clause_id for h in hits])
    kept = [(n, h) for n, h in enumerate(hits, start=1) if h.clause_id in clauses]
    ranked = reranker().rank(read_query(req.query), [Candidate(n, h.dense, h.lexical, clauses[h.clause_id])
                                                     for n, h in kept])[:req.k]
    out = _hits_json(ctx, [kept[i][1] for i, _, _ in ranked], req.query, known=clauses)
    for item, (i, score, contributions) in zip(out, ranked, strict=True):
        item["score"] = round(score, 6)
        item["rerank"] = {"fused_rank": kept[i][0], "score": round(score, 6), "contributions": contributions}
    return out


@lru_cache(maxsize=1)
def reranker() -> Reranker:
    """The reranker with the weights shipped in ``search/rerank.json``."""
    return Reranker.load()


def batch_request(item: Any, base: SearchRequest) -> SearchRequest:
    """The request one batch line asks for: its ``query``, and its ``party``, ``type``, ``in_force_on`` and ``k``
    where it gives them, else those of ``base`` (the command line's filters)."""
    if not isinstance(item, dict) or not isinstance(item.get("query"), str):
        raise InputError("each line must be a JSON object with a string 'query'")
    parties = item.get("party")
    if isinstance(parties, str):
        parties = [parties]
    if parties is not None and not (isinstance(parties, list) and all(isinstance(p, str) for p in parties)):
        raise InputError("'party' must be a code or a list of codes")
    day = item.get("in_force_on")
    try:
        in_force_on = date.fromisoformat(day) if day else base.in_force_on
    except (TypeError, ValueError):
        raise InputError(f"'in_force_on' {day!r} is not a date in the form YYYY-MM-DD") from None
    k = item.get("k", base.k)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(f"'k' must be a whole number of at least 1, not {k!r}")
    return replace(
        base, query=item["query"],
        parties=tuple(parse_party(p) for p in parties) if parties else base.parties,
        clause_type=parse_clause_type(item["type"]) if item.get("type") else base.clause_type,
        in_force_on=in_force_on, k=k,
    )


def search_batch(ctx: Context, lines: Iterable[str], base: SearchRequest) -> Iterator[BatchLine]:
    """One answer per non-blank line of a JSON-lines batch, in order; a bad line gets its error and the batch
    goes on. The model and the index are loaded once for the whole batch."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        line_id: Any = n
        req = None
        try:
            item = json.loads(line)
            if isinstance(item, dict) and item.get("id") is not None:
                line_id = item["id"]
            req = batch_request(item, base)
            yield BatchLine(line_id, n, search(ctx, req), request=req)
        except ValueError as exc:  # json.JSONDecodeError included
            yield BatchLine(line_id, n, error=f"not a JSON object ({exc})")
        except PactaError as exc:
            yield BatchLine(line_id, n, error=str(exc), request=req)


def scope_names_of(ctx: Context, req: SearchRequest) -> list[str]:
    """The names of the parties and agreements the request restricts to (dropped from the query's words)."""
    treaties = ctx.graph.get_treaties(req.treaty_ids).values() if req.treaty_ids else []
    codes = [*req.parties, *(p for t in treaties for p in t.parties)]
    return scope_names([t.title for t in treaties], [party_name(c) or c for c in dict.fromkeys(codes)])


def similar(ctx: Context, clause_id: str, k: int = 10, collapse: bool = True,
            all_versions: bool = False) -> list[Hit]:
    """Clauses of other wording closest in meaning to a stored clause ("more like this"); with ``all_versions``,
    also clauses of the further language versions of agreements (left out by default, as in ``search``)."""
    clause = ctx.graph.get_clauses([clause_id]).get(clause_id)
    if clause is None:
        raise InputError(f"no stored clause with id '{clause_id}' (ids appear in search results and 'pacta show')")
    if not clause.is_leaf:
        raise InputError(
            f"clause '{clause_id}' has sub-clauses; ask for one of them (see 'pacta show {clause.treaty_id}')"
        )
    hits = ctx.engine.similar(clause_id, k, Filter(other_versions=all_versions), collapse)
    if hits is None:
        raise InputError(f"clause '{clause_id}' is not in the search index yet; run 'pacta ingest' again")
    return _hits_json(ctx, hits)


def show(ctx: Context, treaty_id: str) -> dict[str, Any]:
    """An agreement's metadata, its clauses in reading order (own text, not repeated chapeaux) with the
    references each makes, and the terms it defines with the clauses that use them."""
    treaty = ctx.graph.get_treaty(treaty_id)
    if treaty is None:
        raise NoSuchAgreement(treaty_id)
    stored = ctx.graph.clauses(treaty_id)
    citations = {c.clause_id: c.citation for c in stored}
    refs: dict[str, list[dict[str, Any]]] = {}
    for r in ctx.graph.references(c.clause_id for c in stored):
        refs.setdefault(r.clause_id, []).append({
            "kind": r.kind, "mention": r.mention, "target": r.target, "target_id": r.target_id,
            "resolved": r.target_id is not None})
    clauses = [clause_json(c, treaty, full=False) | {"parent_id": c.parent_id, "references": refs.get(c.clause_id, [])}
               for c in stored]
    terms = [{"term": d.term, "clause_id": d.clause_id, "citation": citations.get(d.clause_id),
              "definition": d.definition, "used_in": list(d.used_in)} for d in ctx.graph.terms(treaty_id)]
    return treaty_json(treaty) | {"clauses": clauses, "terms": terms}


def related(ctx: Context, treaty_id: str, k: int = 10, examples: int = 3) -> dict[str, Any]:
    """An agreement's closest agreements, each with why: shared clauses and parties, and the best clause pairs."""
    graph = ctx.graph
    treaty = graph.get_treaty(treaty_id)
    if treaty is None:
        raise NoSuchAgreement(treaty_id)
    if graph.links_generation() != graph.generation():
        raise InputError("links between agreements are not built for the current data; run 'pacta ingest' again")
    links = graph.related(treaty_id, k)
    others = graph.get_treaties(link.treaty_b if link.treaty_a == treaty_id else link.treaty_a for link in links)
    items = []
    for link in links:
        other_id = link.treaty_b if link.treaty_a == treaty_id else link.treaty_a
        pairs = graph.shared_clauses(treaty_id, other_id, examples)
        clauses = graph.get_clauses([c for p in pairs for c in (p.source, p.target)])
        other = others.get(other_id)
        items.append({
            "treaty_id": other_id, "treaty_name": other.title if other else None,
            "parties": list(other.parties) if other else [], "score": link.score,
            "shared_clauses": link.shared_clauses, "shared_parties": link.shared_parties,
            "shared_party_codes": sorted(set(treaty.parties) & set(other.parties)) if other else [],
            "examples": [
                {"score": p.score, "clause": clause_json(clauses[p.source], treaty),
                 "other": clause_json(clauses[p.target], other)}
                for p in pairs if p.source in clauses and p.target in clauses
            ],
        })
    return treaty_json(treaty) | {"related": items}


def list_treaties(ctx: Context, parties: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [treaty_json(t) for t in ctx.graph.list_treaties(parties)]


def stats(ctx: Context) -> dict[str, Any]:
    counts = ctx.graph.stats()
    folder = ctx.folder
    size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) if folder.exists() else 0
    return counts | {
        "store": str(folder), "store_bytes": size, "graph_generation": ctx.graph.generation(),
        "index_generation": _int_or_none(ctx.engine.current_generation()),
    }


def _int_or_none(s: str | None) -> int | None:
    return int(s) if s is not None and s.isdigit() else None


def article(ctx: Context, clause_id: str) -> dict[str, Any]:
    """The article a clause belongs to, whole: its citation and heading and its clauses in reading order
    (own text, ``level``), with ``clause_id`` marking the one asked for."""
    clause = ctx.graph.get_clauses([clause_id]).get(clause_id)
    if clause is None:
        raise InputError(f"no stored clause with id '{clause_id}' (ids appear in search results and 'pacta show')")
    stored = ctx.graph.clauses(clause.treaty_id)
    by_id = {c.clause_id: c for c in stored}
    top = clause
    while top.parent_id and top.parent_id in by_id and top.level != "article":
        top = by_id[top.parent_id]

    def under(c: Clause) -> bool:
        seen = set()
        while c.parent_id in by_id and c.parent_id not in seen:
            if c.parent_id == top.clause_id:
                return True
            seen.add(c.parent_id)
            c = by_id[c.parent_id]
        return False

    members = [c for c in stored if c.clause_id == top.clause_id or under(c)]
    treaty = ctx.graph.get_treaty(clause.treaty_id)
    return {"clause_id": clause_id, "treaty_id": clause.treaty_id, "treaty_name": treaty.title if treaty else None,
            "citation": top.citation, "heading": top.heading or None,
            "clauses": [{"clause_id": c.clause_id, "citation": c.citation, "level": c.level, "text": c.text,
                         "is_leaf": c.is_leaf} for c in members]}


def clause_detail(ctx: Context, clause_id: str) -> dict[str, Any]:
    """One stored clause as a lawyer reads it: the clause (``clause_json``), its article, the references it makes
    (resolved ones with the clause or instrument they point to), and the terms it defines and uses, each with
    the clause that defines it."""
    clause = ctx.graph.get_clauses([clause_id]).get(clause_id)
    if clause is None:
        raise InputError(f"no stored clause with id '{clause_id}' (ids appear in search results and 'pacta show')")
    treaty = ctx.graph.get_treaty(clause.treaty_id)
    refs = ctx.graph.references([clause_id])
    targets = ctx.graph.get_clauses([r.target_id for r in refs if r.kind != "external" and r.target_id])
    citations = {c.clause_id: c.citation for c in ctx.graph.clauses(clause.treaty_id)}
    terms = ctx.graph.terms(clause.treaty_id)
    return {
        "clause": clause_json(clause, treaty),
        "article": article(ctx, clause_id),
        "references": [{"kind": r.kind, "mention": r.mention, "target": r.target, "target_id": r.target_id,
                        "target_citation": targets[r.target_id].citation if r.target_id in targets else None}
                       for r in refs],
        "defines": [{"term": d.term, "definition": d.definition, "used_in": [
            {"clause_id": u, "citation": citations.get(u)} for u in d.used_in]}
            for d in terms if d.clause_id == clause_id],
        "uses": [{"term": d.term, "definition": d.definition, "clause_id": d.clause_id,
                  "citation": citations.get(d.clause_id)} for d in terms if clause_id in d.used_in],
    }
