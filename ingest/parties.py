"""Party codes: ISO 3166-1 alpha-3, with the historic and user-assigned codes treaty corpora use."""

from __future__ import annotations

from functools import lru_cache

from ingest.errors import InputError

# Codes treaty data uses that ISO lists elsewhere or not at all.
_EXTRA = {"RKS": "Kosovo", "XKX": "Kosovo", "EUU": "European Union"}


@lru_cache(maxsize=512)
def party_name(code: str) -> str | None:
    """The country's common name for an alpha-3 code (current or historic), or None if unknown."""
    if code in _EXTRA:
        return _EXTRA[code]
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        country = pycountry.historic_countries.get(alpha_3=code)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def parse_party(value: str) -> str:
    """An alpha-3 code from a code, an alpha-2 code or a country name ("CAN", "ca", "Canada").

    Raises InputError naming the value when it is no known country.
    """
    text = value.strip()
    if len(text) == 3 and text.isalpha() and party_name(text.upper()):
        return text.upper()
    import pycountry

    try:
        if len(text) == 2 and text.isalpha():
            found = pycountry.countries.get(alpha_2=text.upper())
            if found:
                return str(found.alpha_3)
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        raise InputError(f"unknown party '{value}': give an ISO 3166-1 alpha-3 code such as CAN or CHL") from None
