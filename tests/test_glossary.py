"""The glossary (docs/GLOSSARY.md): where it is linked from, and that every link into a
Markdown page's section lands on a heading that exists."""

from __future__ import annotations

import re

import nbformat
import pytest

from coursebuild import site
from coursebuild.notebooks import find_notebooks
from helpers import config

GLOSSARY = config.ROOT / "docs" / "GLOSSARY.md"
NOTEBOOKS = find_notebooks()
#: Terms a learner meets in notebooks 00-05 before (or without) a lesson on them: each needs an
#: entry, linked from the notebook that first uses it.
FIRST_HALF_TERMS = {
    "seed",
    "kernel",
    "epoch",
    "keras-3",
    "haar-cascade",
    "reference-model",
    "codec-and-fourcc",
    "slice",
    "ellipsis",
    "lambda",
}


def slug(heading: str) -> str:
    """A heading's anchor as GitHub and the site (myst's github_slugify) make it."""
    return re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", markdown, re.M)}


def markdown_of(path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text()


PAGES = [*NOTEBOOKS, config.ROOT / "README.md", *sorted((config.ROOT / "docs").glob("*.md"))]


def test_slug_matches_the_sites_anchors():
    assert slug("Keras 3") == "keras-3"
    assert slug("codec and fourcc") == "codec-and-fourcc"
    assert slug("Run the detector on your webcam") == "run-the-detector-on-your-webcam"


def test_the_glossary_is_linked_from_the_readme_and_is_a_page_of_the_site():
    assert "](docs/GLOSSARY.md)" in (config.ROOT / "README.md").read_text()
    assert "docs/GLOSSARY.md" in site.GUIDES


def test_entries_are_in_alphabetical_order_and_cover_the_first_half():
    terms = re.findall(r"^## (.+)$", GLOSSARY.read_text(), re.M)
    assert terms == sorted(terms, key=str.lower), "keep the glossary's entries in alphabetical order"
    missing = FIRST_HALF_TERMS - {slug(t) for t in terms}
    assert not missing, f"the glossary has no entry for {sorted(missing)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_to_a_section_of_a_markdown_page_resolve(page):
    for target, anchor in re.findall(r"\]\(([^)#\s]*\.md)#([^)\s]+)\)", markdown_of(page)):
        linked = (page.parent / target).resolve()
        assert linked.is_file(), f"{page.name} links to {target}, which does not exist"
        assert anchor in anchors(linked.read_text()), (
            f"{page.name} links to {target}#{anchor}, but {target} has no such heading"
        )


def test_each_first_half_term_is_linked_from_a_notebook():
    linked = set()
    for path in NOTEBOOKS:
        linked |= set(re.findall(r"GLOSSARY\.md#([\w-]+)", markdown_of(path)))
    missing = FIRST_HALF_TERMS - linked
    assert not missing, f"no notebook links to the glossary's {sorted(missing)}"
