"""helpers.exercises: every exercise's check passes its solution and rejects wrong answers."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
import textwrap

import numpy as np
import pytest

import helpers.exercises as ex


def _load_all():
    for module in pkgutil.iter_modules(ex.__path__):
        importlib.import_module(f"helpers.exercises.{module.name}")
    return sorted(ex.REGISTRY.values(), key=lambda e: e.key)


ALL = _load_all()


def test_there_are_exercises_for_every_notebook():
    from coursebuild.notebooks import find_notebooks

    numbers = {p.name[:2] for p in find_notebooks()}
    have = {e.key.split(".")[0] for e in ALL}
    assert numbers <= have, f"notebooks without exercises: {sorted(numbers - have)}"
    for number in numbers:
        assert sum(e.key.startswith(number + ".") for e in ALL) >= 3


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_solution_passes(exercise, capsys):
    assert exercise.verdict(exercise.solution())[0] is True
    exercise.check(exercise.solution())
    assert "PASSED" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_wrong_answers_fail_with_a_hint(exercise, capsys):
    assert exercise.wrong_answers, "every exercise needs at least one known wrong answer"
    for wrong in exercise.wrong_answers:
        assert exercise.verdict(wrong)[0] is False
        exercise.check(wrong)
        out = capsys.readouterr().out
        assert "NOT YET" in out and "Hint:" in out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_other_correct_answers_pass_too(exercise):
    assert exercise.other_answers, "every exercise needs a second, differently written correct answer"
    for answer in exercise.other_answers:
        passed, message = exercise.verdict(answer)
        assert passed, message


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_unanswered_is_reported_without_any_hint(exercise, capsys):
    assert exercise.verdict(...)[0] is False
    exercise.check(...)
    out = capsys.readouterr().out
    assert "not answered yet" in out and "Hint" not in out and "hint(" not in out

    def still_dots(*args): ...  # a learner's function whose body is still `...`

    passed, message = exercise.verdict(still_dots)
    if not passed and "returned None" in message:  # answers that are functions
        assert "not answered yet" in message and "Hint" not in message


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_hints_nudge_without_code_and_more_help_comes_on_request(exercise, capsys):
    code = re.compile(r"\w\([^)]*\)|\blambda\b|\w\s*=\s*\w|\[\s*\.\.\.|\w\.\w+\(")
    for hint in exercise.hints:
        assert not code.search(hint), f"exercise {exercise.key}'s hint reads like code: {hint}"
    wrong = exercise.verdict(exercise.wrong_answers[0])[1]
    assert exercise.hints[0] in wrong and exercise.hints[1] not in wrong  # one hint at a time
    assert f"{exercise.call_name}.hint(2)" in wrong and f"{exercise.call_name}.show_solution()" in wrong
    exercise.hint(2)
    out = capsys.readouterr().out
    assert exercise.hints[1] in out and "show_solution()" in out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_solution_is_shown_only_on_request(exercise, capsys):
    exercise.check(exercise.solution())
    assert "answer =" not in capsys.readouterr().out  # checking never reveals the solution
    exercise.show_solution()
    shown = capsys.readouterr().out
    assert "def _solution" not in shown
    function = _learner_function(exercise.solution)
    if function is None:  # a value: the code ends by naming it as the cell's answer
        assert "answer =" in shown
    else:  # a function: its def is the answer, and a dangling `answer = name` would puzzle a learner
        assert f"def {function.name}(" in shown and f"answer = {function.name}" not in shown


def test_an_error_in_an_answer_names_the_call_it_came_from():
    from helpers.exercises import nb01

    def mirror_path(face_path, out_folder, suffix):  # right for Paths; a str has no .parent
        return out_folder / face_path.parent.parent.name / face_path.parent.name / (face_path.stem + suffix)

    passed, message = nb01.mirror_path.verdict(mirror_path)
    assert not passed and "mirror_path('" in message and "raised AttributeError" in message


def test_a_raising_answer_is_reported():
    from helpers.exercises import nb00

    def broken(split, name):
        raise KeyError(name)

    passed, message = nb00.share_of.verdict(broken)
    assert not passed and "raised KeyError" in message


def test_a_stub_returning_none_gets_a_clear_message():
    from helpers.exercises import nb00

    def share_of(split, name): ...

    passed, message = nb00.share_of.verdict(share_of)
    assert not passed and "returned None" in message and "return" in message


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="used twice"):
        ex.Exercise(key=ALL[0].key, title="another", test=lambda a: None, hints=("", ""), solution=lambda: 1)


def test_none_message_describes_big_arguments_briefly():
    import numpy as np

    from helpers.exercises import ReturnedNone, call

    with pytest.raises(ReturnedNone) as info:
        call(lambda image, name: None, np.zeros((110, 110, 3), np.uint8), "x" * 200)
    message = str(info.value)
    assert "<uint8 array of shape (110, 110, 3)>" in message and "..." in message
    assert len(message) < 250
    faces = [np.zeros((48, 48), np.uint8)] * 5
    with pytest.raises(ReturnedNone, match=r"<list of 5 uint8 arrays of shape \(48, 48\)>"):
        call(lambda faces: None, faces)


def test_close_compares_numbers_and_arrays_and_never_raises():
    from helpers.exercises import close

    assert close(0.1 + 0.2, 0.3) and not close(0.31, 0.3)
    assert close([1.0, 2.0], (1.0, 2.0 + 1e-12)) and not close([1.0, 2.0], [1.0, 2.1])
    assert not close([1.0, 2.0, 3.0], [1.0, 2.0])  # another shape is another answer
    assert not close("0.3x", 0.3) and not close(None, 0.3) and not close({"a": 1}, 1)
    assert close(7.0000004, 7, tol=1e-6)
    assert close(float("inf"), float("inf")) and not close(float("inf"), 1e300)  # an answer may be infinite
    assert not close(float("nan"), float("nan"))
    assert not close("0.3", 0.3) and not close("inf", float("inf"))  # text is not a number


def test_messages_describe_arguments_briefly_never_by_internal_repr():
    import numpy as np

    from helpers import data
    from helpers.exercises import _short

    def make():
        return None

    split = data.FaceSplit(
        np.zeros((20, 48, 48), np.uint8), np.zeros(20, int), [f"f{i}.png" for i in range(20)]
    )
    assert _short(make) == "<function make>"  # not '<function ...<locals>.make at 0x7f...>'
    assert _short(split) == "<FaceSplit with 20 items>"  # not 'FaceSplit(images=array([[[0, 0, ...'
    assert _short(np.zeros((14,), int)) == "<int64 array of shape (14,)>"
    assert _short([1, 2, 3]) == "[1, 2, 3]"


# --- the prompts, read from the notebooks (read-only), and what the hints may say --------------------


@functools.cache
def _prompts() -> dict[str, tuple[str, str]]:
    """Each exercise's prompt (its markdown, from "**Exercise NN.M.**" on) and the code cell after it."""
    import nbformat

    from coursebuild.notebooks import find_notebooks

    found = {}
    for path in find_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            match = re.search(r"\*\*Exercise (\d\d\.\d+)\.\*\*", cell.source)
            if cell.cell_type == "markdown" and match:
                code = next((c.source for c in cells[i + 1 :] if c.cell_type == "code"), "")
                found[match.group(1)] = (cell.source[match.start() :], code)
    return found


def _learner_function(solution):
    """The ``def`` inside a solution (the function the learner completes), or None."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(solution)))
    inner = [node for node in tree.body[0].body if isinstance(node, ast.FunctionDef)]
    return inner[0] if inner else None


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_each_exercise_has_a_prompt_and_a_cell_that_checks_it(exercise):
    assert exercise.key in _prompts(), f"no '**Exercise {exercise.key}.**' in the notebooks"
    _, code = _prompts()[exercise.key]
    assert f"{exercise.call_name}.check(" in code
    function = _learner_function(exercise.solution)
    if function is not None:  # the stub the learner completes has the solution's signature
        stub = next(node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.FunctionDef))
        assert (stub.name, ast.unparse(stub.args)) == (function.name, ast.unparse(function.args))


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_prompts_and_hints_give_no_code_away(exercise):
    prompt, _ = _prompts()[exercise.key]
    for line in ex.solution_code(exercise.solution).splitlines():
        line = line.split("  #")[0].strip()
        if len(line) > 15 and not line.startswith(("#", "import ", "from ", "def ", "answer = ")):
            assert line not in prompt, f"exercise {exercise.key}'s prompt gives away the line {line!r}"
    sentences = [s.strip() for s in re.split(r"(?<=[.:;!?])\s", prompt) if len(s.strip()) > 30]
    for hint in exercise.hints:  # a hint adds something: it does not repeat the prompt
        assert not [s for s in sentences if s in hint], f"exercise {exercise.key}'s hint repeats the prompt"


def _names_used(solution) -> set[str]:
    """The functions, methods and attributes a solution uses (``stack``, ``astype``, ``float32``),
    but not everyday built-ins."""
    everyday = {"len", "range", "int", "float", "list", "tuple", "sum", "min", "max", "print", "zip"}
    everyday |= {"enumerate", "sorted", "str", "dict", "set", "append", "isinstance", "round"}
    names = set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(solution)))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.add(node.func.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return {name for name in names - everyday if not name.startswith("_")}


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.key)
def test_the_second_hint_is_not_the_solution_as_a_recipe(exercise):
    """Hint 2 narrows the idea of hint 1 to where answers go wrong; naming the solution's own
    calls one after the other (`time.perf_counter` ... `statistics.median`) leaves nothing
    between it and the solution."""
    spans = " ".join(re.findall(r"`([^`]*)`", exercise.hints[1]))
    named = sorted(n for n in _names_used(exercise.solution) if re.search(rf"\b{re.escape(n)}\b", spans))
    assert len(named) <= 1, f"exercise {exercise.key}'s second hint spells out the solution's steps: {named}"


# --- the fixes of issue 25, each with the case that proves it -----------------------------------------


def test_a_clock_imported_by_name_is_recognised():
    """03.1: `from time import time` at the top of a notebook binds the wall clock before the
    check starts; the check still names it (and process_time), and accepts a stopwatch."""
    from helpers.exercises import nb03

    template = (
        "from time import {clock}\nimport statistics\n"
        "def median_ms(fn, repeat):\n    durations = []\n    for _ in range(repeat):\n"
        "        start = {clock}()\n        fn()\n        durations.append({clock}() - start)\n"
        "    return statistics.median(durations) * 1000\n"
    )
    for clock, said in [("time", "time.time"), ("process_time", "process_time"), ("perf_counter", None)]:
        namespace = {}
        exec(template.format(clock=clock), namespace)
        passed, message = nb03.median_ms.verdict(namespace["median_ms"])
        assert passed is (said is None), message
        assert said is None or said in message


def test_the_clocks_are_put_back_after_the_check():
    import time

    from helpers.exercises import nb03

    originals = (time.time, time.perf_counter, time.process_time, time.monotonic)

    def broken(fn, repeat):
        raise RuntimeError("boom")

    nb03.median_ms.verdict(broken)
    assert (time.time, time.perf_counter, time.process_time, time.monotonic) == originals


def test_a_median_gap_is_not_taken_for_all_the_gaps():
    from helpers.exercises import nb03

    median_gap = nb03.frames_missed.wrong_answers[2]
    passed, message = nb03.frames_missed.verdict(median_gap)
    assert not passed and "median gap" in message
    assert "[0.0, 0.1, 0.2, 1.0]" in message and "7 frames missed" in message and "returned 0" in message


def test_scale_boxes_accepts_both_ways_of_rounding_a_half():
    from helpers.exercises import nb11

    for rounding in (np.round, lambda v: np.floor(v + 0.5)):  # halves to even, halves up
        passed, message = nb11.scale_boxes.verdict(lambda b, f, r=rounding: r(np.asarray(b) * f).astype(int))
        assert passed, message


# --- the mutator (coursebuild/mutants.py; the full run is `python -m coursebuild.mutants`) ---------------


def test_the_mutants_of_a_small_solution_are_killed_by_its_check():
    from coursebuild import mutants

    exercise = ex.REGISTRY["06.1"]
    found = mutants.mutants(exercise.key, exercise.solution)
    labels = [m.label for m in found]
    assert "[name] `np.argmin` -> `np.argmax`" in labels and "[string] `'val_loss'` -> `'loss'`" in labels
    assert any(label.startswith("[return None]") for label in labels) and len(set(labels)) == len(labels)
    assert mutants.run_mutant(exercise, mutants.unchanged(exercise.key, exercise.solution))[0]
    survivors = [m.label for m in found if mutants.run_mutant(exercise, m)[0]]
    assert set(survivors) == set(mutants.EQUIVALENT["06.1"])


def test_every_mutant_listed_as_equivalent_exists():
    """An entry whose mutant no longer exists (the solution changed) must go, or be renamed."""
    from coursebuild import mutants

    for key, listed in mutants.EQUIVALENT.items():
        labels = {m.label for m in mutants.mutants(key, ex.REGISTRY[key].solution)}
        assert set(listed) <= labels, f"{key}: {sorted(set(listed) - labels)}"
