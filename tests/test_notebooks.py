"""The notebooks as files: the output policy (README, "Notebook outputs") and their anatomy.
nbval executes them; these tests check what is committed."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from coursebuild.editions import exercise_of
from coursebuild.notebooks import find_notebooks

NOTEBOOKS = find_notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_*.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_from_one_clean_full_run(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"].get("course", {}).get("executed_mode") == "full", (
        f"{path.name} was not recorded with `python3 course.py outputs` (full mode)"
    )
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(code)} in order: "
        "re-record the outputs with `python3 course.py outputs`"
    )
    for i, cell in enumerate(code, start=1):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name}, code cell {i} has a stored error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_anatomy(path):
    nb = json.loads(path.read_text())
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.match(r"# \d\d ·", "".join(nb["cells"][0]["source"])), "starts with an 'NN · title' heading"
    for heading in ("## You will learn", "## Summary"):
        assert heading in md, f"{path.name} lacks '{heading}'"
    assert "**Previous:**" in md and "**Next:**" in md
    assert "Pitfall" in md
    for cell in nb["cells"]:  # optional depth is marked as such where it starts
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("### Going further"):
            assert re.match(r"### Going further: .+\n+\*Optional:", text), (
                f"{path.name}: {text.splitlines()[0]!r} must be followed by a line starting '*Optional:'"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_are_not_shown_by_default(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            if "show_solution()" in line:
                assert line.lstrip().startswith("#"), f"{path.name}: solution revealed by default: {line!r}"
        for out in cell["outputs"]:
            assert "One solution to exercise" not in "".join(out.get("text", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_between_notebooks_resolve(path):
    nb = json.loads(path.read_text())
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    targets = re.findall(r"\]\(([^)#\s]+)\)", md)
    local = [t for t in targets if "://" not in t]
    assert local, f"{path.name} links to nothing (previous / contents / next)"
    for target in local:
        assert (path.parent / target).exists(), f"{path.name} links to {target}, which does not exist"
    number = int(path.name[:2])
    following = [p for p in NOTEBOOKS if int(p.name[:2]) == number + 1]
    if following:
        assert following[0].name in local, f"{path.name}: 'Next' should link to {following[0].name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_slide_metadata_follows_the_headings(path):
    import nbformat

    from coursebuild import slides

    nb = nbformat.read(path, as_version=4)
    committed = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert committed == slides.slide_types(nb.cells), (
        f"{path.name}: slide metadata is out of date; run `python -m coursebuild.slides`"
    )
    assert committed[0] == "slide" and set(committed) <= set(slides.SLIDE_TYPES)
    for cell, kind in zip(nb.cells, committed, strict=True):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            assert kind == "slide", (
                f"{path.name}: section {cell.source.splitlines()[0]!r} should start a slide"
            )
    setup = [k for c, k in zip(nb.cells, committed, strict=True) if c.cell_type == "code"][0]
    assert setup == "skip", f"{path.name}: the set-up code is not presented"
    assert committed.count("slide") >= 8, f"{path.name}: too few slides for one idea per slide"


def test_instructor_guide_covers_every_notebook():
    from helpers import config

    guide = config.ROOT / "docs" / "INSTRUCTOR_GUIDE.md"
    text = guide.read_text()
    links = re.findall(r"\]\(([^)#\s]+)\)", text)
    for target in links:
        assert (guide.parent / target).exists(), (
            f"the instructor guide links to {target}, which does not exist"
        )
    for path in NOTEBOOKS:
        assert f"../notebooks/{path.name}" in links, f"the instructor guide has no row for {path.name}"
    assert "docs/INSTRUCTOR_GUIDE.md" in (config.ROOT / "README.md").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_exercise_outputs_give_no_hint_before_an_answer(path):
    """A learner reads the committed outputs before trying: an unanswered exercise must show
    'not answered yet' and nothing that helps (no hint, no solution)."""
    nb = nbformat.read(path, as_version=4)
    exercise_cells = [c for c in nb.cells if exercise_of(c)]
    assert exercise_cells, f"{path.name} has no exercise cells"
    for cell in exercise_cells:
        text = "".join(o.get("text", "") for o in cell.get("outputs", []))
        assert "not answered yet" in text, (
            f"{path.name}: an exercise cell's output is not the unanswered verdict: {text[:120]}"
        )
        assert "Hint" not in text and "answer =" not in text, (
            f"{path.name}: an unanswered exercise shows help: {text[:200]}"
        )


def _exercise_places(nb) -> list[tuple[str, str, str]]:
    """(key, the ``## `` section it sits in, the name its stub defines) for each exercise."""
    places, section = [], ""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("## "):
                section = line
        match = re.search(r"\*\*Exercise (\d\d\.\d+)\.\*\*", cell.source)
        if match:
            code = next(c.source for c in nb.cells[i + 1 :] if c.cell_type == "code")
            stub = re.search(r"^def (\w+)\(", code, re.M)
            places.append((match.group(1), section, stub.group(1) if stub else ""))
    return places


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_practice_comes_right_after_the_idea(path):
    """At least two exercises sit in the sections they practise, not only in a closing set."""
    places = _exercise_places(nbformat.read(path, as_version=4))
    in_sections = [key for key, section, _ in places if section not in ("## Exercises", "## Summary")]
    assert len(in_sections) >= 2, f"{path.name}: exercises {in_sections} are the only ones inside a section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_exercise_never_takes_a_lesson_name(path):
    """A stub named like a lesson's function or variable (``def one_hot`` after ``one_hot = ...``)
    replaces it, and re-running the lesson cell then fails for a reason a learner cannot see."""
    nb = nbformat.read(path, as_version=4)
    exercise_code = {c.source for c in nb.cells if exercise_of(c)}
    lesson_names = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source not in exercise_code:
            source = "\n".join(line for line in cell.source.splitlines() if not line.startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    lesson_names.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    lesson_names.add(node.id)
                elif isinstance(node, ast.alias):
                    lesson_names.add((node.asname or node.name).split(".")[0])
    for key, _, name in _exercise_places(nb):
        assert name not in lesson_names, (
            f"{path.name}: exercise {key}'s `def {name}` replaces the lesson's `{name}`"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_unanswered_exercise_prints_only_its_verdict(path):
    """No ``print(stub(...))`` before the check: an unanswered stub would print ``None``."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if exercise_of(cell):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []))
            assert not text.lstrip().startswith("None"), (
                f"{path.name}: {cell.source.splitlines()[0]} prints None"
            )
            live = [line for line in cell.source.splitlines() if line.startswith("print(")]
            assert not live, f"{path.name}: an exercise cell prints before its verdict: {live}"
