"""The rendered book as a reader meets it: headless Chromium on the built HTML, offline.

Run after the book is built (``bash scripts/run_tests.sh`` runs it as the ``browser``
stage; alone: ``.venv/bin/python -m pytest tests/browser``).  If ``_build/html`` is
missing the book is built first.  For the intro and one chapter of each part it

* loads the page from ``file://`` with the network disabled and lets MathJax run,
* fails on MathJax errors, on pages whose math was not typeset (MathJax not served
  locally), on missing images and on internal links to missing files or anchors,
* saves a screenshot to ``_build/screenshots/`` for a human to look at.

Skipped, with the reason, only when no Chromium binary is installed (CI installs
Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files", "--hide-scrollbars",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _pages() -> list[str]:
    """The intro plus the first chapter of every part of _toc.yml (relative html paths)."""
    toc = (ROOT / "_toc.yml").read_text()
    files = re.findall(r"^\s*- file:\s*(\S+)", toc, flags=re.M)
    root = re.search(r"^root:\s*(\S+)", toc, flags=re.M).group(1)
    pages = [root + ".html"]  # _build/html/index.html only redirects here
    seen_dirs = set()
    for f in files:
        d = f.rsplit("/", 1)[0]
        if d not in seen_dirs and d not in ("book",):
            seen_dirs.add(d)
            pages.append(f + ".html")
    return pages


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])


def _parse(text: str) -> _Collector:
    c = _Collector()
    c.feed(text)
    return c


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): browser test not run")
    return path


@pytest.fixture(scope="module")
def built_book() -> Path:
    if not (HTML / "index.html").exists():
        subprocess.run(["jupyter-book", "build", str(ROOT), "--all"], check=True, cwd=ROOT)
    return HTML


@pytest.mark.parametrize("page", _pages())
def test_page_renders_offline(page, chromium, built_book, tmp_path):
    target = built_book / page
    assert target.exists(), f"{page} was not built"
    url = target.as_uri()
    common = [chromium, *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
              "--virtual-time-budget=20000"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True,
                         timeout=180, check=True).stdout
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / (page.replace("/", "__").replace(".html", ".png"))
    subprocess.run([*common, "--window-size=1280,1600", f"--screenshot={shot}", url],
                   capture_output=True, text=True, timeout=180, check=True)
    assert shot.exists() and shot.stat().st_size > 10_000, "screenshot missing or blank"

    parsed = _parse(dom)
    source = target.read_text()
    # MathJax: no error nodes; if the page has math, MathJax must have typeset it
    assert parsed.tags.get("mjx-merror", 0) == 0, f"MathJax error element on {page}"
    assert "Math input error" not in dom and "Math Processing Error" not in dom, f"MathJax error on {page}"
    has_math = 'class="math' in source
    if has_math:
        assert parsed.tags.get("mjx-container", 0) > 0, (
            f"{page}: math present but not typeset (is MathJax served from _static?)")
        assert "cdn" not in re.findall(r'<script[^>]*mathjax[^>]*>', source, flags=re.I)[0].lower()
    # Markdown produced by cells (tables) was rendered, not shown as raw pipes (code blocks excluded)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|pre)[^>]*>.*?</\1>", " ", dom, flags=re.S))
    assert not re.search(r"\|\s*(-{3,}|[—–]+)\s*\|", text), f"{page}: a Markdown table was not rendered"
    # images exist
    for src in parsed.images:
        if src.startswith(("data:", "http:", "https:")):
            continue
        path = (target.parent / unquote(urlparse(src).path)).resolve()
        assert path.exists(), f"{page}: missing image {src}"
    # internal links resolve to files and anchors
    for href in parsed.links:
        u = urlparse(href)
        if u.scheme in ("http", "https", "mailto", "javascript") or href.startswith("//"):
            continue
        dest = target if not u.path else (target.parent / unquote(u.path)).resolve()
        if dest.is_dir():
            dest = dest / "index.html"
        assert dest.exists(), f"{page}: broken internal link {href}"
        if u.fragment and dest.suffix == ".html":
            ids = parsed.ids if dest == target else _parse(dest.read_text()).ids
            assert u.fragment in ids, f"{page}: link {href} points to a missing anchor"
