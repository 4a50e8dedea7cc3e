"""coursebuild.slides: the exported decks work offline: every script, style sheet and module they
load is a file beside them, and each notebook section became a slide."""

from __future__ import annotations

import re

import nbformat

from coursebuild import slides
from coursebuild.notebooks import find_notebooks


def test_deck_loads_nothing_from_the_internet(tmp_path):
    path = find_notebooks(["04"])[0]
    (deck,) = slides.export([path], tmp_path)
    html = deck.read_text()
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    urls += re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    urls += re.findall(r"import \w+ from '([^']+)'", html)
    urls += re.findall(r'"(assets/reveal/[^"]+\.js)"', html)  # reveal.js and its notes plugin, via require
    assert len(urls) >= 6
    for url in urls:
        assert "://" not in url, f"the deck loads {url} from the internet"
        assert (tmp_path / url.split("?")[0]).is_file(), f"the deck needs {url}, which was not copied"
    assert "Reveal.initialize" in html and "mermaid" not in html


def test_every_section_is_a_slide_in_the_deck(tmp_path):
    path = find_notebooks(["04"])[0]
    (deck,) = slides.export([path], tmp_path)
    nb = nbformat.read(path, as_version=4)
    sections = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    html = deck.read_text()
    assert html.count("<section") >= len(sections) + 1
    setup_code = next(c for c in nb.cells if c.cell_type == "code").source.splitlines()[0]
    assert setup_code not in html  # skipped cells are left out of the deck
