"""The project's exceptions: every error Pacta raises on purpose derives from PactaError."""

from __future__ import annotations

from typing import Any


class PactaError(Exception):
    """Base class: the message is one plain sentence fit to show a user."""


class InputError(PactaError):
    """A file or a value supplied by the user cannot be used."""


class NoSuchAgreement(InputError):
    """An agreement id that names no stored agreement."""

    def __init__(self, treaty_id: str) -> None:
        super().__init__(f"no stored agreement with id '{treaty_id}' (see 'pacta list')")
        self.treaty_id = treaty_id


class ReadError(InputError):
    """A source document cannot be read; the message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:  # rebuilt when a worker process sends it back
        return (type(self), (self.path, self.problem))


class StoreError(PactaError):
    """The store is missing, locked, unreachable or inconsistent."""


class ModelError(PactaError):
    """The embedding model cannot be found, verified or loaded."""
