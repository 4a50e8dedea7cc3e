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

    python -m coursebuild.slides          re-apply the metadata to every notebook in notebooks/
    python3 course.py slides [NN ...] export decks to build/slides/ (:func:`export`)

:func:`export` writes ``nbconvert --to slides`` decks that work offline: reveal.js (from the
``sphinx-revealjs`` package), require.js, jQuery and MathJax (from ``nbclassic``) are copied
into ``build/slides/assets/`` and the decks point there instead of to a CDN.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

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


MERMAID_SCRIPT = re.compile(r'<script type="module">\s*import mermaid from[^<]*</script>', re.DOTALL)


# nbclassic's MathJax 2 ships only the STIX-Web fonts; without this it asks for the TeX ones.
MATHJAX_FONTS = (
    '<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": '
    '{availableFonts: [], webFont: "STIX-Web", imageFont: null}});</script>'
)


# nbconvert's deck CSS lets a code or output line run past the slide's right edge, where it is
# cut off (notebook 04's batch slide lost its comments). Smaller code, and a sideways scroll bar
# on any line that is still too wide, keep every character on the slide.
DECK_STYLE = """<style>
.reveal .slides div.highlight > pre, .reveal .slides div.jp-OutputArea-output > pre {
  font-size: 14px !important; line-height: 1.35; white-space: pre; overflow-x: auto; max-width: 100%;
}
.reveal .slides .jp-Cell, .reveal .slides .jp-InputArea, .reveal .slides .jp-InputArea-editor,
.reveal .slides .jp-OutputArea, .reveal .slides div.highlight { max-width: 100%; min-width: 0; overflow-x: auto; }
</style>"""


def offline_page(page: str) -> str:
    """Make an nbconvert page self-sufficient: drop the Mermaid loader (a module script from a
    CDN; the course draws no diagrams, and browsers refuse module scripts on file:// pages)
    and point MathJax at the fonts that were copied. Also add :data:`DECK_STYLE`, so that
    long code and output lines scroll instead of being cut off at the slide's edge."""
    return MERMAID_SCRIPT.sub("", page).replace("</head>", MATHJAX_FONTS + "\n" + DECK_STYLE + "\n</head>", 1)


def copy_assets(target: Path) -> dict[str, str]:
    """Copy the decks' JavaScript and CSS into ``target`` (once) and return nbconvert's
    resource URLs, relative to the folder that holds ``target``."""
    import nbclassic
    import sphinx_revealjs

    reveal = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    components = Path(nbclassic.__file__).parent / "static" / "components"
    copies = {
        "reveal": reveal,
        "MathJax": components / "MathJax",
        "require.js": components / "requirejs" / "require.js",
        "jquery.min.js": components / "jquery" / "jquery.min.js",
    }
    for name, source in copies.items():
        if not source.exists():
            raise FileNotFoundError(
                f"{source} is missing: run `python3 course.py setup` to install the course's packages"
            )
        if not (target / name).exists():
            if source.is_dir():
                shutil.copytree(source, target / name)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    base = target.name
    return {
        "reveal_url_prefix": f"{base}/reveal",
        "require_js_url": f"{base}/require.js",
        "jquery_url": f"{base}/jquery.min.js",
        # nbclassic ships this MathJax configuration (not nbconvert's default TeX-AMS_CHTML-full)
        "mathjax_url": f"{base}/MathJax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe",
    }


def export(notebooks, out_dir: Path) -> list[Path]:
    """Export each notebook as an offline reveal.js deck ``out_dir/NN_name.slides.html``."""
    import nbformat
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    out_dir = Path(out_dir)
    urls = copy_assets(out_dir / "assets")
    config = Config()
    for key, value in urls.items():
        setattr(config.SlidesExporter, key, value)
    config.SlidesExporter.reveal_theme = "white"  # "simple" imports Google Fonts; "white" ships its fonts
    exporter = SlidesExporter(config=config)
    written = []
    for path in notebooks:
        body, _ = exporter.from_notebook_node(apply(nbformat.read(path, as_version=4)))
        body = offline_page(body)
        target = out_dir / f"{Path(path).stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def export_main(argv: list[str] | None = None) -> int:
    from coursebuild.notebooks import find_notebooks
    from helpers import config

    out_dir = config.ROOT / "build" / "slides"
    try:
        notebooks = find_notebooks(argv or None)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in export(notebooks, out_dir):
        print(f"slides: {config.relative(path)}")
    print("Open one in a browser (no internet needed); press ? there for the keys, s for speaker notes.")
    return 0


def main(argv: list[str] | None = None) -> int:
    import nbformat

    from coursebuild.notebooks import find_notebooks

    if argv and argv[0] == "export":
        return export_main(argv[1:])
    for path in find_notebooks():
        nb = nbformat.read(path, as_version=4)
        before = [c.metadata.get("slideshow") for c in nb.cells]
        apply(nb)
        if before != [c.metadata.get("slideshow") for c in nb.cells]:
            nbformat.write(nb, path)
            print(f"slide metadata updated: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
