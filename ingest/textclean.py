"""Repair of text as OCR and PDF extraction leave it: odd spaces, hyphenation, broken lines."""

from __future__ import annotations

import re

_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t\f\v]")
_SOFT_HYPHEN = "\u00ad"
# "trans-\n  parent" -> "transparent": a hyphen at a line end followed by a lower-case word.
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ ]*\n[ \n]*(?=[a-z])")
_TRAILING = re.compile(r"(?<![ ])[ ]+\n")  # tried only where a run of spaces starts: linear, not O(n^2)
_SPACES = re.compile(r"[ ]{2,}")
_BLANKS = re.compile(r"\n[ \n]*\n")
_END_OF_SENTENCE = re.compile(r"[.;:!?\"”’)]\s*$")


def normalise(text: str) -> str:
    """Uniform line ends and spaces, soft hyphens dropped, hyphenated line breaks joined.

    Line structure is kept: clause splitting needs to know what starts a line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(_SOFT_HYPHEN, "")
    text = _ODD_SPACES.sub(" ", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _TRAILING.sub("\n", text)
    return _SPACES.sub(" ", text).strip()


def reflow(text: str) -> str:
    """Join the lines of one clause into running text.

    A single line break never ends a sentence in OCR output, so it becomes a
    space. A blank line is kept as a paragraph break only where the text
    before it ends a sentence; otherwise OCR broke the sentence across blocks.
    """
    blocks = [" ".join(b.split()) for b in _BLANKS.split(text)]
    # Paragraphs as lists of blocks, joined once at the end, and the sentence-end test on the
    # last block alone: growing and re-searching one string per block is quadratic.
    out: list[list[str]] = []
    ends_sentence = True
    for block in blocks:
        if not block:
            continue
        if ends_sentence:
            out.append([block])
        else:
            out[-1].append(block)
        ends_sentence = _END_OF_SENTENCE.search(block) is not None
    return "\n".join(" ".join(parts) for parts in out)
