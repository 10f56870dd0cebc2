"""Query processing for legal text: what a lawyer abbreviates, spelt as the treaties spell it.

"Art. 5 para. 2", "MFN", "FET", "ISDS", "BoP", "labor" / "labour": the
treaties write "Article 5 paragraph 2", "most-favoured-nation" and use
both spellings. ``expand`` rewrites the abbreviations (keeping the
original word, which some treaties use too) and, for the lexical side,
adds the other spelling of British / American variants.
"""

from __future__ import annotations

import re

# Abbreviation -> the words the treaties use. Case-sensitive where the short form is also a word.
ABBREVIATIONS: dict[str, str] = {
    "MFN": "most-favoured-nation", "NT": "national treatment", "FET": "fair and equitable treatment",
    "ISDS": "investor-state dispute settlement",
    "SPS": "sanitary and phytosanitary", "TBT": "technical barriers to trade", "BoP": "balance of payments",
    "BOP": "balance of payments", "IPR": "intellectual property rights", "IPRs": "intellectual property rights",
    "IP": "intellectual property", "ROO": "rules of origin", "RoO": "rules of origin", "GI": "geographical indication",
    "GIs": "geographical indications", "SOE": "state enterprise", "SOEs": "state enterprises",
    "FTA": "free trade agreement", "RTA": "regional trade agreement", "AD": "anti-dumping",
    "CVD": "countervailing duty", "CVDs": "countervailing duties", "NTB": "non-tariff barrier",
    "NTBs": "non-tariff barriers", "NTM": "non-tariff measure", "NTMs": "non-tariff measures",
    "DSU": "Dispute Settlement Understanding", "HS": "Harmonized System", "VCLT": "Vienna Convention",
    "e-commerce": "electronic commerce", "ecommerce": "electronic commerce",
    "SMEs": "small and medium-sized enterprises", "SME": "small and medium-sized enterprises",
    "PE": "permanent establishment", "TRQ": "tariff rate quota", "TRQs": "tariff rate quotas",
    "EIF": "entry into force",
}
_CITATION_WORDS = [
    (re.compile(r"\bArts?\.(?=\s*[\dIVXLC])", re.I), "Article"),
    (re.compile(r"\bparas?\.(?=\s*\(?\d)", re.I), "paragraph"),
    (re.compile(r"\bsub-?paras?\.(?=\s*\(?\w)", re.I), "subparagraph"),
    (re.compile(r"\bCh\.(?=\s*\d)", re.I), "Chapter"),
    (re.compile(r"\bSec\.(?=\s*\d)", re.I), "Section"),
]
# British spelling -> American; the treaties use both, so the lexical query carries both.
_SPELLINGS = {
    "favour": "favor", "favoured": "favored", "favourable": "favorable", "labour": "labor",
    "organisation": "organization", "organisations": "organizations", "recognise": "recognize",
    "recognised": "recognized", "harmonised": "harmonized", "authorisation": "authorization",
    "authorised": "authorized", "defence": "defense", "licence": "license", "licences": "licenses",
    "programme": "program", "programmes": "programs", "judgement": "judgment", "behaviour": "behavior",
    "centre": "center", "privatisation": "privatization", "nationalisation": "nationalization",
    "liberalisation": "liberalization", "standardisation": "standardization", "utilisation": "utilization",
    "endeavour": "endeavor", "catalogue": "catalog", "analyse": "analyze", "minimise": "minimize",
}
_VARIANT = {**_SPELLINGS, **{v: k for k, v in _SPELLINGS.items()}}
_ABBREV = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
                     + r")(?![\w-])")
_WORD = re.compile(r"[A-Za-z]+")


def expand(query: str) -> str:
    """The query with citation abbreviations written out and trade-law acronyms followed by their words.

    >>> expand("MFN under Art. 4 para. 2")
    'MFN (most-favoured-nation) under Article 4 paragraph 2'
    """
    for pattern, word in _CITATION_WORDS:
        query = pattern.sub(word, query)
    return _ABBREV.sub(lambda m: f"{m.group(1)} ({ABBREVIATIONS[m.group(1)]})", query)


_TITLE_WORDS = re.compile(r"\b(?:agreements?|protocols?|additional|association|interim|accession|of|the|and|on|"
                          r"trade|free|economic|partnership|cooperation|co-operation|comprehensive|framework|"
                          r"treaty|convention|states|countries|fta|epa|\d{4})\b", re.I)


def scope_names(titles: list[str], parties: list[str]) -> list[str]:
    """The names a query may use for the agreements it is already restricted to.

    From titles ("EC - Turkey Association Agreement of 1973" -> "EC", "Turkey")
    and party names ("Chile"), with abbreviations in brackets ("(EFTA)").

    >>> scope_names(["Turkey - Serbia", "EFTA - Chile Agreement"], ["Türkiye"])
    ['Turkey', 'Serbia', 'EFTA', 'Chile', 'Türkiye']
    """
    names: list[str] = []
    for title in titles:
        names += re.findall(r"\(([^)]{2,15})\)", title)
        for part in re.split(r"\s+[-–—]\s+|\s*\([^)]*\)", title):
            name = " ".join(_TITLE_WORDS.sub(" ", part).split())
            if len(name) >= 2:
                names.append(name)
    names += [p for p in parties if len(p) >= 2]
    return list(dict.fromkeys(names))


def without_names(query: str, names: list[str]) -> str:
    """``query`` without the words naming the agreements it is restricted to ("Turkey–Serbia FTA: ...").

    Inside the filter those names tell clauses apart no more; left in, they
    pull the title, preamble and signature clauses up. A query that is all
    names is kept whole.
    """
    out = query
    for name in sorted(names, key=len, reverse=True):
        out = re.sub(rf"(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)", " ", out, flags=re.I)
    out = re.sub(r"\s*[-–—]\s*(?=[-–—:,\s])", " ", out)  # "Turkey–Serbia" leaves a dangling dash
    out = " ".join(out.split()).strip(" :,-–—")
    return out if re.search(r"[A-Za-z]{3}", out) else query


def lexical_form(query: str) -> str:
    """``expand(query)`` plus the other spelling of every British / American variant it contains."""
    expanded = expand(query)
    extra = [_VARIANT[w.lower()] for w in _WORD.findall(expanded) if w.lower() in _VARIANT]
    return f"{expanded} {' '.join(extra)}" if extra else expanded
