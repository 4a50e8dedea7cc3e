"""Exercises with self-checks, help in steps, and solutions that stay hidden until asked for.

Each notebook's exercises live in a module beside this one (``nb00.py`` for notebook 00,
and so on), and each sits in the notebook right after the section it practises. In the
notebook a learner completes a function and calls ``check``::

    from helpers.exercises import nb00

    def rarer_than_even(counts):
        ...  # the learner replaces ... with their code

    nb00.rarer_than_even.check(rarer_than_even)

``check`` prints one verdict and never raises, so a notebook with unanswered exercises still
runs top to bottom:

* not answered yet (the ``...`` is still there, or the function returns ``None``): only that;
* right: ``PASSED``;
* wrong: what is wrong with this answer, and a first hint that says which idea or function
  to look at, never code.

More help comes only when the learner asks for it, one step at a time: ``hint(2)`` prints
a second, more specific hint, and ``show_solution()`` a worked solution.

Every exercise carries known wrong answers (plausible mistakes) and other correct answers
(a second way to solve it); the unit tests check that the solution and every other correct
answer pass and that each wrong answer fails, so a check is neither a rubber stamp nor a
pedant.
"""

from __future__ import annotations

import inspect
import math
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Every exercise defined so far, by key ("00.1", ...); filled as modules are imported.
REGISTRY: dict[str, Exercise] = {}


@dataclass
class Exercise:
    """One exercise.

    ``test(answer)`` returns ``None`` when the answer is right, or a sentence saying what
    is wrong with it. ``hints`` go from a nudge (which idea or function to look at) to a
    more specific pointer; none of them is code. ``solution()`` returns a correct answer;
    its source is what :meth:`show_solution` prints. ``other_answers`` are further correct
    answers written differently (a loop and a vectorised version, ``os`` and ``pathlib``),
    which the check must accept; ``wrong_answers`` are plausible mistakes it must reject.
    """

    key: str
    title: str
    test: Callable[[Any], str | None]
    hints: tuple[str, ...]
    solution: Callable[[], Any]
    wrong_answers: list[Any] = field(default_factory=list)
    other_answers: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.key in REGISTRY and REGISTRY[self.key].title != self.title:
            raise ValueError(f"exercise key {self.key} is used twice")
        if len(self.hints) < 2:
            raise ValueError(f"exercise {self.key} needs two hints: a nudge, then a more specific one")
        REGISTRY[self.key] = self

    @property
    def call_name(self) -> str:
        """How a notebook reaches this exercise, e.g. ``nb05.conv_params``."""
        module_name = f"nb{self.key.split('.')[0]}"
        module = sys.modules.get(f"{__name__}.{module_name}")
        names = [name for name, value in vars(module).items() if value is self] if module else []
        return f"{module_name}.{names[0]}" if names else f"exercise {self.key}"

    def verdict(self, answer) -> tuple[bool, str]:
        """(passed, message) for ``answer``, without printing."""
        not_yet = f"Exercise {self.key} is not answered yet"
        if answer is Ellipsis or answer is None:
            return False, f"{not_yet}: replace the ... with your answer and run the cell."
        try:
            problem = self.test(answer)
        except ReturnedNone as exc:  # a function whose body is still `...`
            return False, f"{not_yet}: {exc}"
        except Exception as exc:  # the learner's function raised: report it, and on what, do not crash
            calls = [note for note in getattr(exc, "__notes__", []) if note.endswith(")")]
            where = calls[-1] if calls else "running your answer"
            problem = f"{where} raised {type(exc).__name__}: {exc}"
        if problem is None:
            return True, f"PASSED - exercise {self.key} ({self.title}). Well done."
        return False, (
            f"NOT YET - exercise {self.key}: {problem}\n  Hint: {self.hints[0]}\n"
            f"  More help when you want it: {self.call_name}.hint(2) for a second hint, "
            f"{self.call_name}.show_solution() for a worked solution."
        )

    def check(self, answer) -> None:
        """Print a verdict on ``answer`` (use :meth:`verdict` to get it as a value)."""
        print(self.verdict(answer)[1])

    def hint(self, step: int = 2) -> None:
        """Print hint number ``step`` (1 is the one a wrong answer shows; 2 is more specific)."""
        step = min(max(step, 1), len(self.hints))
        print(f"Hint {step} of {len(self.hints)} for exercise {self.key}: {self.hints[step - 1]}")
        if step == len(self.hints):
            print(f"Still stuck? {self.call_name}.show_solution() prints a worked solution.")

    def show_solution(self) -> None:
        """Print one worked solution (run this only when you want to see it). A solution that
        is a function ends with its ``def``: the exercise cell's check line runs it."""
        print(f"One solution to exercise {self.key} ({self.title}):\n")
        code = solution_code(self.solution)
        lines = code.rstrip("\n").splitlines()
        last = lines[-1] if lines else ""
        if last.startswith("answer = ") and re.search(
            rf"^def {re.escape(last[len('answer = ') :])}\(", code, re.M
        ):
            code = "\n".join(lines[:-1]).rstrip() + "\n"  # `answer = fn` would mean nothing in the cell
        print(code)


def solution_code(solution: Callable[[], Any]) -> str:
    """The body of a solution function as code a learner can paste: its final
    ``return X`` becomes ``answer = X``."""
    lines = inspect.getsource(solution).splitlines()
    body = textwrap.dedent("\n".join(lines[1:])).splitlines()  # drop the def line
    if body and body[-1].startswith("return "):
        body[-1] = "answer = " + body[-1][len("return ") :]
    return "\n".join(body).strip() + "\n"


class ReturnedNone(Exception):
    """The learner's function returned None (its body is still ``...``, or ``return`` is missing)."""


def call(fn: Callable, *args):
    """Call a learner's function; a ``None`` result becomes a clear 'not yet' message, and an
    error it raises names the inputs it raised on (the learner cannot see the check's cases)."""
    shown = ", ".join(_short(a) for a in args)
    name = getattr(fn, "__name__", "your function")
    try:
        result = fn(*args)
    except Exception as exc:
        exc.add_note(f"{name}({shown})")  # the call it raised on; checks may still catch it by type
        raise
    if result is None:
        raise ReturnedNone(
            f"{name}({shown}) returned None. Is its body still `...`, or is a `return` missing?"
        )
    return result


def _short(value, limit: int = 60) -> str:
    """A one-line description of an argument for a message (arrays by shape, long text cut)."""
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape is not None and dtype is not None and len(shape) > 0:
        dims = tuple(int(d) if d is not None else None for d in shape)
        if (
            None in dims or math.prod(dims) > 8 or type(value).__name__ != "ndarray"
        ):  # small arrays print whole
            kind = type(value).__name__
            kind = "variable" if "Variable" in kind else "array" if kind == "ndarray" else "tensor"
            return f"<{getattr(dtype, 'name', dtype)} {kind} of shape {dims}>"
    if isinstance(value, list | tuple) and value and all(hasattr(v, "shape") for v in value):
        first = value[0]
        return f"<{type(value).__name__} of {len(value)} {first.dtype} arrays of shape {tuple(first.shape)}>"
    if callable(value) and hasattr(value, "__name__"):  # a function: its name, not its address
        return f"<function {value.__name__}>"
    text = " ".join(repr(value).split())
    if len(text) > limit and re.match(r"^[A-Za-z_][\w.]*\(", text):  # an object shown as its constructor call
        size = f" with {len(value):,} items" if hasattr(value, "__len__") else ""
        return f"<{type(value).__name__}{size}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def close(got, want, tol: float = 1e-9) -> bool:
    """True when ``got`` (a number or an array-like of numbers) is within ``tol`` of ``want``
    everywhere (an infinity only equals itself); False for anything that is not numbers of
    that shape, instead of raising."""
    import numpy as np

    if isinstance(got, str | bytes):  # "0.5" or "inf" is text, not a number, even if NumPy can read it
        return False
    try:
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return False
    if got.shape != want.shape:
        return False
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities are compared as equal below
        return bool(np.all((got == want) | (np.abs(got - want) <= tol)))


def is_close(expected: float, tol: float = 1e-3) -> Callable[[Any], str | None]:
    """A test that accepts a number within ``tol`` of ``expected``."""

    def test(answer):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return f"expected a number, got {type(answer).__name__} {answer!r}"
        if abs(value - expected) > tol:
            return f"{value:.4g} is not right (off by {abs(value - expected):.3g})"
        return None

    return test
