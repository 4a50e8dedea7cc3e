"""helpers.exercises: every exercise's check passes its solution and rejects wrong answers."""

from __future__ import annotations

import importlib
import pkgutil
import re

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
    assert "answer =" in shown and "def _solution" not in shown


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
