"""pytest collection of the book's chapters (MyST-markdown notebooks) with nbval.

``pytest tests`` runs the unit tests only (``testpaths`` in pyproject.toml).
``pytest book`` executes every chapter: each ``book/**/*.md`` whose YAML header carries a
jupytext ``kernelspec`` is converted with jupytext to ``_build/nbval/<same path>.ipynb``
and handed to nbval's collector, always in ``--nbval-lax`` mode (no stored outputs are
compared; a cell fails only if it raises, so chapters check themselves with ``assert``).
The kernel runs in the chapter's own folder and, unless ``--nbval-kernel-name`` is given,
with the Python interpreter that runs pytest (as ``--nbval-current-env``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

BOOK_DIR = "book"
NBVAL_DIR = Path("_build") / "nbval"

# Never descend into build products or environments (nbval would collect stray .ipynb files).
collect_ignore_glob = ["_build/*", ".venv/*", "**/.ipynb_checkpoints/*"]


def _is_chapter(path: Path) -> bool:
    """True for a MyST-markdown notebook: a .md file whose front matter has a kernelspec."""
    if path.suffix != ".md":
        return False
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    end = text.find("\n---", 3)
    header = text[3:end] if end > 0 else ""
    return "kernelspec:" in header and "jupytext:" in header


try:  # nbval and jupytext are in requirements.txt; degrade gracefully for `pytest tests`.
    import jupytext
    import nbformat
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel
    from nbval.plugin import IPyNbFile
except ImportError:  # pragma: no cover
    IPyNbFile = None


if IPyNbFile is not None:

    class MystChapter(IPyNbFile):
        """nbval collector for one chapter, executed in the chapter's own directory."""

        chapter: Path

        def __init__(self, *args, chapter: Path, **kwargs):
            self.chapter = chapter
            super().__init__(*args, **kwargs)
            self.compare_outputs = False  # always --nbval-lax

        def setup(self):
            option = self.parent.config.option
            kernel_name = option.nbval_kernel_name or CURRENT_ENV_KERNEL_NAME
            self.kernel = RunningKernel(
                kernel_name,
                cwd=str(self.chapter.parent),
                startup_timeout=option.nbval_kernel_startup_timeout,
            )
            self.setup_sanitize_files()

    def pytest_collect_file(file_path: Path, parent):
        rootpath = parent.config.rootpath
        book = rootpath / BOOK_DIR
        if book not in file_path.parents or not _is_chapter(file_path):
            return None
        relative = file_path.relative_to(rootpath)
        ipynb = rootpath / NBVAL_DIR / relative.with_suffix(".ipynb")
        ipynb.parent.mkdir(parents=True, exist_ok=True)
        notebook = jupytext.read(file_path)
        nbformat.write(notebook, ipynb)
        return MystChapter.from_parent(
            parent, path=ipynb, nodeid=str(relative), chapter=file_path
        )


def pytest_collection_modifyitems(config, items):
    """Chapters are slow: mark them so ``-m 'not chapter'`` can skip them."""
    if IPyNbFile is None:
        return
    for item in items:
        if isinstance(item.parent, MystChapter):
            item.add_marker(pytest.mark.chapter)


def pytest_configure(config):
    config.addinivalue_line("markers", "chapter: a cell of a book chapter run by nbval")
