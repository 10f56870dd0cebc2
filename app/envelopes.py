"""What ``--json`` prints: one envelope per kind of answer, the same for every command that gives that kind.

README's "JSON" section documents the same table; ``tests/plumbing/test_json_envelopes.py`` runs every command of
the parser with ``--json`` and checks its output against it, so a new command cannot go without one.

- **hit list** (``search``, ``similar``, each line of ``search --batch``): ``{"request", "hits"}``, the request
  echoed in the batch input's own keys (a batch line adds ``id``, and ``error`` when it could not be answered);
- **collection** (``list``, ``ingest``): the items under their plural name, with ``totals`` where they are counted;
- **report** (``check``, ``state``): a document with its ``summary`` first and the findings after it;
- **record** (``show``, ``related``, ``obligations``): one agreement (``treaty_id``, ``treaty_name``) and what was
  asked of it;
- **model** (``tune``, ``tune --revert``): the model the store uses afterwards, the training run, the re-indexing;
- **server** (``neo4j start|stop|status``): ``{"running", "uri", "pid"}``;
- **counts** (``stats``): the store's counts and sizes.

``app`` runs a server until it is stopped and prints its address; it has no JSON answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Envelope:
    kind: str
    keys: tuple[str, ...]  # present in every answer of the kind (an answer may add its own after them)


HIT_LIST = Envelope("hit list", ("request", "hits"))
COLLECTION_OF_TREATIES = Envelope("collection", ("treaties",))
COLLECTION_OF_FILES = Envelope("collection", ("files", "totals"))
REPORT_OF_CHECK = Envelope("report", ("draft", "summary", "findings"))
REPORT_OF_STATE = Envelope("report", ("state", "summary", "divergences", "conflicts"))
RECORD = Envelope("record", ("treaty_id", "treaty_name"))
MODEL = Envelope("model", ("model", "activated", "training", "reindex"))
SERVER = Envelope("server", ("running", "uri", "pid"))
COUNTS = Envelope("counts", ("treaties", "clauses", "store", "store_bytes"))

ENVELOPES: dict[str, Envelope | None] = {
    "search": HIT_LIST, "similar": HIT_LIST,
    "list": COLLECTION_OF_TREATIES, "ingest": COLLECTION_OF_FILES,
    "check": REPORT_OF_CHECK, "state": REPORT_OF_STATE,
    "show": RECORD, "related": RECORD, "obligations": RECORD,
    "tune": MODEL, "neo4j": SERVER, "stats": COUNTS,
    "app": None,  # a server: prints its URL and runs until stopped
}
BATCH_LINE = Envelope("hit list", ("id", "request", "hits"))
