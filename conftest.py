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
