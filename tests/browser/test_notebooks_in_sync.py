"""The Colab copies in ``notebooks/`` match the chapters they are exported from (text only, ~2 s).

``scripts/export_notebooks.py`` writes ``notebooks/<part>/<chapter>.ipynb`` from every notebook
chapter of ``_toc.yml``; the book's Colab launch entry links to them. These tests fail when a
chapter changed (or was added or removed) without re-running the script, and check what the
Colab set-up cell does, with git, pip and the file system replaced by recorders (no network).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("export_notebooks", ROOT / "scripts" / "export_notebooks.py")
export = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(export)


def test_every_notebook_chapter_is_exported_and_current():
    stale = export.export_all(check=True)
    assert not stale, ("notebooks/ is out of date with the chapters; run "
                       "`.venv/bin/python scripts/export_notebooks.py`: "
                       + ", ".join(p.relative_to(ROOT).as_posix() for p in stale))


def test_chapters_cover_the_toc():
    """Every chapter page with a kernelspec has a notebook (so no Colab link points nowhere)."""
    chapters = export.chapters()
    assert len(chapters) >= 16, [c.name for c in chapters]
    for chapter in chapters:
        target = export.notebook_path(chapter)
        assert target.is_file(), f"{target.relative_to(ROOT)} missing: run scripts/export_notebooks.py"
        nb = json.loads(target.read_text())
        assert nb["cells"][0]["metadata"]["tags"] == ["colab-setup"]
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), "outputs stored"
        # the chapter's own code follows, unchanged
        first_code = next(c for c in nb["cells"][1:] if c["cell_type"] == "code")
        assert "".join(first_code["source"]).strip() in chapter.read_text()


def _run_setup_cell(source: str, on_colab: bool, monkeypatch) -> list:
    calls: list = []
    fake_subprocess = types.SimpleNamespace(run=lambda args, check: calls.append(("run", args)))
    monkeypatch.setitem(sys.modules, "subprocess", fake_subprocess)
    monkeypatch.setattr(os, "chdir", lambda path: calls.append(("chdir", path)))
    monkeypatch.setattr(os.path, "isdir", lambda path: False)
    if on_colab:
        google = types.ModuleType("google")
        google.colab = types.ModuleType("google.colab")
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    else:
        monkeypatch.setitem(sys.modules, "google.colab", None)  # import raises ImportError
    exec(compile(source, "<colab-setup>", "exec"), {})
    return calls


def test_setup_cell_does_nothing_outside_colab(monkeypatch):
    source = export.colab_cell_source(ROOT / "book" / "paper_b" / "model.md")
    assert _run_setup_cell(source, on_colab=False, monkeypatch=monkeypatch) == []


@pytest.mark.parametrize("chapter", ["foundations/gaussian_toolbox.md", "paper_b/model.md"])
def test_setup_cell_on_colab_clones_installs_and_enters_the_chapter_folder(chapter, monkeypatch):
    path = ROOT / "book" / chapter
    calls = _run_setup_cell(export.colab_cell_source(path), on_colab=True, monkeypatch=monkeypatch)
    url, branch = export.repository_url()
    clone = calls[0][1]
    assert clone[:3] == ["git", "clone", "--depth"] and url in clone and branch in clone
    assert calls[1][1][-1] == clone[-1] and "pip" in calls[1][1]
    assert calls[2][0] == "chdir"
    # the folder entered on Colab is the chapter's folder of the repository
    assert Path(calls[2][1]).relative_to(clone[-1]) == path.parent.relative_to(ROOT)


def test_repository_url_is_the_same_everywhere():
    """_config.yml is the one place; the README and binder/ must not name another repository."""
    url, _ = export.repository_url()
    assert url.startswith("https://github.com/"), url
    for f in [ROOT / "README.md", *sorted((ROOT / "binder").iterdir())]:
        for other in set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", f.read_text())):
            assert other.rstrip(".") == url, f"{f.name} names {other}, _config.yml {url}"


def test_script_check_mode_exit_status():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_notebooks.py"), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
