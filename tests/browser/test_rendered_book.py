"""The rendered book as a reader meets it: headless Chromium on the built HTML, offline.

Run after the book is built (``bash scripts/run_tests.sh`` runs it as the ``browser``
stage; alone: ``.venv/bin/python -m pytest tests/browser``).  If ``_build/html`` is
missing the book is built first.  For the intro and one chapter of each part it

* loads the page from ``file://`` with the network disabled and lets MathJax run,
* fails on MathJax errors, on pages whose math was not typeset (MathJax not served
  locally), on missing images and on internal links to missing files or anchors,
* saves a screenshot to ``_build/screenshots/`` for a human to look at.

On every page with displayed equations it also measures, in the browser, that no equation is
wider than the text column at desktop width (1280 px window: long equations must be broken into
lines) and that on a phone-width window an equation wider than the column scrolls sideways in
its own box instead of being clipped or widening the page. It checks that the search page finds
a chapter offline and that the launch menu's Colab entry points to a committed notebook.

Skipped, with the reason, only when no Chromium binary is installed (CI installs
Debian's ``chromium``).
"""

from __future__ import annotations

import json
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


# ---------------------------------------------------------------------------------------------
# Measurements made by JavaScript in the page (display-math widths, the Colab entry, search)

_PROBE = """
<script>
(function () {
  function report() {
    var out = {viewport: document.documentElement.clientWidth, math: [], colab: null};
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (c) {
      var host = c.closest('div.math') || c.parentElement;
      var article = c.closest('article') || document.body;
      out.math.push({eqno: ((host.querySelector('.eqno') || {}).textContent || '').replace('#', '').trim(),
        client: c.clientWidth, scroll: c.scrollWidth, overflowX: getComputedStyle(c).overflowX,
        right: c.getBoundingClientRect().right, hostRight: host.getBoundingClientRect().right,
        articleRight: article.getBoundingClientRect().right});
    });
    var colab = document.querySelector('a[data-optobook="colab"]');
    if (colab) out.colab = colab.getAttribute('href');
    var results = document.querySelectorAll('#search-results li a, ul.search li a');
    out.search = Array.prototype.map.call(results, function (a) { return a.getAttribute('href'); });
    var pre = document.createElement('pre'); pre.id = 'optobook-probe';
    pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
  }
  function ready() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(function () { setTimeout(report, 500); });
    } else { setTimeout(report, 3000); }  // no MathJax on the page (search: results arrive async)
  }
  window.addEventListener('load', ready);
})();
</script>
"""


def _probe(chromium: str, page: str, tmp_path: Path, width: int, query: str = "") -> dict:
    """Open a copy of ``page`` (same folder, so relative links work) with the probe script."""
    target = HTML / page
    copy = target.with_name(f"_probe_{width}_{target.name}")
    copy.write_text(target.read_text().replace("</body>", _PROBE + "</body>"))
    try:
        dom = subprocess.run([chromium, *CHROME_FLAGS, f"--user-data-dir={tmp_path / f'probe{width}'}",
                              f"--window-size={width},1400", "--virtual-time-budget=30000", "--dump-dom",
                              copy.as_uri() + query], capture_output=True, text=True, timeout=180, check=True).stdout
    finally:
        copy.unlink(missing_ok=True)
    m = re.search(r'<pre id="optobook-probe"[^>]*>(.*?)</pre>', dom, flags=re.S)
    assert m, f"{page}: the probe script did not report (page JavaScript failed?)"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


def _math_pages() -> list[str]:
    """Pages of _toc.yml with displayed equations: in the source ($$ blocks, {math} directives) or,
    if the book is built, in the HTML (docstrings rendered on the API page)."""
    toc = (ROOT / "_toc.yml").read_text()
    files = re.findall(r"^\s*(?:- file|root):\s*(\S+)", toc, flags=re.M)

    def has_display_math(f: str) -> bool:
        src, html = ROOT / f"{f}.md", HTML / f"{f}.html"
        return ((src.exists() and re.search(r"^(\$\$|```\{math\})", src.read_text(), flags=re.M) is not None)
                or (html.exists() and '<div class="math' in html.read_text()))

    return [f + ".html" for f in files if has_display_math(f)]


@pytest.mark.parametrize("page", _math_pages())
def test_display_math_fits_the_column_at_desktop_width(page, chromium, built_book, tmp_path):
    """At 1280 px no displayed equation is wider than its box (it would need sideways scrolling)."""
    report = _probe(chromium, page, tmp_path, 1280)
    assert report["math"], f"{page}: displayed equations in the source but none typeset"
    wide = [f"Eq. {m['eqno'] or '(unnumbered)'}: {m['scroll']} px of math in a {m['client']} px box"
            for m in report["math"] if m["scroll"] > m["client"] + 1 or m["right"] > m["articleRight"] + 1]
    assert not wide, f"{page}: equations too wide for the text column (break them into lines): {wide}"


def test_display_math_scrolls_on_a_narrow_screen(chromium, built_book, tmp_path):
    """On a phone-width window wide equations scroll inside their own box, never clip the page."""
    report = _probe(chromium, "book/paper_b/model.html", tmp_path, 420)
    wide = [m for m in report["math"] if m["scroll"] > m["client"] + 1]
    assert wide, "no equation is wider than a 420 px column: this check measures nothing"
    for m in report["math"]:
        assert m["right"] <= report["viewport"] + 1, f"Eq. {m['eqno']} sticks out of the window: {m}"
        if m["scroll"] > m["client"] + 1:
            assert m["overflowX"] in ("auto", "scroll"), f"Eq. {m['eqno']} is clipped, not scrollable: {m}"


def test_colab_entry_points_to_the_committed_notebook(chromium, built_book, tmp_path):
    report = _probe(chromium, "book/paper_b/model.html", tmp_path, 1280)
    href = report["colab"]
    assert href, "no Colab entry in the launch menu (book/_static/colab.js not loaded?)"
    config = (ROOT / "_config.yml").read_text()
    url = re.search(r"^\s+url:\s*(\S+)", config, flags=re.M).group(1).rstrip("/")
    branch = re.search(r"^\s+branch:\s*(\S+)", config, flags=re.M).group(1)
    prefix = f"https://colab.research.google.com/github/{url.removeprefix('https://github.com/')}/blob/{branch}/"
    assert href == prefix + "notebooks/paper_b/model.ipynb", href
    assert (ROOT / href.removeprefix(prefix)).is_file(), f"{href}: notebook not in the repository"


def test_search_works_offline(chromium, built_book, tmp_path):
    report = _probe(chromium, "search.html", tmp_path, 1280, query="?q=Lyapunov")
    assert any("gaussian_toolbox" in h for h in report["search"]), (
        f"offline search for 'Lyapunov' did not find the Gaussian toolbox chapter: {report['search'][:10]}")
