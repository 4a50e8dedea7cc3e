"""The machinery that builds and checks the course; no notebook imports it.

* :mod:`coursebuild.notebooks` -- which notebooks the course has, in order (shared by the rest);
* :mod:`coursebuild.runner` -- headless execution behind ``course.py run`` and ``outputs``;
* :mod:`coursebuild.slides` -- slide metadata from the headings, and offline reveal.js decks;
* :mod:`coursebuild.site` -- the course as an offline web site;
* :mod:`coursebuild.editions` -- learner and instructor editions;
* :mod:`coursebuild.bench` -- the benchmark.

What the lessons themselves use lives in :mod:`helpers`.
"""
