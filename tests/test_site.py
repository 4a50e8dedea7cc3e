"""coursebuild.site: the static course site has a page per notebook with its figures, navigation
previous / contents / next that resolves, and loads nothing from the internet."""

from __future__ import annotations

import re

import pytest

from coursebuild import site
from coursebuild.notebooks import find_notebooks


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    site.build(root)
    return root


def _local_targets(html):
    links = re.findall(r'<a[^>]*\shref="([^"#]+)', html)
    loads = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    loads += re.findall(r"import \w+ from '([^']+)'", html)
    return [t for t in links if "://" not in t and not t.startswith("mailto:")], loads


def test_every_notebook_has_a_page_with_navigation(built):
    notebooks = find_notebooks()
    for i, path in enumerate(notebooks):
        page = (built / site.page_name(path)).read_text()
        nav = re.search(r'<nav class="course-nav">(.*?)</nav>', page).group(1)
        assert 'href="index.html"' in nav
        if i > 0:
            assert f'href="{site.page_name(notebooks[i - 1])}"' in nav
        if i + 1 < len(notebooks):
            assert f'href="{site.page_name(notebooks[i + 1])}"' in nav


def test_all_links_resolve_and_nothing_loads_from_the_internet(built):
    for page in built.glob("*.html"):
        html = page.read_text()
        links, loads = _local_targets(html)
        for target in links:
            assert (built / target).is_file(), f"{page.name} links to {target}, which is not in the site"
        for url in loads:
            assert "://" not in url, f"{page.name} loads {url} from the internet"
            assert (built / url.split("?")[0]).is_file(), f"{page.name} needs {url}, which was not copied"
        assert '.ipynb"' not in html and 'README.md"' not in html, f"{page.name} still links to a source file"


def test_index_is_the_notebook_map_and_pages_show_their_figures(built):
    index = (built / "index.html").read_text()
    for path in find_notebooks():
        assert f'href="{site.page_name(path)}"' in index
    assert 'href="instructor-guide.html"' in index
    capstone = (built / "10_capstone_emotion_cnn.html").read_text()
    assert capstone.count("<img") >= 4 and capstone.count("data:image/png;base64") >= 4  # the four figures
