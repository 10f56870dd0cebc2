"""Cross-references: the provisions of the same agreement and the other instruments a clause cites.

Only a clause's own ``text`` is searched, so a reference in a chapeau is counted once, for the
clause that says it. Internal references resolve against the agreement's clauses; a reference
Pacta cannot place with confidence keeps ``target_id`` None rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.annotate.instruments import Hit, instrument_hits, instruments
from ingest.records import Clause, Reference

# --- numbers and labels ----------------------------------------------------------------------------

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUE = {w: i for i, w in enumerate(_UNITS, 1)} | {w: i for i, w in enumerate(_TEENS, 10)} | {
    w: i for i, w in enumerate(_TENS, 2)
}
_WORD_NUM = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|{'|'.join(_UNITS)})(?![\w-])"
)


def _word_number(word: str) -> str | None:
    parts = re.split(r"[- ]", word.lower())
    if not all(p in _WORD_VALUE for p in parts):
        return None
    if len(parts) == 1:
        return str(_WORD_VALUE[parts[0]])
    return str(_WORD_VALUE[parts[0]] * 10 + _WORD_VALUE[parts[1]])


def _norm_num(num: str) -> str:
    """An article or division number as a lookup key: "Twenty-One" -> "21", "10.04" -> "10.4", "1 bis" -> "1bis"."""
    num = num.strip()
    if (word := _word_number(num)) is not None:
        return word
    parts = re.split(r"([.\-])", num.replace(" ", "").lower())
    return "".join(str(int(p)) if p.isdigit() else p for p in parts)


def _norm_label(label: str) -> str:
    return label.strip("().").lower()


# --- parsing ---------------------------------------------------------------------------------------

_S = r"[^\S\n]*"  # spacing within a line
_DOTTED = rf"\d+(?:\.\d+)*(?:{_S}(?:bis|ter|quater)\b)?(?![\d])"
_HYPHENED = r"\d+(?:[.\-]\d+)*(?![\d])"  # "Article 3-07" where the agreement numbers articles so
_ART_OTHER = rf"[A-Z]-?\d+(?:\.\d+)*\b|[IVXLC]+(?:\.\d+)*(?:{_S}(?:bis|ter|quater))?\b|(?i:{_WORD_NUM})"
_DIV_NUM = (
    rf"(?:\d+(?:[.\-]\d+)*(?:-?[A-Z](?![\w]))?(?![\w])|[IVXLC]+(?:-[A-Z])?\b|[A-Z](?:-?\d+)?\b|(?i:{_WORD_NUM}))"
)
_LOC = r"(?:[^\S\n]?\(\s?(?:\d{1,3}|[a-z]{1,4}|[A-Z])\s?\)|:\s?\d+)"
_LOC_PARTS = re.compile(r"\(\s?([^)\s]+)\s?\)|:\s?(\d+)")
_ITEM = {
    "article": re.compile(rf"(?P<num>{_DOTTED}|{_ART_OTHER})(?P<locs>{_LOC}*)"),
    "article-": re.compile(rf"(?P<num>{_HYPHENED}|{_ART_OTHER})(?P<locs>{_LOC}*)"),
    "paragraph": re.compile(rf"(?P<num>\d{{1,3}}(?!\d)(?!\.\d))?(?P<locs>{_LOC}*)"),
    "division": re.compile(rf"(?:No\.?{_S})?(?P<num>{_DIV_NUM})(?P<locs>{_LOC}*)"),
    "labels": re.compile(rf"(?P<num>)(?P<locs>{_LOC}+)"),
}
_HEAD = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<this>this|the present|that|the said|the same|the)\s+(?P<this_kind>Article|Chapter|Section|Sub-?Section|"
    r"Part|Annex|Appendix|Protocol|Title|paragraph|sub-?paragraph)(?![\w-])"
    r"|(?P<kind>Articles?|Arts?\.|(?:sub-?)?paragraphs?|sub-?paras?\.?|paras?\.|items?|points?|"
    r"Chapters?|Annex(?:es)?|Sections?|Sub-?Sections?|Parts?|Titles?|Protocols?|Appendix|Appendices|Schedules?)"
    r"(?:(?<=\.)|(?![\w-]))[^\S\n]*"
    r")",
    re.I,
)
_SEP = re.compile(rf"{_S}(?:(?P<comma>,){_S}(?:(?P<cw>and|or|and/or){_S})?|(?P<w>and/or|and|or|to|through|[-–]){_S})",
                  re.I)
_RANGE = {"to", "through", "-", "–"}
_UNIT = re.compile(rf"{_S}(?:days?|weeks?|months?|years?|per{_S}cent|percent|%|working|calendar)\b", re.I)
_HERE = re.compile(rf"{_S}(?:hereof|hereunder|above|below)\b|,?{_S}(?:of|in|under|to){_S}(?:this|the present){_S}"
                   r"(?:Agreement|Treaty|Convention)\b", re.I)
# "Article 41, paragraphs 3 to 6"
_PARAGRAPHS_OF_ARTICLE = re.compile(rf",?{_S}(?=(?:paragraphs?|paras?\.)\s*\d)", re.I)
_OF = re.compile(rf",?{_S}(?P<prep>of|in|under|to|contained in|set out in){_S}", re.I)
_THE = re.compile(rf"{_S},?{_S}(?:(?:the|its){_S})?", re.I)
_AND_NEXT = re.compile(rf",?{_S}(?:and|or){_S}", re.I)
# What may follow "of (the)" and still be this agreement: anything else capitalised is another instrument.
_HOME = re.compile(
    r"(?:the\s+)?(?:(?:Agreement|Treaty|Convention)(?!\s+(?i:on|of|for|establishing|between|concerning|relating|"
    r"signed|done|referred|with|among)\b)(?![\w-])|Part(?:y|ies)\b|Contracting\b|Member|Annex|Appendix|"
    r"Chapter|Section|Schedule|Protocol\b(?!\s+(?:on|of|to)\b)|Title)",
)


@dataclass
class _Ref:
    """A parsed reference: what it names, where it stands in the text, and what qualifies it."""

    kind: str  # article | paragraph | division | this
    word: str  # "Article", "Chapter", "Annex" ... as a title-case noun
    items: list[tuple[str, ...]]  # (number, *labels) for articles and divisions; labels for paragraphs
    start: int
    end: int
    outer: _Ref | None = None  # "of Article 12", "of Annex I"
    instrument: str | None = None  # an external instrument qualifies it
    foreign: bool = False  # an instrument Pacta does not know qualifies it
    ranges: set[int] = field(default_factory=set)  # item i is the end of a range starting at item i-1


def _noun(kind_word: str) -> str:
    w = kind_word.lower().rstrip(".").replace("-", "")
    for stem, noun in (("art", "Article"), ("chapter", "Chapter"), ("annex", "Annex"), ("subsection", "Section"),
                       ("section", "Section"), ("part", "Part"), ("title", "Title"), ("protocol", "Protocol"),
                       ("append", "Appendix"), ("schedule", "Schedule"), ("subpar", "subparagraph"),
                       ("par", "paragraph"), ("item", "paragraph"), ("point", "paragraph")):
        if w.startswith(stem):
            return noun
    return kind_word


class _Parser:
    """Reads the reference phrases of one clause text; ``hyphened`` when articles are numbered "3-07"."""

    def __init__(self, text: str, hits: list[Hit], hyphened: bool = False) -> None:
        self.text = text
        self.hits = {h.start: h for h in hits}
        self.ends = {h.end: h for h in hits}
        self.article_re = _ITEM["article-" if hyphened else "article"]

    def at(self, pos: int, depth: int = 0) -> _Ref | None:
        """The reference whose head starts exactly at ``pos``, with its qualifiers."""
        m = _HEAD.match(self.text, pos)
        if not m:
            return None
        if m["this"]:
            noun = _noun(m["this_kind"])
            article = m["this"].lower() in ("the", "the same")
            if article and (noun != "Article" or not depth):
                return None  # "the Article" is a self-reference only inside "paragraph 1 of the Article"
            return _Ref("this", noun, [()], m.start(), m.end())
        noun = _noun(m["kind"])
        kind = "article" if noun == "Article" else "paragraph" if noun in ("paragraph", "subparagraph") else "division"
        ref = _Ref(kind, noun, [], m.start(), m.end())
        pos = self._items(ref, m.end(), plural=m["kind"].lower().rstrip(".").endswith("s"))
        if not ref.items:
            return None
        return self._qualify(ref, pos, depth)

    def _item(self, kind: str, pos: int) -> re.Match[str] | None:
        m = (self.article_re if kind == "article" else _ITEM[kind]).match(self.text, pos)
        if m and not (m["num"] or m["locs"]):
            m = None
        if m is None and kind in ("article", "paragraph"):
            m = _ITEM["labels"].match(self.text, pos)  # "paragraph 1(a) and (b)": labels after a numbered item
        return m

    def _items(self, ref: _Ref, pos: int, plural: bool) -> int:
        while (m := self._item(ref.kind, pos)) is not None:
            if ref.items and _UNIT.match(self.text, m.end()):
                break  # "Article 12.16 or 90 days"
            locs = tuple(_norm_label(x) for pair in _LOC_PARTS.findall(m["locs"] or "") for x in pair if x)
            if m["num"]:
                ref.items.append((m["num"], *locs))
            elif ref.items and 0 < len(locs) < len(ref.items[-1]):
                ref.items.append(ref.items[-1][: len(ref.items[-1]) - len(locs)] + locs)
            elif ref.kind == "paragraph" and not ref.items:
                ref.items.append(locs)
            else:
                break
            pos = m.end()
            sep = _SEP.match(self.text, pos)
            if not sep or (sep["comma"] and not plural and not sep["cw"]) or self._item(ref.kind, sep.end()) is None:
                break
            if (sep["w"] or "").lower() in _RANGE:
                ref.ranges.add(len(ref.items))
            pos = sep.end()
        return pos

    def _qualify(self, ref: _Ref, pos: int, depth: int) -> _Ref:
        text = self.text
        if ref.kind == "article" and len(ref.items) == 1 and (m := _PARAGRAPHS_OF_ARTICLE.match(text, pos)):
            head = _HEAD.match(text, m.end())
            paras = _Ref("paragraph", "paragraph", [], m.end(), m.end())
            if head is not None and (end := self._items(paras, head.end(), plural=True)) > head.end():
                ref.items = [ref.items[0] + p for p in _expand(paras)]
                pos = end
        ref.end = pos
        ref.instrument = self._instrument_before(ref.start)
        if (h := _HERE.match(text, pos)) is not None:
            ref.end = h.end()
            return ref
        of = _OF.match(text, pos)
        if of is None:
            the = _THE.match(text, pos)  # "Article XX GATT 1994", "articles I and III GATT 1994"
            if the and (hit := self.hits.get(the.end())) is not None and the.end() - pos <= 6:
                ref.instrument, ref.end = hit.instrument, hit.end
            elif (nxt := _AND_NEXT.match(text, pos)) and depth < 3 and (other := self.at(nxt.end(), depth + 1)):
                # "Articles 2 and 5 and Annex 3 of the TBT Agreement"
                ref.instrument = ref.instrument or other.instrument
            return ref
        at = of.end()
        the = _THE.match(text, at)
        after_the = the.end() if the else at
        if (hit := self.hits.get(after_the) or self.hits.get(at)) is not None:
            ref.instrument, ref.end = hit.instrument, hit.end
            return ref
        if depth < 3 and (outer := self.at(at, depth + 1)) is not None:
            if outer.kind == "this" and outer.word in ("paragraph", "subparagraph"):
                return ref
            ref.outer, ref.end = outer, outer.end
            ref.instrument = ref.instrument or outer.instrument
            ref.foreign = outer.foreign
            return ref
        if of["prep"].lower() == "of" and text[after_the : after_the + 1].isupper() and not _HOME.match(text, at):
            ref.foreign = True  # "of the Constitución Política", "of Regulation (EEC) No 17/62"
        return ref

    def _instrument_before(self, start: int) -> str | None:
        """An instrument named right before the head: "GATT 1994 Article XX", "the TRIPS Agreement, Article 5"."""
        for gap in ("", " ", ", ", "'s ", "’s "):
            if (hit := self.ends.get(start - len(gap))) is not None and self.text[hit.end : start] == gap:
                return hit.instrument
        return None


# --- resolution ------------------------------------------------------------------------------------

_CITATION = re.compile(r"^(?:(?P<annex>.+?),\s*)?Art\.\s*(?P<num>.+)$")


class _Agreement:
    """The clauses of one agreement, indexed for resolving references."""

    def __init__(self, clauses: list[Clause]) -> None:
        self.by_id = {c.clause_id: c for c in clauses}
        self.children: dict[str, dict[str, Clause]] = {}
        self.articles: dict[tuple[str, str], list[Clause]] = {}
        self.annex_of: dict[str, str] = {}
        for c in clauses:
            if c.parent_id is not None:
                self.children.setdefault(c.parent_id, {}).setdefault(_norm_label(c.label), c)
            elif c.level == "article" and (m := _CITATION.match(c.citation)):
                annex = _norm_num(m["annex"] or "")
                self.annex_of[c.clause_id] = annex
                self.articles.setdefault((annex, _norm_num(m["num"])), []).append(c)

    def article_of(self, clause: Clause) -> Clause:
        return self.chain(clause)[0]

    def chain(self, clause: Clause) -> list[Clause]:
        """The clause's ancestors from its article down, and the clause itself."""
        out = [clause]
        while clause.parent_id is not None and clause.parent_id in self.by_id:
            clause = self.by_id[clause.parent_id]
            out.append(clause)
        return out[::-1]

    def article(self, num: str, annex: str | None, near: Clause) -> tuple[Clause | None, tuple[str, ...]]:
        """The article numbered ``num`` (in ``annex``, or near the citing clause), and labels left over.

        When no article "14.2" exists but article 14 does, "Article 14.2" is read as its paragraph 2.
        """
        key = _norm_num(num)
        home = self.annex_of.get(self.article_of(near).clause_id, "")
        scopes = [_norm_num(annex)] if annex is not None else list(dict.fromkeys([home, ""]))
        for scope in scopes:
            found = self.articles.get((scope, key))
            if found:
                return self._one(found, near), ()
        head, _, last = key.rpartition(".")
        if head and last.isdigit():
            for scope in scopes:
                found = self.articles.get((scope, head))
                art = self._one(found, near) if found else None
                if art is not None and last in self.children.get(art.clause_id, {}):
                    return art, (last,)
        return None, ()

    def _one(self, found: list[Clause], near: Clause) -> Clause | None:
        if len(found) == 1:
            return found[0]
        same = [c for c in found if c.chapter == near.chapter]
        return same[0] if len(same) == 1 else None

    def descend(self, start: Clause, labels: tuple[str, ...]) -> Clause | None:
        """Follow ``labels`` down from ``start``; a paragraph never split further stands for its own parts."""
        cur = start
        for i, label in enumerate(labels):
            child = self.children.get(cur.clause_id, {}).get(label)
            if child is None:
                return cur if i > 0 and cur.is_leaf else None
            cur = child
        return cur

    def upwards(self, clause: Clause, labels: tuple[str, ...]) -> Clause | None:
        """``labels`` under the clause itself or its nearest ancestor that has a child with the first label."""
        cur: Clause | None = clause
        while cur is not None:
            if labels[0] in self.children.get(cur.clause_id, {}):
                return self.descend(cur, labels)
            cur = self.by_id.get(cur.parent_id) if cur.parent_id else None
        return None

    def in_article(self, art: Clause, labels: tuple[str, ...]) -> Clause | None:
        """``labels`` from the article's top level; a lettered label may sit under its only paragraph having it."""
        if not labels:
            return art
        if labels[0] in self.children.get(art.clause_id, {}):
            return self.descend(art, labels)
        if labels[0].isdigit():
            return None
        holders = [p for p in self.children.get(art.clause_id, {}).values()
                   if labels[0] in self.children.get(p.clause_id, {})]
        return self.descend(holders[0], labels) if len(holders) == 1 else None


def _expand(ref: _Ref) -> list[tuple[str, ...]]:
    """The items with numeric ranges of at most 30 filled in ("Articles 3 to 6", "Articles 9.10 to 9.16")."""
    out: list[tuple[str, ...]] = []
    for i, item in enumerate(ref.items):
        if i in ref.ranges and out and len(item) == 1 and len(out[-1]) == 1:
            lo, hi = out[-1][0], item[0]
            a_head, _, a = lo.rpartition(".")
            b_head, _, b = hi.rpartition(".")
            if a_head == b_head and a.isdigit() and b.isdigit() and 0 < int(b) - int(a) <= 30:
                out += [((f"{a_head}." if a_head else "") + str(n),) for n in range(int(a) + 1, int(b) + 1)]
                continue
        out.append(item)
    return out


def _citation(num: str, labels: tuple[str, ...], annex: str | None = None) -> str:
    prefix = f"{annex}, " if annex else ""
    return prefix + f"Art. {num}" + "".join(f"({x})" for x in labels)


def _division(ref: _Ref, item: tuple[str, ...]) -> str:
    num = item[0]
    return f"{ref.word} {_word_number(num) or num}"


def _resolve(ref: _Ref, clause: Clause, agr: _Agreement) -> list[tuple[str, str | None]]:
    """(target citation, clause id or None) for each provision an internal reference names."""
    out: list[tuple[str, str | None]] = []
    art = agr.article_of(clause)
    if ref.kind == "this":
        if ref.word == "Article":
            return [(art.citation, art.clause_id if _CITATION.match(art.citation) else None)]
        if ref.word == "Chapter" and clause.chapter:
            return [(f"Chapter ({clause.chapter})", None)]
        if ref.word in ("paragraph", "subparagraph"):
            chain = agr.chain(clause)  # the article first, the clause last
            depth = 1 if ref.word == "paragraph" else 2
            if len(chain) > depth:
                return [(chain[depth].citation, chain[depth].clause_id)]
        return [(f"this {ref.word}", None)]
    if ref.kind == "division":
        return [(_division(ref, item), None) for item in _expand(ref)]
    annex = None
    if ref.outer is not None and ref.outer.kind == "division" and ref.outer.word in ("Annex", "Appendix", "Protocol"):
        annex = _division(ref.outer, ref.outer.items[0])
    if ref.kind == "article":
        for item in _expand(ref):
            target, extra = agr.article(item[0], annex, clause)
            labels = extra + item[1:]
            found = agr.in_article(target, labels) if target is not None else None
            cite = found.citation if found else _citation(item[0], item[1:], annex)
            out.append((cite, found.clause_id if found else None))
        return out
    # paragraphs: of an explicit article, of a paragraph, or of the containing article
    outer = ref.outer
    prefix: tuple[str, ...] = ()
    if outer is not None and outer.kind == "paragraph":  # "subparagraph (b) of paragraph 2 (of Article 5)"
        prefix = outer.items[0]
        outer = outer.outer
    base: Clause | None = art
    base_cite = art.citation
    if outer is not None and outer.kind == "article":
        num = outer.items[0][0]
        oannex = None
        if outer.outer is not None and outer.outer.kind == "division":
            oannex = _division(outer.outer, outer.outer.items[0])
        target, extra = agr.article(num, oannex, clause)
        base = target
        prefix = extra + outer.items[0][1:] + prefix
        base_cite = target.citation if target else _citation(num, (), oannex)
    elif outer is not None and outer.kind == "division":
        base = None
        base_cite = _division(outer, outer.items[0])
    for item in _expand(ref):
        labels = prefix + item
        found = None
        if base is not None and labels:
            explicit = outer is not None or prefix
            found = agr.in_article(base, labels) if explicit or labels[0].isdigit() else agr.upwards(clause, labels)
            if found is not None and (found.clause_id == base.clause_id or (
                    base is art and found.clause_id == clause.clause_id)):
                found = None  # a paragraph citing itself by number is a numbering slip, not a reference
        cite = found.citation if found else base_cite + "".join(f"({x})" for x in labels)
        out.append((cite, found.clause_id if found else None))
    return out


def _outermost_foreign(ref: _Ref) -> bool:
    r: _Ref | None = ref
    while r is not None:
        if r.foreign:
            return True
        r = r.outer
    return False


def _choices(named: set[str]) -> dict[str, str]:
    """For instruments with ``resolve_from``, the instrument the agreement itself names, if any."""
    choices: dict[str, str] = {}
    wanted = {i.id: i.resolve_from for i in instruments().values() if i.resolve_from}
    for inst, options in wanted.items():
        for option in options:
            if option in named:
                choices[inst] = option
                break
    return choices


def references(clauses: list[Clause]) -> list[Reference]:
    """Every reference of every clause of one agreement (clauses in reading order), internal ones resolved.

    Internal references ("Article 10.4", "paragraph 2", "this Article", "Chapter 11") have ``target``
    in citation form and ``target_id`` the clause id, or None for chapters, annexes and whatever cannot
    be found with confidence; references to other instruments ("Article XXIV of GATT 1994", "the
    TRIPS Agreement") are external, ``target_id`` the instrument id of ``instruments.toml``. A list
    ("Articles 19, 20 and 22") gives one Reference per target, each with the whole phrase as
    ``mention``. Results follow reading order, then position in the clause.
    """
    agr = _Agreement(clauses)
    all_hits = [instrument_hits(c.text) for c in clauses]
    choice = _choices({h.instrument for hits in all_hits for h in hits})
    names = {i.id: i.name for i in instruments().values()}
    hyphened = any("-" in num and num[0].isdigit() for _, num in agr.articles)
    out: list[Reference] = []
    for clause, hits in zip(clauses, all_hits, strict=True):
        text = clause.text
        parser = _Parser(text, hits, hyphened)
        spans: list[tuple[int, int]] = []
        found: list[tuple[int, Reference]] = []
        pos = 0
        while (m := _HEAD.search(text, pos)) is not None:
            pos = m.start() + 1
            if any(h.start <= m.start() < h.end for h in hits):
                continue
            ref = parser.at(m.start())
            if ref is None:
                continue
            pos = max(pos, ref.end)
            spans.append((ref.start, ref.end))
            mention = text[ref.start : ref.end].rstrip(" ,")
            if ref.instrument:
                inst = choice.get(ref.instrument, ref.instrument)
                found.append((ref.start, Reference(clause.clause_id, "external", mention, names[inst], inst)))
                continue
            if _outermost_foreign(ref):
                continue
            for target, target_id in _resolve(ref, clause, agr):
                found.append((ref.start, Reference(clause.clause_id, "internal", mention, target, target_id)))
        for h in hits:
            if not any(s <= h.start < e for s, e in spans):
                inst = choice.get(h.instrument, h.instrument)
                found.append((h.start, Reference(clause.clause_id, "external", text[h.start : h.end], names[inst],
                                                 inst)))
        found.sort(key=lambda x: x[0])
        out += [r for _, r in found]
    return out
