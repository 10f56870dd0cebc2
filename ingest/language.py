"""Which language a text is written in, read from the text itself (py3langid's n-gram model, 97 languages).

Readers use it to label a document's language versions ("Dutch text, Art. 1")
and to set ``Treaty.language`` when the format carries no language tag.
"""

from __future__ import annotations

import threading
from functools import lru_cache

MIN_LETTERS = 40  # fewer letters than this is not evidence enough
MIN_CONFIDENCE = 0.9
_SAMPLE = 4000  # characters read: a few articles settle it

_lock = threading.Lock()
_identifier = None


def _model():  # type: ignore[no-untyped-def]
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or None when the text is too short or
    the model is not confident (below 0.9).

    >>> detect("De Partijen richten hierbij een vrijhandelszone op overeenkomstig deze Overeenkomst.")
    'nl'
    """
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, confidence = _model().classify(sample)
    return str(code) if confidence >= MIN_CONFIDENCE else None


@lru_cache(maxsize=128)
def language_name(code: str) -> str:
    """ "nl" -> "Dutch"; the code itself when the standard does not know it."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return str(found.name) if found is not None else code
