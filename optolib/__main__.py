"""Command line: list and regenerate the book's figures without Jupyter.

    python -m optolib list
    python -m optolib reproduce ID [ID ...] --outdir DIR

``reproduce`` writes ``DIR/ID.png`` and ``DIR/ID.csv`` (columns ``panel,series,x,y``
and ``z`` for density maps) through temporary files, so an interrupted run never
leaves a half-written file.  Ctrl-C prints one line and exits with status 130.
"""

from __future__ import annotations

import argparse
import sys
import time

from .errors import OptolibError
from .figures import FIGURES, _load_all, reproduce


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 130 interrupted)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m optolib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list every figure id")
    rep = sub.add_parser("reproduce", help="regenerate figures as PNG + CSV")
    rep.add_argument("ids", nargs="+", metavar="ID")
    rep.add_argument("--outdir", default=".", help="output folder (created if missing)")
    args = parser.parse_args(argv)
    _load_all()
    if args.command == "list":
        width = max(len(k) for k in FIGURES)
        for fid, spec in sorted(FIGURES.items()):
            print(f"{fid:{width}s}  {spec.reproduces:28s}  {spec.chapter}")
        return 0
    status = 0
    for fid in args.ids:
        t0 = time.perf_counter()
        try:
            png, csv_path = reproduce(fid, args.outdir)
        except KeyboardInterrupt:
            print(f"interrupted while reproducing {fid}: no {fid}.png or {fid}.csv written", file=sys.stderr)
            return 130
        except OptolibError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(f"{fid}: wrote {png} and {csv_path} in {time.perf_counter() - t0:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
