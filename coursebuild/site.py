"""The course as a web site that works offline, with a sidebar, in-page contents and search.

    python3 course.py site          (or: python -m coursebuild.site)

renders into ``build/site/`` with Sphinx, myst-nb and the Sphinx Book Theme (the tool behind
Jupyter Book 1), configured in ``coursebuild/site_conf/conf.py``:

* ``index.html``: the README (the notebook map, the commands);
* one page per notebook, ``notebooks/NN_name.html``, with its recorded outputs and figures;
  the sidebar lists the whole course, the right-hand column the page's sections, and the
  foot of the page links to the previous and next notebook;
* ``docs/GLOSSARY.html``, ``docs/INSTRUCTOR_GUIDE.html`` and ``data/README.html``;
* ``search.html``: Sphinx's full-text search over every page.

Nothing is loaded from the internet. Browsers refuse ``fetch()`` on ``file://`` pages, which
Sphinx's search uses to show a few lines of context under each result; this module therefore
writes the pages' text into ``_static/course-search-texts.js`` and, on the search page only,
answers those requests from it (``_static/course-search-offline.js``).

Open ``build/site/index.html`` in a browser. The folder is generated: it is rebuilt every time.
"""

from __future__ import annotations

import html
import io
import json
import shutil
import sys
from pathlib import Path

from coursebuild.notebooks import find_notebooks
from helpers import config

SITE_DIR = config.ROOT / "build" / "site"
CONF_DIR = Path(__file__).parent / "site_conf"
#: Markdown pages of the site besides the notebooks: source in the repository -> page title.
GUIDES = {
    "docs/GLOSSARY.md": "Glossary",
    "docs/INSTRUCTOR_GUIDE.md": "Instructor guide",
    "data/README.md": "Data",
}
TEXTS_JS = "course-search-texts.js"
OFFLINE_JS = "course-search-offline.js"

OFFLINE_SEARCH = """\
// Sphinx's search fetches each result's page to show a few lines of context under it. Browsers
// refuse fetch() on file:// pages, so there the requests are answered from the page texts that
// the site build wrote into course-search-texts.js (window.COURSE_SEARCH_TEXTS).
(() => {
  if (location.protocol !== "file:") return;
  const texts = window.COURSE_SEARCH_TEXTS || {};
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href).href;
  const realFetch = window.fetch.bind(window);
  window.fetch = (resource, options) => {
    const url = new URL(String(resource), location.href).href;
    const key = url.startsWith(root) ? url.slice(root.length) : null;
    if (key !== null && key in texts) {
      return Promise.resolve(new Response(texts[key], { headers: { "Content-Type": "text/html" } }));
    }
    return realFetch(resource, options);
  };
})();
"""


def page_name(notebook: Path) -> str:
    """The site page of a notebook, relative to the site's root."""
    return f"notebooks/{notebook.stem}.html"


def stage(source: Path, notebooks: list[Path]) -> None:
    """Copy what the site shows into ``source``, in the repository's own layout (so every
    relative link between README, notebooks and guides still resolves), and end the README
    with the hidden table of contents that gives the sidebar its order."""
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    for path in notebooks:
        shutil.copy2(path, source / "notebooks" / path.name)
    for guide in GUIDES:
        (source / guide).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(config.ROOT / guide, source / guide)

    def toctree(caption: str, entries: list[str]) -> str:
        return "\n```{toctree}\n:hidden:\n:caption: " + caption + "\n\n" + "\n".join(entries) + "\n```\n"

    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    readme += toctree("The notebooks", [f"notebooks/{p.stem}" for p in notebooks])
    readme += toctree("Guides", [f"{guide.removesuffix('.md')}" for guide in GUIDES])
    (source / "README.md").write_text(readme, encoding="utf-8")


def build(target: Path = SITE_DIR, notebooks: list[Path] | None = None, *, quiet: bool = True) -> list[str]:
    """Render the site into ``target`` (rebuilt from scratch) and return Sphinx's warnings,
    one per line (a broken link between pages is one)."""
    from sphinx.application import Sphinx

    notebooks = notebooks or find_notebooks()
    # Staged sources, Sphinx's doctrees, the figures myst-nb extracts (it writes them beside
    # the output folder) and the output itself, which replaces ``target`` once it is complete.
    work = target.parent / f".{target.name}-work"
    if work.exists():
        shutil.rmtree(work)
    try:
        stage(work / "source", notebooks)
        warnings = io.StringIO()
        app = Sphinx(
            srcdir=work / "source",
            confdir=CONF_DIR,
            outdir=work / "html",
            doctreedir=work / "doctrees",
            buildername="html",
            status=io.StringIO() if quiet else sys.stdout,
            warning=warnings,
            freshenv=True,
        )
        app.build()
        shutil.copy2(work / "html" / "README.html", work / "html" / "index.html")
        if target.exists():
            shutil.rmtree(target)  # generated folder: rebuilt every time
        (work / "html").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


# --- the Sphinx extension (listed in site_conf/conf.py) ---------------------------------------


#: Which output of a cell the page shows when it has several (myst-nb's order for HTML).
SHOWN_FIRST = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/latex",
    "text/plain",
)


def _text(node) -> str:
    """The text a reader sees in a doctree node: of a cell output with several forms, only the
    one the page shows (a figure's ``<Figure size ...>`` stand-in is not shown, so not searched)."""
    from docutils import nodes

    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, (nodes.raw, nodes.image)):
        return ""
    children = node.children
    if node.get("nb_element") == "mime_bundle" and children:
        rank = {mime: i for i, mime in enumerate(SHOWN_FIRST)}
        children = [min(children, key=lambda c: rank.get(c.get("mime_type"), len(rank)))]
        if children[0].get("mime_type", "").startswith("image/"):
            return ""
    separator = "\n" if isinstance(node, (nodes.paragraph, nodes.literal_block, nodes.title)) else ""
    return "".join(_text(child) for child in children) + separator


def _section_html(node) -> str:
    """A doctree as the nested ``<section id=...>`` text that Sphinx's search summary reads:
    it looks for ``[role="main"] #anchor`` and takes its text."""
    from docutils import nodes

    parts = []
    for child in node.children:
        if isinstance(child, nodes.section):
            anchor = f' id="{html.escape(child["ids"][0])}"' if child["ids"] else ""
            parts.append(f"<section{anchor}>{_section_html(child)}</section>")
        else:
            parts.append(html.escape(_text(child)))
    return "".join(parts)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(TEXTS_JS)
        app.add_js_file(OFFLINE_JS)


def _write_search_texts(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    texts = {}
    for docname in sorted(app.env.found_docs):
        doctree = app.env.get_doctree(docname)
        texts[docname + app.builder.out_suffix] = f'<div role="main">{_section_html(doctree)}</div>'
    static = Path(app.outdir) / "_static"
    (static / TEXTS_JS).write_text(
        "window.COURSE_SEARCH_TEXTS = " + json.dumps(texts, ensure_ascii=False) + ";\n", encoding="utf-8"
    )
    (static / OFFLINE_JS).write_text(OFFLINE_SEARCH, encoding="utf-8")


def setup(app):
    """Sphinx extension: offline search summaries (see the module's docstring)."""
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write_search_texts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    print("rendering the course with Sphinx ...", flush=True)
    warnings = build()
    for line in warnings:
        print(line, file=sys.stderr)
    pages = sorted(SITE_DIR.rglob("*.html"))
    print(
        f"{len(pages)} pages in {config.relative(SITE_DIR)}/; open {config.relative(SITE_DIR / 'index.html')}"
    )
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
