"""Slide metadata for presenting the notebooks (RISE in JupyterLab, or ``nbconvert --to slides``).

Every cell gets ``metadata.slideshow.slide_type``, chosen from the notebook's own structure so
that it stays right when a notebook changes (``python3 course.py outputs`` re-applies it, and
a test checks that the committed notebooks carry exactly what :func:`slide_types` gives):

* the title cell and every ``## `` section heading start a **slide**: one idea per slide;
* a ``### `` heading, or an explanation that follows a code cell, starts a **sub-slide**
  (reveal.js shows it below the slide, so a section stays together);
* the code of the set-up section (imports, paths: run before the talk) is **skipped**;
* a markdown cell directly after another markdown cell appears as a **fragment**;
* code cells stay on the slide of the text that introduces them (``-``).

    python -m helpers.slides          re-apply the metadata to every notebook in notebooks/
"""

from __future__ import annotations

import sys

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "-")


def slide_types(cells) -> list[str]:
    """The slide type of each cell of a notebook (a list of nbformat cells), in order."""
    types = []
    previous = None  # the previous cell's type and first line
    section = ""
    for i, cell in enumerate(cells):
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown":
            if i == 0 or first.startswith("## "):
                kind = "slide"
                section = first
            elif first.startswith("### ") or (previous and previous[0] == "code"):
                kind = "subslide"
            else:
                kind = "fragment"
        else:
            kind = "skip" if section == "## Set-up" else "-"
        types.append(kind)
        previous = (cell.cell_type, kind)
    return types


def apply(nb):
    """Set ``metadata.slideshow.slide_type`` on every cell of ``nb`` (in place); return ``nb``."""
    for cell, kind in zip(nb.cells, slide_types(nb.cells), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return nb


def main(argv: list[str] | None = None) -> int:
    import nbformat

    from helpers import runner

    for path in runner.find_notebooks():
        nb = nbformat.read(path, as_version=4)
        before = [c.metadata.get("slideshow") for c in nb.cells]
        apply(nb)
        if before != [c.metadata.get("slideshow") for c in nb.cells]:
            nbformat.write(nb, path)
            print(f"slide metadata updated: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
