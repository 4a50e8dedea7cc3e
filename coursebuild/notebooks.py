"""Which notebooks the course has, in learning order. Every command that walks the course
(run, outputs, slides, site, editions) and the tests find the notebooks here."""

from __future__ import annotations

from pathlib import Path

from helpers import config


def find_notebooks(selectors: list[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The course's notebooks in order; ``selectors`` ("00", "3", "02_cv2") keep only matching ones.

    A selector that matches no notebook raises :class:`ValueError` naming the notebooks there
    are; the commands print it and exit with status 2."""
    folder = folder or config.NOTEBOOKS_DIR
    notebooks = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not selectors:
        return notebooks
    chosen = []
    for sel in selectors:
        matches = [p for p in notebooks if p.name.startswith(sel.zfill(2) if sel.isdigit() else sel)]
        if not matches:
            names = ", ".join(p.name for p in notebooks)
            raise ValueError(f"No notebook matches {sel!r}. The notebooks are: {names}")
        chosen += [m for m in matches if m not in chosen]
    return chosen
