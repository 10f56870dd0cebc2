"""The values the conflict analysis produces: kinds and severities of finding, spans, findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.choices import Choice


class Kind(Choice):
    """What kind of clash a finding is (the kinds README's "Draft check" lists)."""

    MODALITY = "modality"      # opposite duties on the same subject
    NUMERIC = "numeric"        # a different time limit, threshold, percentage or amount for the same procedure
    FORUM = "forum"            # clashing exclusive forums or choice-of-forum rules
    DEFINITION = "definition"  # a key term defined materially differently
    SCOPE = "scope"            # a subject included by one and excluded by the other
    PRIORITY = "priority"      # both instruments claim to prevail
    MFN = "mfn"                # treatment the draft grants that an existing MFN clause may extend to third states


class Severity(Choice):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    def lowered(self) -> Severity:
        return {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW}.get(self, Severity.LOW)


Span = tuple[int, int]  # character offsets [start, end) into a clause's full text (chapeau, then own words)


@dataclass(frozen=True)
class Clash:
    """What one comparison rule found between clause ``a`` (the draft's, or the later) and clause ``b``.

    ``rule`` names the rule that fired ("numeric.time_limit"); ``severity_reason`` says why this
    severity; ``spans_a`` / ``spans_b`` mark the clashing words in each clause's full text.
    """

    kind: Kind
    severity: Severity
    rule: str
    explanation: str
    severity_reason: str
    spans_a: tuple[Span, ...] = ()
    spans_b: tuple[Span, ...] = ()
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing two clauses: the clashes found, and whether ``a`` restates ``b``."""

    clashes: tuple[Clash, ...] = ()
    restates: bool = False
    same_subject: bool = False
    agreed_numbers: tuple[tuple[int, float], ...] = ()  # numbers of ``a`` that ``b`` sets alike: (offset, sureness)
