"""The gallery lists every registered figure id, and each id is glued by its chapter."""

from __future__ import annotations

import re
from pathlib import Path

from optolib.figures import FIGURES, _load_all

ROOT = Path(__file__).resolve().parents[1]


def test_every_figure_is_in_the_gallery_and_glued_by_its_chapter():
    _load_all()
    gallery = (ROOT / "book" / "gallery.md").read_text()
    toc = (ROOT / "_toc.yml").read_text()
    for fid, spec in FIGURES.items():
        assert f"`{fid}`" in gallery, f"{fid} missing from book/gallery.md"
        assert re.search(rf"{{glue:any}} {re.escape(fid)}\n:doc: ", gallery), f"{fid} not pasted"
        chapter = ROOT / f"{spec.chapter}.md"
        assert chapter.exists(), f"{fid}: chapter {spec.chapter} does not exist"
        assert f"- file: {spec.chapter}" in toc, f"{fid}: chapter {spec.chapter} not in _toc.yml"
        text = chapter.read_text()
        assert f'glue_figure("{fid}"' in text, f"{fid}: chapter does not glue the figure"
        assert f"{{glue:figure}} {fid}\n" in text, f"{fid}: chapter does not show it as a figure"
