"""Registry of every reproduced figure: one function computes it, one draws it.

The book's chapters and the command line (``python -m optolib reproduce ID``) call
the same functions, so a figure in the book and on the command line cannot differ.

A figure's data is a :class:`FigureData`: tidy rows ``panel, series, x, y`` (plus
``z`` for density maps), written to CSV as they are.

Public API:

FigureData, FigureSpec, FIGURES, register, get, reproduce
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import OptolibError

__all__ = ["FIGURES", "FigureData", "FigureSpec", "get", "glue_figure", "register", "reproduce"]


@dataclass
class FigureData:
    """Tidy data of one figure: a list of named curves (or maps) grouped in panels."""

    rows: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def add(self, panel: str, series: str, x, y, z=None) -> None:
        """Add one curve (``z=None``) or one density map (``x``, ``y``, ``z`` same shape)."""
        x, y = np.ma.asarray(x), np.ma.asarray(y)  # masked (e.g. unstable) points stay masked
        entry = dict(panel=panel, series=series, x=x, y=y)
        if z is not None:
            entry["z"] = np.ma.asarray(z)
        self.rows.append(entry)

    def get(self, panel: str, series: str) -> dict:
        for row in self.rows:
            if row["panel"] == panel and row["series"] == series:
                return row
        raise KeyError(f"no series {series!r} in panel {panel!r}")

    def write_csv(self, path: Path) -> None:
        """Write ``panel,series,x,y[,z]`` rows (masked values written as empty cells)."""
        _atomic_write(path, self._csv_writer(), mode="w")

    def _csv_writer(self) -> Callable:
        has_z = any("z" in r for r in self.rows)
        header = ["panel", "series", "x", "y"] + (["z"] if has_z else [])
        return lambda f: _write_rows(f, header, self.rows, has_z)


def _cell(v) -> str:
    return "" if v is np.ma.masked or (isinstance(v, float) and np.isnan(v)) else repr(float(v))


def _write_rows(f, header, rows, has_z) -> None:
    w = csv.writer(f)
    w.writerow(header)
    for r in rows:
        cols = [np.ma.ravel(r["x"]), np.ma.ravel(r["y"])]
        if "z" in r:
            cols.append(np.ma.ravel(r["z"]))
        n = max(len(c) for c in cols)
        cols = [np.ma.resize(c, n) if len(c) != n else c for c in cols]
        for vals in zip(*cols, strict=True):
            line = [r["panel"], r["series"], *[_cell(v) for v in vals]]
            if has_z and "z" not in r:
                line.append("")
            w.writerow(line)


def _staged(path: Path, write: Callable, mode: str) -> Path:
    """Write a complete temporary file beside ``path`` and return its name (nothing left on error)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, mode, newline="" if "b" not in mode else None) as f:
            write(f)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _atomic_write(path: Path, write: Callable, mode: str) -> None:
    """Write through a temporary file in the same folder, then rename (no half-written files)."""
    _commit({Path(path): _staged(path, write, mode)})


def _commit(staged: dict[Path, Path]) -> None:
    """Rename staged temporary files onto their targets; on any error (or Ctrl-C) remove those left."""
    try:
        for path, tmp in staged.items():
            os.replace(tmp, path)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class FigureSpec:
    """A reproducible figure: id, what it reproduces, where it lives, how to make it."""

    id: str
    title: str
    reproduces: str
    chapter: str
    compute: Callable[[], FigureData]
    plot: Callable[[FigureData], object]


FIGURES: dict[str, FigureSpec] = {}


def register(spec: FigureSpec) -> FigureSpec:
    if spec.id in FIGURES:
        raise OptolibError(f"figure id {spec.id!r} registered twice")
    FIGURES[spec.id] = spec
    return spec


def get(figure_id: str) -> FigureSpec:
    _load_all()
    try:
        return FIGURES[figure_id]
    except KeyError:
        raise OptolibError(
            f"figure id must be one of {sorted(FIGURES)}, got {figure_id!r}"
        ) from None


def reproduce(figure_id: str, outdir: str | Path) -> tuple[Path, Path]:
    """Compute figure ``figure_id`` and write ``ID.png`` and ``ID.csv`` into ``outdir``."""
    spec = get(figure_id)
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptolibError(f"outdir {str(out)!r} cannot be created: {exc.strerror}") from exc
    if not os.access(out, os.W_OK):
        raise OptolibError(f"outdir {str(out)!r} is not writable")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = spec.compute()
    fig = spec.plot(data)
    png, csv_path = out / f"{spec.id}.png", out / f"{spec.id}.csv"
    # both files are staged completely before either is renamed: an interruption (Ctrl-C, an error,
    # a full disk) leaves the previous pair, never a new PNG beside an old or missing CSV
    try:
        tmp_png = _staged(png, lambda f: fig.savefig(f, format="png", dpi=150), mode="wb")
    finally:
        plt.close(fig)
    try:
        tmp_csv = _staged(csv_path, data._csv_writer(), mode="w")
    except BaseException:
        tmp_png.unlink(missing_ok=True)
        raise
    _commit({png: tmp_png, csv_path: tmp_csv})
    return png, csv_path


def glue_figure(figure_id: str, fig) -> None:
    """Hand a chapter's figure to the book under its figure id (and do not display it twice).

    In a book build, ``myst_nb.glue`` stores the figure under the key ``figure_id``; the
    chapter shows it as a numbered, captioned figure with ``{glue:figure} figure_id``, and
    the gallery page pastes it from there, so the cell itself shows nothing.  The build
    scripts announce a book build with ``OPTOBOOK_BOOK_BUILD=1`` (``scripts/_env.sh``);
    without it (a chapter opened in JupyterLab, Binder or Colab) the figure is also
    displayed in the cell.  Outside a notebook (no myst_nb) this just shows the figure.
    """
    import matplotlib.pyplot as plt

    try:
        from myst_nb import glue
    except ImportError:  # plain Python: nothing to glue into
        plt.show()
        return
    glue(figure_id, fig, display=os.environ.get("OPTOBOOK_BOOK_BUILD") != "1")
    plt.close(fig)


def _load_all() -> None:
    """Import the modules that register figures (lazily: they import matplotlib)."""
    from . import beyond_a, paper_a, paper_b, sagnac  # noqa: F401
