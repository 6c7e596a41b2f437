"""Equation labels and references in the book's MyST sources (text only, no browser, < 1 s).

Every displayed equation the prose refers to must carry a MyST label (``$$ ... $$ (label)`` or
a ``{math}`` directive with ``:label:``) and be referred to with ``{eq}`label```, so that Sphinx
numbers it and links it. This module fails on

* an ``{eq}`` role whose label is defined nowhere in ``book/`` (Sphinx would only warn),
* an equation label defined twice (equation labels are global across the book),
* a hand-written book equation number or label in the text ("Eq. (9.1)", "Eq. (eq-a-wigner)",
  "the equation above"), which goes stale when equations move: use ``{eq}`` instead,
* a paper equation number ("Eq. (14)") in a paragraph that does not say which paper it belongs
  to ("paper A", "paper B", "the paper's", "its Eq." ...): the book discusses two papers.

Labelled equations that nothing refers to are allowed (they still get a number); they are
listed as a warning in the pytest summary.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "book").rglob("*.md"))

FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
DOLLAR_LABEL = re.compile(r"^\$\$\s*\(([^()\s]+)\)\s*$")
MATH_DIRECTIVE_LABEL = re.compile(r"^:label:\s*(\S+)\s*$")
EQ_ROLE = re.compile(r"\{eq\}`(?:[^`<]*<)?([^`<>]+)>?`")
PAPER_EQ = re.compile(r"\bEqs?\.\s*\(\s*[A-Z]?\d+\s*\)")
# what tells the reader whose equation it is (the chapter's paper: "the paper", "its Eq.")
ATTRIBUTION = re.compile(
    r"paper [AB]\b|\bpapers?'s?\b|\bits Eqs?\.|\btheir Eqs?\.|\bthe paper\b|Phys\. Rev\.", re.I)
HANDWRITTEN = [
    (re.compile(r"\bEqs?\.\s*\(\s*\d+\.\d+\s*\)"), "hand-written book equation number"),
    (re.compile(r"\bEqs?\.\s*\(\s*eq-[\w-]+\s*\)"), "equation label written out as text"),
    (re.compile(r"\b(equation|formula)s? (just )?(above|below)\b", re.I), "'equation above/below'"),
    # {eq} renders as "Eq. (n)" (math_eqref_format in _config.yml): "Eq. {eq}`x`" would read "Eq. Eq. (n)"
    (re.compile(r"\b(Eqs?\.|Equations?|eqs?\.)\s*\{eq\}"), "'Eq.' in front of {eq}, which prints its own"),
]


def split_source(text: str) -> tuple[list[str], list[tuple[int, str]], list[str]]:
    """Split a MyST file into prose lines, ``{math}`` labels and code lines.

    Returns ``(prose, labels, code)``: ``prose`` are the lines outside fenced blocks (displayed
    ``$$`` math included), ``labels`` the ``(line number, label)`` of every labelled displayed
    equation, ``code`` the lines inside fenced blocks other than ``{math}``.
    """
    prose: list[str] = []
    code: list[str] = []
    labels: list[tuple[int, str]] = []
    fence: str | None = None
    in_math = False
    body = text
    if text.startswith("---\n"):  # jupytext front matter
        end = text.find("\n---\n", 4)
        body = "\n" * text[: end + 5].count("\n") + text[end + 5:] if end > 0 else text
    for n, line in enumerate(body.splitlines(), start=1):
        m = FENCE.match(line.strip())
        if fence is None and m:
            fence, in_math = m.group(1), m.group(2).strip().startswith("{math}")
            prose.append("")
            continue
        if fence is not None:
            if line.strip() == fence:
                fence, in_math = None, False
            elif in_math:
                lab = MATH_DIRECTIVE_LABEL.match(line.strip())
                if lab:
                    labels.append((n, lab.group(1)))
            else:
                code.append(line)
            prose.append("")
            continue
        lab = DOLLAR_LABEL.match(line.strip())
        if lab:
            labels.append((n, lab.group(1)))
        prose.append(line)
    return prose, labels, code


def paragraphs(prose: list[str]) -> list[tuple[int, str]]:
    """Blank-line separated prose blocks as ``(first line number, text)``; headings stand alone."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for n, line in enumerate([*prose, ""], start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            if not buf:
                start = n
            buf.append(line)
            continue
        if buf:
            out.append((start, " ".join(buf)))
            buf = []
        if line.lstrip().startswith("#"):
            out.append((n, line))
    return out


def unattributed_paper_equations(prose: list[str]) -> list[tuple[int, str]]:
    """Paragraphs citing "Eq. (N)" without saying which paper's equation it is."""
    return [(n, PAPER_EQ.search(p).group(0)) for n, p in paragraphs(prose)
            if PAPER_EQ.search(p) and not ATTRIBUTION.search(EQ_ROLE.sub("", p))]


def _scan() -> dict[str, tuple[list[str], list[tuple[int, str]], list[str]]]:
    return {str(f.relative_to(ROOT)): split_source(f.read_text()) for f in CHAPTERS}


SCAN = _scan()


def _labels() -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for name, (_, labels, _) in SCAN.items():
        for n, lab in labels:
            where.setdefault(lab, []).append(f"{name}:{n}")
    return where


def test_checker_catches_what_it_claims_to():
    """The checker itself, on a small text with one of each fault (so these tests can fail)."""
    text = ("---\njupytext: x\n---\n# Title\n\n$$\na = b\n$$ (eq-one)\n\n$$\nc\n$$ (eq-one)\n\n"
            "By Eq. (3), see {eq}`eq-two` and {eq}`the first <eq-one>`.\n\n"
            "Paper B's Eq. (4) is fine.\n\n```{code-cell} ipython3\nx = 1  # Eq. (5)\n```\n\n"
            "```{math}\n:label: eq-three\nd\n```\nThe equation above is (Eq. (2.1)).\n\nEquation {eq}`eq-one`.\n")
    prose, labels, code = split_source(text)
    assert [lab for _, lab in labels] == ["eq-one", "eq-one", "eq-three"]
    assert code == ["x = 1  # Eq. (5)"]
    refs = EQ_ROLE.findall("\n".join(prose))
    assert refs == ["eq-two", "eq-one", "eq-one"]
    assert [m for _, m in unattributed_paper_equations(prose)] == ["Eq. (3)"]
    joined = "\n".join(prose)
    assert [why for rx, why in HANDWRITTEN if rx.search(joined)] == [
        "hand-written book equation number", "'equation above/below'",
        "'Eq.' in front of {eq}, which prints its own"]


def test_every_eq_role_points_to_a_label():
    labels = _labels()
    missing = [f"{name}: {{eq}}`{ref}`" for name, (prose, _, _) in SCAN.items()
               for ref in EQ_ROLE.findall("\n".join(prose)) if ref not in labels]
    assert not missing, "equation references to undefined labels:\n" + "\n".join(missing)


def test_equation_labels_are_unique():
    dup = {lab: where for lab, where in _labels().items() if len(where) > 1}
    assert not dup, f"equation labels defined more than once: {dup}"


def test_no_hand_written_equation_numbers():
    bad = []
    for name, (prose, _, code) in SCAN.items():
        for n, line in enumerate(prose, start=1):
            bad += [f"{name}:{n}: {why}: {line.strip()[:100]}" for rx, why in HANDWRITTEN if rx.search(line)]
        bad += [f"{name} (code cell): {why}: {line.strip()[:100]}" for line in code
                for rx, why in HANDWRITTEN[:2] if rx.search(line)]
    assert not bad, "use {eq}`label` for the book's own equations:\n" + "\n".join(bad)


def test_paper_equation_numbers_say_which_paper():
    bad = [f"{name}:{n}: {eq}" for name, (prose, _, _) in SCAN.items()
           for n, eq in unattributed_paper_equations(prose)]
    assert not bad, ("a paper's equation number in a paragraph that does not name the paper "
                     "(write \"paper A's Eq. (n)\" or \"its Eq. (n)\"):\n" + "\n".join(bad))


def test_report_unreferenced_labels():
    """Not a failure: a labelled equation nobody refers to still gets its number."""
    referenced = {ref for prose, _, _ in SCAN.values() for ref in EQ_ROLE.findall("\n".join(prose))}
    unused = sorted(f"{lab} ({where[0]})" for lab, where in _labels().items() if lab not in referenced)
    if unused:
        warnings.warn("labelled but never referenced: " + ", ".join(unused), UserWarning, stacklevel=1)


@pytest.mark.parametrize("name", sorted(SCAN))
def test_displayed_equations_are_closed(name):
    """An odd number of ``$$`` lines means an unterminated display (the rest renders as math)."""
    prose = SCAN[name][0]
    opens = sum(1 for line in prose if line.strip().startswith("$$"))
    assert opens % 2 == 0, f"{name}: unbalanced $$ display math ({opens} delimiters)"
