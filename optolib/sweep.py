r"""Long parameter sweeps in chunks: a progress bar, and any ``concurrent.futures``-style executor.

Every optolib calculation is already batched over whole grids; :func:`sweep` only
adds what very long sweeps need: the flattened grid is cut into chunks, each
chunk is one call of a batched function, a progress bar (tqdm; a widget in
notebooks when ipywidgets is installed, text otherwise) counts finished points,
and the chunks can be handed to an executor — a
:class:`concurrent.futures.ThreadPoolExecutor` or
:class:`~concurrent.futures.ProcessPoolExecutor` on one machine, or a
``dask.distributed.Client`` (whose ``submit`` returns futures with ``result()``)
for a cluster.  Results are reassembled in grid order; masked points (unstable
systems) stay masked.

Example
-------
>>> import numpy as np
>>> from optolib.sweep import sweep
>>> out = sweep(lambda x, y: np.hypot(x, y), {"x": np.arange(3.0), "y": np.arange(4.0)[:, None]}, progress=False)
>>> out.shape
(4, 3)

Public API
----------
sweep
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .errors import OptolibError

__all__ = ["sweep"]


def _progress_bar(total: int, desc: str | None, enabled: bool | None) -> Any:
    """A tqdm bar: the notebook widget if ipywidgets is importable, text otherwise."""
    if enabled is False:
        return None
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit="pt", disable=None if enabled is None else not enabled)


def _concat(parts: list[Any]) -> Any:
    """Concatenate chunk results along axis 0 (tuples element-wise; masked arrays stay masked)."""
    first = parts[0]
    if isinstance(first, tuple):
        return tuple(_concat([p[i] for p in parts]) for i in range(len(first)))
    if any(isinstance(p, np.ma.MaskedArray) for p in parts):
        return np.ma.concatenate(parts, axis=0)
    return np.concatenate([np.asarray(p) for p in parts], axis=0)


def _reshape(result: Any, shape: tuple[int, ...]) -> Any:
    if isinstance(result, tuple):
        return tuple(_reshape(r, shape) for r in result)
    return result.reshape(*shape, *result.shape[1:])


def sweep(
    func: Callable[..., Any],
    grid: Mapping[str, Any],
    *,
    chunk_size: int = 4096,
    executor: Any = None,
    progress: bool | None = None,
    desc: str | None = None,
    **fixed: Any,
) -> Any:
    r"""Evaluate a batched ``func`` over a broadcast parameter grid, chunk by chunk.

    Parameters
    ----------
    func : callable
        Called as ``func(**chunk, **fixed)``, where ``chunk`` maps each name of
        ``grid`` to a 1-D array of that chunk's points; must return an array (or
        masked array, or a tuple of them) whose first axis runs over the points.
        With a process pool or a cluster it must be importable (a module-level
        function).
    grid : mapping of str to array_like
        Parameter arrays, broadcast together to the grid shape.
    chunk_size : int
        Points per call (>= 1).  Each chunk is itself batched, so a few thousand
        points per chunk keep the per-call overhead negligible.
    executor : optional
        Anything with ``submit(fn, *args, **kwargs)`` returning a future with
        ``result()``: ``concurrent.futures`` executors, ``dask.distributed.Client``.
        ``None`` runs the chunks here, in order.
    progress : bool or None
        Show a tqdm progress bar (``None``: only on a terminal or in a notebook,
        tqdm's default).
    desc : str, optional
        Label of the progress bar.
    **fixed
        Extra keyword arguments passed unchanged to every call.

    Returns
    -------
    Same structure as ``func`` returns, with the first axis replaced by the grid shape.
    """
    if not callable(func):
        raise OptolibError(f"func must be callable, got {type(func).__name__}")
    if not grid:
        raise OptolibError("grid must name at least one parameter")
    try:
        whole = int(chunk_size) == chunk_size and not isinstance(chunk_size, bool)
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole:
        raise OptolibError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    chunk_size = int(chunk_size)
    if chunk_size < 1:
        raise OptolibError(f"chunk_size must be >= 1, got {chunk_size}")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise OptolibError(f"executor must have a submit() method, got {type(executor).__name__}")
    try:
        arrays = np.broadcast_arrays(*(np.asarray(v) for v in grid.values()))
    except ValueError:
        shapes = {k: np.shape(v) for k, v in grid.items()}
        raise OptolibError(f"grid arrays must broadcast together, got shapes {shapes}") from None
    shape = arrays[0].shape
    flat = {k: np.ascontiguousarray(a.reshape(-1)) for k, a in zip(grid, arrays, strict=True)}
    total = int(np.prod(shape, dtype=int))
    starts = range(0, max(total, 1), chunk_size)  # an empty grid still calls func once
    bar = _progress_bar(total, desc, progress)
    parts: list[Any] = []
    try:
        if executor is None:
            for s in starts:
                parts.append(func(**{k: a[s : s + chunk_size] for k, a in flat.items()}, **fixed))
                if bar is not None:
                    bar.update(min(chunk_size, total - s))
        else:
            futures = []
            try:
                for s in starts:
                    futures.append(
                        executor.submit(func, **{k: a[s : s + chunk_size] for k, a in flat.items()}, **fixed))
                for s, fut in zip(starts, futures, strict=True):
                    parts.append(fut.result())
                    if bar is not None:
                        bar.update(min(chunk_size, total - s))
            except BaseException:  # an error or Ctrl-C: do not leave the other chunks running
                for fut in futures:
                    fut.cancel()
                raise
    finally:
        if bar is not None:
            bar.close()
    return _reshape(_concat(parts), shape)
