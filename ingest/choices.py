"""Closed sets of choices (search mode, index kind, precision, file status, ...): one StrEnum each, parsed by
``from_str`` with an error that lists the allowed values, and the command line's choices derived from them."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from ingest.errors import InputError


class Choice(StrEnum):
    """A closed set of lower-case string values; a member equals its value, so it serialises as that string."""

    @classmethod
    def label(cls) -> str:
        """What a value of this set is called in an error message ("search mode")."""
        return "".join(f" {c.lower()}" if c.isupper() else c for c in cls.__name__).strip()

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)

    @classmethod
    def from_str(cls, value: str | Self) -> Self:
        """The member named ``value`` (any case, surrounding blanks ignored); InputError lists the choices."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise InputError(f"unknown {cls.label()} '{value}' (choose {', '.join(cls.values())})") from None
