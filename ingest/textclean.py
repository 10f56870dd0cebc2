"""Repair of text as OCR and PDF extraction leave it: odd spaces, hyphenation, broken lines."""

from __future__ import annotations

import re

_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t\f\v]")
_SOFT_HYPHEN = "\u00ad"
# "trans-\n  parent" -> "transparent": a hyphen at a line end followed by a lower-case word.
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ ]*\n[ \n]*(?=[a-z])")
_TRAILING = re.compile(r"[ ]+\n")
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
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        if out and not _END_OF_SENTENCE.search(out[-1]):
            out[-1] = f"{out[-1]} {block}"
        else:
            out.append(block)
    return "\n".join(out)
