"""pytest set-up shared by the unit tests (tests/) and the notebook run (notebooks/, via nbval).

* Fast mode: COURSE_FAST=1 is set before anything is imported or any kernel starts, so
  every notebook kernel inherits it (smaller data, fewer epochs). What the run generates goes
  to build/test/ (COURSE_WORK_DIR), not to build/fast/ where a learner's own fast-mode runs
  keep theirs; its models, figures and logs are deleted when a run starts, so every run
  trains what it trains from scratch, as on a clean clone (the generated data is reused: it
  is the same every time).
  MPLBACKEND is deliberately left alone: kernels keep Jupyter's inline backend, as a
  learner's do (notebook 06 shows behaviour that depends on it); matplotlib picks Agg by
  itself for the unit tests on a machine without a screen.
* nbval waits only 5 s for a cell's output messages after it finishes; a kernel busy with
  TensorFlow can take longer, so that wait is raised.
* A notebook in notebooks/ that nbval did not collect fails the run instead of passing
  unnoticed (e.g. if --nbval-lax were dropped from the options).
* Notebook 11 runs as a learner who opens it first: its kernel gets an empty work folder of
  its own (build/test/alone-11: no model from notebook 10, no data), so it trains its quick
  stand-in model and makes its own data, whatever ran before it; the run checks that it works
  on its own, needs nothing from notebook 10, and keeps its stand-in in memory (ALONE_EXPECTS,
  judged after its last cell); tests/test_notebook_alone.py checks that it loads notebook 10's
  model when there is one.
* Parallel runs (`course.py test` starts pytest-xdist workers): each test file is one unit
  of work, so a notebook's cells run in order in one kernel on one worker; the longest units
  start first. What several workers would otherwise race to make (the fast-mode synthetic set,
  the demo video) is made once, before the workers start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
TEST_WORK_DIR = ROOT / "build" / "test"

#: True in a pytest that a test of this suite started (nbval on an edition, a collect-only
#: check) and in xdist's workers: the run that started it has prepared build/test/ already,
#: and may be using it, so this one must not clean it.
NESTED = "COURSE_TEST_SESSION" in os.environ
os.environ.setdefault("COURSE_TEST_SESSION", str(os.getpid()))
os.environ["COURSE_FAST"] = "1"
if not NESTED:  # the suite's own folder, whatever the shell says: its models are deleted below
    os.environ["COURSE_WORK_DIR"] = str(TEST_WORK_DIR)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

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


#: Notebooks whose kernel starts in an empty work folder of its own (see the top of this file).
ALONE = {"11_realtime_emotion_detection.ipynb": TEST_WORK_DIR / "alone-11"}
#: What such a notebook must print in its empty folder, and the files it must not leave there,
#: checked when its last cell has run: notebook 11 falls back to a quick stand-in model, its
#: `live` command uses that model, and the stand-in stays in memory (no model file is saved).
ALONE_EXPECTS = {
    "11_realtime_emotion_detection.ipynb": (
        ("no model at", "training a quick one", "[live] model the model given"),
        "*.keras",
    ),
}
_alone_printed: dict[str, list[str]] = {}


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to in a parallel run: its file."""
    return nodeid.split("::", 1)[0]


#: The longest work units, handed out first so that no worker is left with one at the end
#: (seconds on the 2-core machine: about 100, 70 and 50; the rest take 35 s or less).
LONGEST_FIRST = (
    "notebooks/10_capstone_emotion_cnn.ipynb",
    "notebooks/11_realtime_emotion_detection.ipynb",
    "notebooks/07_optimizers.ipynb",
)


def pytest_xdist_make_scheduler(config, log):
    """Hand out whole :func:`work_unit` s to the workers in the order the workers collected
    them (pytest-xdist's load-by-scope scheduler, with a file as the scope)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the order of pytest_collection_modifyitems
    return ByWorkUnit(config, log)


def pytest_sessionstart(session):
    if NESTED or hasattr(session.config, "workerinput"):
        return  # the run that started this one made them (and may be training in build/test/)
    from helpers import config, data, video

    work = Path(os.environ["COURSE_WORK_DIR"])
    for leftover in ("models", "figures", "logs", *(p.name for p in ALONE.values())):
        shutil.rmtree(work / leftover, ignore_errors=True)  # the last run's: made again from scratch
    data.generate_synthetic(config.SYNTHETIC_DIR, verbose=False)
    video.make_demo_video(video.demo_video_path())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Start the kernel of an :data:`ALONE` notebook with its own work folder (nbval starts a
    notebook's kernel when its first cell is set up; the kernel inherits this environment)."""
    folder = ALONE.get(Path(str(item.path)).name) if type(item).__name__ == "IPyNbCell" else None
    if folder is None:
        yield
        return
    before = os.environ["COURSE_WORK_DIR"]
    os.environ["COURSE_WORK_DIR"] = str(folder)
    try:
        yield
    finally:
        os.environ["COURSE_WORK_DIR"] = before


def pytest_runtest_teardown(item, nextitem):
    """After the last cell of an :data:`ALONE` notebook, check :data:`ALONE_EXPECTS` on what
    its cells printed (when every one of its cells ran in this session)."""
    name = Path(str(item.path)).name
    if name not in ALONE_EXPECTS or type(item).__name__ != "IPyNbCell":
        return
    seen = _alone_printed.setdefault(name, [])
    seen.append("".join(out.get("text", "") for out in (item.test_outputs or [])))
    if nextitem is not None and Path(str(nextitem.path)).name == name:
        return
    printed, cells = "".join(_alone_printed.pop(name)), len(seen)
    if cells != sum(1 for i in item.session.items if Path(str(i.path)).name == name):
        return  # some of its cells were left out of this run: nothing to judge
    must_print, must_not_leave = ALONE_EXPECTS[name]
    missing = [text for text in must_print if text not in printed]
    assert not missing, f"{name}, run in an empty folder, did not print {missing}"
    left = sorted(str(p) for p in ALONE[name].rglob(must_not_leave))
    assert not left, f"{name}, run in an empty folder, saved {left}: its quick model should stay in memory"


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselection, so only collection is judged
def pytest_collection_modifyitems(session, config, items):
    notebook_items = set()
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT
            notebook_items.add(Path(str(item.path)).resolve())
    if hasattr(config, "workerinput"):  # a parallel run: the longest units first, then the
        # other notebooks (each 10-30 s), then the unit-test files, most of them short, which
        # fill the gaps at the end; stable, so each unit keeps its order
        rank = {unit: i for i, unit in enumerate(LONGEST_FIRST)}

        def order(item):
            unit = work_unit(item.nodeid)
            return rank.get(unit, len(rank) + (0 if unit.endswith(".ipynb") else 1))

        items.sort(key=order)
    if _covers_notebooks(config):
        missing = [p.name for p in sorted(NOTEBOOKS.glob("*.ipynb")) if p.resolve() not in notebook_items]
        if missing:
            raise pytest.UsageError(
                f"these notebooks were not collected as tests: {', '.join(missing)}. "
                "Run the suite with nbval (--nbval-lax, as pyproject.toml sets) so every notebook is executed."
            )
