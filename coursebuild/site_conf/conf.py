"""Sphinx configuration of the course site (``python3 course.py site``, :mod:`coursebuild.site`).

The notebooks are rendered with their recorded outputs (myst-nb, never executed here) in the
Sphinx Book Theme: the whole course in a sidebar, the page's sections on the right, previous /
next at the bottom, and Sphinx's full-text search. Everything the pages load is copied into the
site, so it works from ``file://`` with no network (:mod:`coursebuild.site` makes search work
there too).
"""

project = "Facial emotion recognition with a CNN"
author = "the course's authors"
copyright = "the course's authors"
root_doc = "README"  # coursebuild.site copies README.html to index.html

extensions = ["myst_nb", "coursebuild.site"]
nb_execution_mode = "off"  # show the outputs recorded by `course.py outputs`; never run anything
nb_ipywidgets_js = {}  # widget outputs would pull require.js and the widget manager from a CDN
myst_heading_anchors = 3  # links such as README.md#run-the-detector-on-your-webcam resolve
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "Emotion CNN, one module at a time"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,  # the in-page contents list sections and their subsections
    "use_download_button": False,
    "use_fullscreen_button": True,
    "show_navbar_depth": 1,
}
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False  # the notebooks are in the repository; the site need not carry them twice
html_show_search_summary = True
html_context = {"default_mode": "light"}  # a fixed light theme; the toggle still offers dark
