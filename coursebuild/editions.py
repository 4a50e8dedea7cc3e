"""Learner and instructor editions of the notebooks, built from the ones in notebooks/.

    python3 course.py editions          (or: python -m coursebuild.editions)

writes two folders, each a copy of the course's notebooks with the README beside them so that
every link still resolves:

``build/editions/learner/``
    Solutions removed: no ``show_solution()`` line (nor the sentence pointing to it) is left, and the exercise cells have no
    outputs (a learner sees the empty exercise, not the recorded "not answered yet"). Everything else,
    explanations, code and recorded outputs, is as in the course.
``build/editions/instructor/``
    Solutions in place: after each exercise cell, a cell tagged ``solution`` holds one worked
    solution followed by its check, so running it prints ``PASSED``.

The notebooks in notebooks/ are only read. The editions are rebuilt on every run (they are
generated, never edited by hand).
"""

from __future__ import annotations

import importlib
import re
import shutil
import sys
from pathlib import Path

from coursebuild.notebooks import find_notebooks
from helpers import config

EDITIONS_DIR = config.ROOT / "build" / "editions"
EXERCISE_CALL = re.compile(r"^(nb\d\d)\.(\w+)\.check\(", re.MULTILINE)
SOLUTION_SENTENCE = re.compile(r" ?[^.\n]*show_solution\(\)[^\n]*?\.(?=\s|$)")


def exercise_of(cell) -> tuple[str, str] | None:
    """``(module, name)`` of the exercise whose check a code cell calls, else ``None``."""
    if cell.cell_type != "code":
        return None
    match = EXERCISE_CALL.search(cell.source)
    return (match.group(1), match.group(2)) if match else None


def learner_edition(nb):
    """A copy of notebook ``nb`` with the solutions removed and exercise outputs cleared."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":  # "To see a solution, uncomment the show_solution() line."
            cell.source = SOLUTION_SENTENCE.sub("", cell.source).rstrip()
            continue
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        kept = [line for line in lines if "show_solution()" not in line]
        if len(kept) != len(lines) or exercise_of(cell):
            cell.source = "\n".join(kept).rstrip()
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.setdefault("course", {})["edition"] = "learner"
    return nb


def solution_cell_source(module: str, name: str) -> str:
    """One worked solution of exercise ``module.name`` as cell code, ending with its check."""
    from helpers.exercises import solution_code

    exercise = getattr(importlib.import_module(f"helpers.exercises.{module}"), name)
    return (
        f"# Solution to exercise {exercise.key} ({exercise.title}), instructor edition\n"
        f"{solution_code(exercise.solution)}\n{module}.{name}.check(answer)"
    )


def instructor_edition(nb):
    """A copy of notebook ``nb`` with a solution cell after every exercise cell."""
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        found = exercise_of(cell)
        if found:
            solution = nbformat.v4.new_code_cell(solution_cell_source(*found))
            solution.metadata["tags"] = ["solution"]
            solution.id = f"{cell.get('id', 'cell')}-solution"[:64]
            cells.append(solution)
    nb.cells = cells
    nb.metadata.setdefault("course", {})["edition"] = "instructor"
    return nb


def build(target: Path = EDITIONS_DIR, notebooks: list[Path] | None = None) -> dict[str, Path]:
    """Write both editions under ``target`` and return their folders."""
    import nbformat

    notebooks = notebooks or find_notebooks()
    out = {}
    for edition, make in (("learner", learner_edition), ("instructor", instructor_edition)):
        root = target / edition
        if root.exists():
            shutil.rmtree(root)  # generated folder: rebuilt from notebooks/ every time
        (root / "notebooks").mkdir(parents=True)
        shutil.copy2(config.ROOT / "README.md", root / "README.md")
        for path in notebooks:
            nbformat.write(make(nbformat.read(path, as_version=4)), root / "notebooks" / path.name)
        out[edition] = root
    return out


def main(argv: list[str] | None = None) -> int:
    folders = build()
    for edition, root in folders.items():
        count = len(list((root / "notebooks").glob("*.ipynb")))
        print(f"{edition:10s} edition: {count} notebooks in {config.relative(root)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
