"""Notebook 11 uses notebook 10's model when there is one. That it runs on its own, with a quick
stand-in model kept in memory, is checked on nbval's run of the whole notebook (conftest.py
gives its kernel an empty work folder and judges what it printed: ALONE_EXPECTS); here its
set-up cell runs in a course folder with a model where notebook 10 saves it."""

from __future__ import annotations

import nbformat
import pytest

from coursebuild import runner
from helpers import config, models

NOTEBOOK = config.NOTEBOOKS_DIR / "11_realtime_emotion_detection.ipynb"


def the_cells(*needles: str) -> list:
    """Notebook 11's code cells whose source contains one of ``needles``, in order."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and any(n in c.source for n in needles)]


def run_cells(cells, folder) -> str:
    """Run ``cells`` in a fresh kernel whose course folder is ``folder``; what they printed."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c.source) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "cells.ipynb"
    nbformat.write(nb, path)
    done = runner.execute(path, timeout=600)
    return "".join(o.get("text", "") for c in done.cells for o in c.outputs)


@pytest.fixture
def empty_course(tmp_path, monkeypatch):
    """A course folder with no model, for the kernel; the faces and the demo video are the
    suite's (nbval's run of notebook 11 makes its own, in a folder with nothing in it)."""
    work = tmp_path / "build" / "fast"
    work.mkdir(parents=True)
    (work / "data").symlink_to(config.DATA_DIR, target_is_directory=True)
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))  # the kernel's course folder: no model
    monkeypatch.setenv("COURSE_WORK_DIR", str(work))  # not the suite's
    return tmp_path


@pytest.mark.slow
def test_notebook_11_uses_notebook_10s_model_when_there_is_one(empty_course):
    saved = empty_course / "build" / "fast" / "models" / models.default_model_path().name
    saved.parent.mkdir(parents=True)
    models.build_emotion_cnn(augment=False).save(saved)  # where notebook 10 saves it
    printed = run_cells(the_cells("models.default_model_path()"), empty_course)
    assert "using notebook 10's model" in printed and "training a quick one" not in printed
