"""The course as a static web site that works offline.

    python3 course.py site          (or: python -m coursebuild.site)

renders into ``build/site/``:

* ``index.html`` -- the README (the notebook map, the commands) with its links pointing at
  the pages below;
* one page per notebook, ``NN_name.html``, with its recorded outputs and figures, and a
  navigation bar (previous / contents / next) at the top and bottom;
* ``instructor-guide.html`` and ``data.html`` (docs/INSTRUCTOR_GUIDE.md, data/README.md);
* ``assets/`` -- require.js, MathJax and friends, copied from installed packages (the same
  ones as the slide decks), so no page loads anything from the internet.

Open ``build/site/index.html`` in a browser. The folder is generated: it is rebuilt every time.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import sys
from pathlib import Path

from coursebuild import slides
from coursebuild.notebooks import find_notebooks
from helpers import config

SITE_DIR = config.ROOT / "build" / "site"
PAGES = {
    "README.md": "index.html",
    "docs/INSTRUCTOR_GUIDE.md": "instructor-guide.html",
    "data/README.md": "data.html",
}
STYLE = """
nav.course-nav { font: 15px system-ui, sans-serif; display: flex; justify-content: space-between;
  gap: 1em; padding: .6em 1em; margin: 0 0 1em; background: #f3f5f8; border-bottom: 1px solid #d8dde6; }
nav.course-nav a { text-decoration: none; color: #1a5fb4; }
nav.course-nav span.none { color: #999; }
body.course-page { max-width: 1100px; margin: 0 auto; padding: 0 1.5em 2em; font: 16px/1.55 system-ui, sans-serif; }
body.course-page table { border-collapse: collapse; } body.course-page td, body.course-page th
  { border: 1px solid #ccd; padding: .3em .6em; vertical-align: top; }
body.course-page pre { background: #f6f8fa; padding: .8em; overflow-x: auto; }
"""


def page_name(notebook: Path) -> str:
    return f"{notebook.stem}.html"


def _rewrite_links(text: str, notebooks: list[Path], relative_to: str) -> str:
    """Point links at notebooks and the course's markdown files to their pages in the site.
    ``relative_to`` is the source file's folder inside the repository ("", "notebooks", "docs")."""

    pages = {f"notebooks/{nb.name}": page_name(nb) for nb in notebooks} | PAGES

    def target(link: str) -> str | None:
        path, _, anchor = link.partition("#")
        page = pages.get(posixpath.normpath(posixpath.join(relative_to, path))) if path else None
        return page + (f"#{anchor}" if anchor else "") if page else None

    def swap(match):
        new = target(html.unescape(match.group(2)))
        return f"{match.group(1)}{new}{match.group(3)}" if new else match.group(0)

    return re.sub(r'(href=")([^"#:][^":]*)(")', swap, text)


def _nav(notebooks: list[Path], index: int | None) -> str:
    def link(i, label):
        if i is None or not 0 <= i < len(notebooks):
            return f'<span class="none">{label}</span>'
        return f'<a href="{page_name(notebooks[i])}">{label}: {html.escape(notebooks[i].stem.replace("_", " ", 1))}</a>'

    prev_link = link(None if index is None else index - 1, "&larr; previous")
    next_link = link(0 if index is None else index + 1, "next &rarr;")
    return f'<nav class="course-nav">{prev_link}<a href="index.html">contents</a>{next_link}</nav>'


def _markdown_page(source: Path, notebooks: list[Path], title: str) -> str:
    import mistune

    body = mistune.html(source.read_text(encoding="utf-8"))
    folder = str(source.parent.relative_to(config.ROOT)) if source.parent != config.ROOT else ""
    body = _rewrite_links(body, notebooks, folder)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<style>{STYLE}</style></head><body class="course-page">{_nav(notebooks, None)}{body}'
        f"{_nav(notebooks, None)}</body></html>\n"
    )


def build(target: Path = SITE_DIR, notebooks: list[Path] | None = None) -> list[Path]:
    """Render the site into ``target`` and return the pages written."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebooks = notebooks or find_notebooks()
    if target.exists():
        shutil.rmtree(target)  # generated folder: rebuilt every time
    target.mkdir(parents=True)
    urls = slides.copy_assets(target / "assets")
    exporter_config = Config()
    exporter_config.HTMLExporter.require_js_url = urls["require_js_url"]
    exporter_config.HTMLExporter.mathjax_url = urls["mathjax_url"]
    exporter = HTMLExporter(config=exporter_config, template_name="lab")
    pages = []
    for i, path in enumerate(notebooks):
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
        body = slides.offline_page(body)
        body = _rewrite_links(body, notebooks, "notebooks")
        nav = _nav(notebooks, i)
        body = re.sub(
            r"(<body[^>]*>)", lambda m, nav=nav: f"{m.group(1)}<style>{STYLE}</style>{nav}", body, count=1
        )
        body = body.replace("</body>", f"{nav}</body>", 1)
        page = target / page_name(path)
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    titles = {
        "README.md": "Facial emotion recognition with a CNN",
        "docs/INSTRUCTOR_GUIDE.md": "Instructor guide",
        "data/README.md": "Data",
    }
    for source, name in PAGES.items():
        page = target / name
        page.write_text(_markdown_page(config.ROOT / source, notebooks, titles[source]), encoding="utf-8")
        pages.append(page)
    return pages


def main(argv: list[str] | None = None) -> int:
    pages = build()
    print(
        f"{len(pages)} pages in {config.relative(SITE_DIR)}/; open {config.relative(SITE_DIR / 'index.html')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
