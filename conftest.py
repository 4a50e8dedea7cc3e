"""pytest set-up shared by the unit tests (tests/) and the notebook run (notebooks/, via nbval).

* Fast mode: COURSE_FAST=1 is set before anything is imported or any kernel starts, so
  every notebook kernel inherits it (smaller data, fewer epochs, outputs under build/fast/).
  MPLBACKEND is deliberately left alone: kernels keep Jupyter's inline backend, as a
  learner's do (notebook 06 shows behaviour that depends on it); matplotlib picks Agg by
  itself for the unit tests on a machine without a screen.
* nbval waits only 5 s for a cell's output messages after it finishes; a kernel busy with
  TensorFlow can take longer, so that wait is raised.
* A notebook in notebooks/ that nbval did not collect fails the run instead of passing
  unnoticed (e.g. if --nbval-lax were dropped from the options).
* Parallel runs (`course.py test` starts pytest-xdist workers): each test file is one unit
  of work, so a notebook's cells run in order in one kernel on one worker; notebooks 10 and
  11 are one unit together, so 11 always finds the model 10 trained, as in a serial run.
  What several workers would otherwise race to make (the fast-mode synthetic set, the demo
  video) is made once, before the workers start.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["COURSE_FAST"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"
NBVAL_OUTPUT_TIMEOUT = 120  # seconds; nbval's default is 5


def _covers_notebooks(config: pytest.Config) -> bool:
    """True when the run was asked to collect the whole notebooks/ folder (or a parent of it)."""
    args = config.args or [str(p) for p in config.getini("testpaths")]
    for arg in args:
        path = Path(arg.split("::")[0])
        path = (Path(config.invocation_params.dir) / path).resolve()
        if path == NOTEBOOKS or path in NOTEBOOKS.parents:
            return True
    return False


#: Notebooks that must run on one worker, in this order (11 uses the model 10 trains).
SAME_WORKER = {
    "10_capstone_emotion_cnn.ipynb": "notebooks 10 and 11",
    "11_realtime_emotion_detection.ipynb": "notebooks 10 and 11",
}


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to in a parallel run: its file, or a group of files."""
    path = nodeid.split("::", 1)[0]
    return SAME_WORKER.get(Path(path).name, path)


def pytest_xdist_make_scheduler(config, log):
    """Hand out whole :func:`work_unit` s, biggest first, to the workers (pytest-xdist's
    load-by-scope scheduler, with the scope a file instead of a class)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ByWorkUnit(config, log)


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller made them before starting it
    from helpers import config, data, video

    data.generate_synthetic(config.SYNTHETIC_DIR, verbose=False)
    video.make_demo_video(video.demo_video_path())


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselection, so only collection is judged
def pytest_collection_modifyitems(session, config, items):
    notebook_items = set()
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT
            notebook_items.add(Path(str(item.path)).resolve())
    if _covers_notebooks(config):
        missing = [p.name for p in sorted(NOTEBOOKS.glob("*.ipynb")) if p.resolve() not in notebook_items]
        if missing:
            raise pytest.UsageError(
                f"these notebooks were not collected as tests: {', '.join(missing)}. "
                "Run the suite with nbval (--nbval-lax, as pyproject.toml sets) so every notebook is executed."
            )
