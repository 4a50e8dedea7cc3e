"""coursebuild.site: the course site (Sphinx, myst-nb, Sphinx Book Theme) builds without a
warning, has a page per notebook with its figures, a sidebar with the whole course, in-page
contents, previous / next links, a search index over every page, and loads nothing from the
internet. tests_browser/ clicks through it and searches in a real browser."""

from __future__ import annotations

import json
import os
import re

import nbformat
import pytest

from coursebuild import site
from coursebuild.notebooks import find_notebooks


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "site"
    warnings = site.build(root)
    return root, warnings


def _sidebar(page: str) -> str:
    return re.search(r'<nav class="[^"]*\bbd-docs-nav\b[^"]*"(.*?)</nav>', page, re.DOTALL).group(1)


def test_builds_without_a_warning_and_leaves_no_work_files(built):
    root, warnings = built
    assert warnings == []  # a broken link between pages, or a notebook left out of the sidebar, warns
    assert sorted(p.name for p in root.parent.iterdir()) == ["site"]  # staged sources cleaned up


def test_every_page_has_the_whole_course_in_its_sidebar(built):
    root, _ = built
    notebooks = find_notebooks()
    for page_path in [root / "index.html", *(root / site.page_name(p) for p in notebooks)]:
        sidebar = _sidebar(page_path.read_text())
        for nb in notebooks:
            own = page_path.name == f"{nb.stem}.html"
            target = "#" if own else os.path.relpath(root / site.page_name(nb), page_path.parent)
            assert f'href="{target}"' in sidebar, f"{page_path.name}'s sidebar lacks {nb.stem}"
        assert "Instructor guide" in sidebar


def test_notebook_pages_have_in_page_contents_and_previous_next(built):
    root, _ = built
    notebooks = find_notebooks()
    for i, path in enumerate(notebooks):
        page = (root / site.page_name(path)).read_text()
        toc = re.search(r'<nav id="pst-page-toc-nav" class="page-toc"(.*?)</nav>', page, re.DOTALL).group(1)
        sections = [
            c.source.lstrip()[3:].splitlines()[0]
            for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "markdown" and c.source.lstrip().startswith("## ")
        ]
        assert len(sections) >= 5 and toc.count("<a") >= len(sections), path.name
        previous = re.search(r'<a class="left-prev"\s+href="([^"]+)"', page).group(1)
        assert previous == ("../README.html" if i == 0 else f"{notebooks[i - 1].stem}.html")
        following = re.search(r'<a class="right-next"\s+href="([^"]+)"', page)
        if i + 1 < len(notebooks):
            assert following.group(1) == f"{notebooks[i + 1].stem}.html"


def _targets(page: str):
    links = re.findall(r'<a[^>]*\shref="([^"#]+)', page)
    loads = re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"', page)
    loads += re.findall(r'<link[^>]*\shref="([^"]+)"', page)
    return [t for t in links if "://" not in t and not t.startswith("mailto:")], [
        u for u in loads if u != "#"
    ]


def test_all_links_resolve_and_nothing_loads_from_the_internet(built):
    root, _ = built
    pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)  # not the theme's templates
    assert len(pages) >= len(find_notebooks()) + 4  # + index, README, two guides, search
    for page_path in pages:
        page = page_path.read_text()
        links, loads = _targets(page)
        for target in links:
            assert (page_path.parent / target.split("?")[0]).is_file(), f"{page_path.name} links to {target}"
        for url in loads:
            assert "://" not in url and not url.startswith("//"), (
                f"{page_path.name} loads {url} from the internet"
            )
            assert (page_path.parent / url.split("?")[0]).is_file(), f"{page_path.name} needs {url}"
        assert '.ipynb"' not in page and 'README.md"' not in page, f"{page_path.name} links to a source file"


def test_pages_show_the_recorded_figures_and_outputs(built):
    root, _ = built
    capstone = (root / "notebooks" / "10_capstone_emotion_cnn.html").read_text()
    figures = re.findall(r'<img[^>]*src="(\.\./_images/[^"]+\.png)"', capstone)
    assert len(figures) >= 4  # curves, confusion matrices, mistakes, Grad-CAM
    assert all((root / "notebooks" / f).stat().st_size > 1000 for f in figures)
    assert "classification_report" in capstone and "macro avg" in capstone  # a recorded text output


def test_search_covers_every_page_and_works_from_file_urls(built):
    root, _ = built
    index = (root / "searchindex.js").read_text()
    docnames = json.loads(re.search(r'"docnames":(\[.*?\])', index).group(1))
    assert {f"notebooks/{p.stem}" for p in find_notebooks()} <= set(docnames)
    texts_js = (root / "_static" / site.TEXTS_JS).read_text()
    texts = json.loads(texts_js.removeprefix("window.COURSE_SEARCH_TEXTS = ").rstrip().removesuffix(";"))
    assert set(texts) == {d + ".html" for d in docnames}
    assert "cv2.equalizeHist" in texts["notebooks/02_cv2_opencv.html"]
    assert "&lt;Figure size" not in texts["notebooks/06_matplotlib.html"]  # a figure's text stand-in
    search = (root / "search.html").read_text()
    assert site.TEXTS_JS in search and site.OFFLINE_JS in search
    assert site.TEXTS_JS not in (root / "index.html").read_text()  # only the search page loads them
