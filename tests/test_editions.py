"""coursebuild.editions: the learner edition holds no solution and still runs under nbval; the
instructor edition has a worked solution after every exercise, and each one passes its check."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from coursebuild import editions
from coursebuild.notebooks import find_notebooks
from helpers import config
from helpers.exercises import REGISTRY, solution_code


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return editions.build(tmp_path_factory.mktemp("editions"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def test_both_editions_have_every_notebook_and_the_readme(built):
    names = [p.name for p in find_notebooks()]
    for root in built.values():
        assert sorted(p.name for p in (root / "notebooks").glob("*.ipynb")) == names
        assert (root / "README.md").is_file()  # the notebooks' ../README.md links resolve


def _solution_lines():
    """Lines only a worked solution has: not imports, not the def line the exercise stub shares."""
    lines = set()
    for ex in REGISTRY.values():
        for line in solution_code(ex.solution).splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith(("import ", "from ", "def ", "#", "answer = ")):
                lines.add(line)
    return lines


def test_learner_edition_contains_no_solution(built):
    taught = "\n".join("".join(c["source"]) for p in find_notebooks() for c in _cells(p))
    lines = {line for line in _solution_lines() if line not in taught}  # notebook 09 teaches some of them
    assert len(lines) > 30
    learner = "\n".join(
        "".join(c["source"]) for p in (built["learner"] / "notebooks").glob("*.ipynb") for c in _cells(p)
    )
    instructor = "\n".join(
        "".join(c["source"]) for p in (built["instructor"] / "notebooks").glob("*.ipynb") for c in _cells(p)
    )
    assert [line for line in lines if line in learner] == []
    assert [line for line in lines if line not in instructor] == []  # the check could catch a leak
    exercises = 0
    for path in (built["learner"] / "notebooks").glob("*.ipynb"):
        text = path.read_text()
        assert "show_solution" not in text and "One solution to exercise" not in text, path.name
        for cell in _cells(path):
            if cell["cell_type"] == "code" and ".check(" in "".join(cell["source"]):
                exercises += 1
                assert cell["outputs"] == [] and cell["execution_count"] is None
    assert exercises >= 3 * len(find_notebooks())


def test_learner_edition_keeps_everything_else(built):
    for original in find_notebooks():
        learner = _cells(built["learner"] / "notebooks" / original.name)
        source = _cells(original)
        assert len(learner) == len(source)
        for a, b in zip(source, learner, strict=True):
            text = "".join(a["source"])
            if ".check(" not in text and "show_solution" not in text:
                assert a == b


def test_instructor_solutions_pass_their_checks(built):
    checked = 0
    for path in (built["instructor"] / "notebooks").glob("*.ipynb"):
        for cell in _cells(path):
            if "solution" not in cell["metadata"].get("tags", []):
                continue
            code = "".join(cell["source"])
            module = editions.EXERCISE_CALL.search(code).group(1)
            namespace = {module: __import__(f"helpers.exercises.{module}", fromlist=["_"])}
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{path.name} solution", "exec"), namespace)
            assert out.getvalue().startswith("PASSED"), f"{path.name}: {out.getvalue()}"
            checked += 1
    assert checked == sum(1 for key in REGISTRY if int(key.split(".")[0]) >= 1) + sum(
        1 for key in REGISTRY if key.startswith("00.")
    )


@pytest.mark.slow
def test_learner_edition_runs_under_nbval(built, tmp_path):
    # Two short notebooks stand for all: the edition changes only exercise cells, the same in each.
    # They write to a folder of their own (the suite's models may be training meanwhile) and
    # read the suite's generated faces.
    work = tmp_path / "work"
    work.mkdir()
    (work / "data").symlink_to(config.DATA_DIR, target_is_directory=True)
    chosen = [built["learner"] / "notebooks" / p.name for p in find_notebooks(["01", "04"])]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "-o",
            "addopts=",
            *map(str, chosen),
        ],
        cwd=config.ROOT,
        env={**os.environ, "COURSE_WORK_DIR": str(work)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout
