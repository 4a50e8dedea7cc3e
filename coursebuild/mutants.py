"""Mutation testing of the exercise checks: does each check reject small mistakes in a right answer?

    python -m coursebuild.mutants                 # every exercise; a table per notebook
    python -m coursebuild.mutants 03 05.3         # only notebook 03 and exercise 05.3
    python -m coursebuild.mutants --survivors     # also list every mutant the checks let pass, and why
    python -m coursebuild.mutants --list 06.1     # only list the mutants, without running them

A *mutant* is an exercise's reference solution (the code a learner would write, as
``show_solution()`` prints it) with one small change, the kind of slip a learner makes: a
comparison or an operator flipped, a constant moved by one, ``and`` for ``or``, a condition
negated or dropped, a keyword argument left out, two arguments swapped, a statement deleted,
``return None``, ``argmax`` for ``argmin``, ``mean`` for ``median``, a wrong string
(``"loss"`` for ``"val_loss"``). Each mutant is handed to the exercise's own check, as a
learner's answer would be. A check *kills* a mutant when it says NOT YET (a crash counts:
the learner sees it too); a mutant that PASSES *survives*.

A surviving mutant is either a gap in the check (add a case that tells it apart) or
*equivalent*: it behaves like the solution on everything a learner could give it (say
``np.maximum(totals, 1)`` for ``np.maximum(1, totals)``). :data:`EQUIVALENT` lists those, each
with the reason; the table counts them apart, and the goal is no survivor outside it.

This runs every check over a thousand times (TensorFlow ones included): about a minute on the
course's 2-core machine, too long for the test suite, which tests the mutator on one small
exercise instead (tests/test_exercises.py). What the course generates meanwhile (notebook 11's
demo video) goes to ``build/mutants/``. The exit status is 1 when a mutant survives that
:data:`EQUIVALENT` does not explain.

Single changes cannot express every named mistake (``1 / median(gaps)`` for a frame rate is not
one change away from the solution): those stay in each exercise's ``wrong_answers``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib
import inspect
import io
import os
import pkgutil
import signal
import sys
import tempfile
import textwrap
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: seconds one check may take on one mutant before the mutant counts as killed (it hangs)
TIMEOUT = 60

# Names a learner confuses: each is swapped for the others of its list (functions, methods,
# attributes, constants of cv2 and keras, exception classes).
_SWAPS: list[tuple[str, ...]] = [
    ("argmax", "argmin"),
    ("max", "min"),
    ("maximum", "minimum"),
    ("mean", "median"),
    ("mean", "sum"),
    ("floor", "ceil", "round"),
    ("perf_counter", "time", "process_time"),
    ("lower", "upper"),
    ("is_file", "exists"),
    ("rglob", "glob"),
    ("assign_sub", "assign_add"),
    ("COLOR_BGR2GRAY", "COLOR_RGB2GRAY"),
    ("INTER_AREA", "INTER_LINEAR"),
    ("IMREAD_GRAYSCALE", "IMREAD_COLOR"),
    ("float32", "float64"),
    ("SGD", "RMSprop", "Adam"),
    ("keys", "values"),
    ("parent", "stem"),
]
_SWAP_NAMES: dict[str, list[str]] = {}
for _group in _SWAPS:
    for _name in _group:
        _SWAP_NAMES.setdefault(_name, []).extend(n for n in _group if n != _name)

# Built-in functions and exceptions a learner confuses (attributes above are swapped only as
# attributes: ``time`` the module is not ``time.time`` the clock).
_BUILTIN_SWAPS: dict[str, list[str]] = {
    "max": ["min"],
    "min": ["max"],
    "any": ["all"],
    "all": ["any"],
    "round": ["int"],
    "FileNotFoundError": ["ValueError"],
    "ValueError": ["TypeError"],
}

# Strings a learner confuses (besides the empty string, which every string is also tried as).
_STRING_SWAPS: dict[str, list[str]] = {
    "val_loss": ["loss"],
    "loss": ["val_loss"],
    "softmax": ["relu"],
    "sparse_categorical_crossentropy": ["categorical_crossentropy"],
    "horizontal": ["horizontal_and_vertical", "vertical"],
    "grayscale": ["rgb"],
    "int": ["categorical"],
    "same": ["valid"],
    "recall": ["precision", "f1-score"],
    "validation": ["test", "train"],
    "val_": ["", "train_"],
    ".keras": [".h5"],
    ".png": [".PNG"],
    "accuracy": ["loss"],
    "float32": ["float64"],
}

_COMPARE_SWAPS: dict[type, list[type]] = {
    ast.Lt: [ast.LtE, ast.Gt],
    ast.LtE: [ast.Lt, ast.GtE],
    ast.Gt: [ast.GtE, ast.Lt],
    ast.GtE: [ast.Gt, ast.LtE],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
}
_BINOP_SWAPS: dict[type, list[type]] = {
    ast.Add: [ast.Sub],
    ast.Sub: [ast.Add],
    ast.Mult: [ast.Div, ast.FloorDiv],
    ast.Div: [ast.Mult, ast.FloorDiv],
    ast.FloorDiv: [ast.Div],
    ast.Mod: [ast.FloorDiv],
    ast.Pow: [ast.Mult],
    ast.MatMult: [ast.Mult],
}


@dataclass(frozen=True)
class Mutant:
    """One change to one exercise's solution."""

    key: str  # the exercise, "06.1"
    label: str  # what changed, "`np.argmin(...)` -> `np.argmax(...)`" (stable: names EQUIVALENT entries)
    line: int  # the line of the solution function it is on, 1 being the def line
    tree: ast.Module  # the mutated solution function, ready to compile


def _code(node: ast.AST, limit: int = 90) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _alternatives(node: ast.AST, parameters: tuple[str, ...] = ()) -> Iterator[tuple[ast.AST, str]]:
    """The mutations of one node: (replacement, short description). ``parameters`` are those of
    the function the node is in: a use of one is also tried as each of the others."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in parameters:
        for other in parameters:
            if other != node.id:
                yield ast.Name(other, node.ctx), "parameter swapped"
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in _COMPARE_SWAPS.get(type(op), []):
                mutated = copy.deepcopy(node)
                mutated.ops[i] = new()
                yield mutated, "comparison"
    elif isinstance(node, ast.BinOp):
        for new in _BINOP_SWAPS.get(type(node.op), []):
            yield ast.BinOp(node.left, new(), node.right), "operator"
        yield node.left, "operand dropped"
        yield node.right, "operand dropped"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
        yield node.operand, "sign or not dropped"
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield ast.BoolOp(other, node.values), "and/or"
        for i in range(len(node.values)):
            rest = node.values[:i] + node.values[i + 1 :]
            yield (rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)), "condition dropped"
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield ast.Constant(not value), "constant"
        elif isinstance(value, int | float):
            for new in (value + 1, value - 1):
                yield ast.Constant(new), "constant"
        elif isinstance(value, str):
            for new in ["", *_STRING_SWAPS.get(value, [])]:
                if new != value:
                    yield ast.Constant(new), "string"
    elif isinstance(node, ast.IfExp):
        yield ast.IfExp(node.test, node.orelse, node.body), "branches swapped"
        yield ast.IfExp(ast.UnaryOp(ast.Not(), node.test), node.body, node.orelse), "condition negated"
    elif isinstance(node, ast.JoinedStr):
        for i, part in enumerate(node.values):
            if isinstance(part, ast.FormattedValue):
                yield ast.JoinedStr(node.values[:i] + node.values[i + 1 :]), "f-string part dropped"
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in _BUILTIN_SWAPS:
        for new in _BUILTIN_SWAPS[node.id]:
            yield ast.Name(new, node.ctx), "name"
    elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in _SWAP_NAMES:
        for new in _SWAP_NAMES[node.attr]:
            yield ast.Attribute(node.value, new, node.ctx), "name"
    elif isinstance(node, ast.Call):
        for i, keyword in enumerate(node.keywords):
            if keyword.arg is not None:
                kept = node.keywords[:i] + node.keywords[i + 1 :]
                dropped = f"{_code(node.func)}(..., {keyword.arg}={_code(keyword.value, 30)})"
                yield ast.Call(node.func, node.args, kept), f"keyword dropped: `{dropped}`"
        if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
            args = [node.args[1], node.args[0], *node.args[2:]]
            yield ast.Call(node.func, args, node.keywords), "arguments swapped"
        if len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred):
            yield node.args[0], "call removed"  # float(x) -> x, np.asarray(h) -> h
        if isinstance(node.func, ast.Attribute) and not node.args and not node.keywords:
            yield node.func.value, "method call removed"  # p.suffix.lower() -> p.suffix
        if isinstance(node.func, ast.Name) and node.func.id == "range":
            for i, arg in enumerate(node.args):
                for op in (ast.Add(), ast.Sub()):
                    args = list(node.args)
                    args[i] = ast.BinOp(arg, op, ast.Constant(1))
                    yield ast.Call(node.func, args, node.keywords), "range bound"


def _statement_alternatives(stmt: ast.stmt, inner: bool) -> Iterator[tuple[list[ast.stmt], str]]:
    """Mutations of a whole statement: deleted, its condition negated, ``return None``."""
    if isinstance(stmt, ast.Return):
        if inner and stmt.value is not None and not _is_none(stmt.value):
            yield [ast.Return(ast.Constant(None))], "return None"
        return
    if isinstance(stmt, ast.If | ast.While):
        negated = copy.copy(stmt)
        negated.test = ast.UnaryOp(ast.Not(), stmt.test)
        yield [negated], "condition negated"
    yield [ast.Pass()], "statement deleted"


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _targets(function: ast.FunctionDef) -> Iterator[tuple[ast.AST, tuple[str, ...] | None]]:
    """The nodes a learner writes, each with the parameters of the function the learner defines
    that it is in (None outside any): all of the solution's body but its imports and its final
    ``return <the function>``."""
    body = list(function.body)
    if body and isinstance(body[-1], ast.Return) and isinstance(body[-1].value, ast.Name):
        defined = {s.name for s in body if isinstance(s, ast.FunctionDef)}
        if body[-1].value.id in defined:
            body = body[:-1]

    def walk(node: ast.AST, params: tuple[str, ...] | None) -> Iterator[tuple[ast.AST, tuple | None]]:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.expr_context):
            return
        if isinstance(node, ast.FunctionDef | ast.Lambda):  # the learner's own function
            yield node, params
            body = node.body if isinstance(node.body, list) else [node.body]
            # a lambda inside the learner's function (a sort key, a map) keeps the outer names
            own = tuple(a.arg for a in node.args.args)
            inner = own if isinstance(node, ast.FunctionDef) or params is None else params
            for child in [*node.args.defaults, *node.args.kw_defaults, *body]:
                if child is not None:
                    yield from walk(child, inner)
            return
        yield node, params
        for child in ast.iter_child_nodes(node):
            yield from walk(child.value if isinstance(child, ast.keyword) else child, params)

    for stmt in body:
        yield from walk(stmt, None)


class _Replace(ast.NodeTransformer):
    """Replaces the node at one position of the walk (or the statement, with a list)."""

    def __init__(self, target: ast.AST, replacement):
        self.target, self.replacement = target, replacement

    def generic_visit(self, node):
        if node is self.target:
            return self.replacement
        return super().generic_visit(node)

    def visit(self, node):
        if node is self.target:
            return self.replacement
        return super().visit(node)


def mutants(key: str, solution: Callable) -> list[Mutant]:
    """Every mutant of ``solution`` (an exercise's ``_solution_...`` function)."""
    source = textwrap.dedent(inspect.getsource(solution))
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    found: list[Mutant] = []
    seen: set[str] = set()
    targets = list(_targets(function))
    for index, (node, params) in enumerate(targets):
        if isinstance(node, ast.stmt):
            if isinstance(node, ast.FunctionDef):
                options = []
            else:
                options = list(_statement_alternatives(node, params is not None))
        else:
            options = list(_alternatives(node, params or ()))
        for replacement, kind in options:
            copied = copy.deepcopy(tree)
            target = list(_targets(copied.body[0]))[index][0]
            new = copy.deepcopy(replacement)
            mutated = _Replace(target, new).visit(copied)
            ast.fix_missing_locations(mutated)
            try:
                after = ast.unparse(mutated)
                compile(mutated, "<mutant>", "exec")
            except (SyntaxError, ValueError, TypeError):
                continue
            if after in seen or after == ast.unparse(tree):
                continue
            seen.add(after)
            shown_after = "; ".join(_code(s) for s in new) if isinstance(new, list) else _code(new)
            if kind.startswith("keyword dropped"):
                label = f"[{kind}]"
            else:
                label = f"[{kind}] `{_code(node)}` -> `{shown_after}`"
            found.append(Mutant(key, label, getattr(node, "lineno", 0), mutated))
    # The same slip made consistently: a name swapped at every use (time.time for both readings
    # of the clock), which no single change above can express.
    used = {n.attr for n, _ in targets if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load)}
    used |= {n.id for n, _ in targets if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for name in sorted(used):
        swaps = [*_SWAP_NAMES.get(name, []), *_BUILTIN_SWAPS.get(name, [])]
        for new in swaps:
            copied = copy.deepcopy(tree)
            nodes = [n for n, _ in _targets(copied.body[0])]
            changed = 0
            for node in nodes:
                if isinstance(node, ast.Attribute) and node.attr == name and name in _SWAP_NAMES:
                    node.attr, changed = new, changed + 1
                elif isinstance(node, ast.Name) and node.id == name and name in _BUILTIN_SWAPS:
                    node.id, changed = new, changed + 1
            after = ast.unparse(copied)
            if changed > 1 and after not in seen:
                seen.add(after)
                found.append(Mutant(key, f"[name everywhere] `{name}` -> `{new}`", 0, copied))
    return _number_duplicates(found)


def unchanged(key: str, solution: Callable) -> Mutant:
    """The solution itself, run the way mutants are: its check must pass it (a control)."""
    return Mutant(key, "unchanged", 0, ast.parse(textwrap.dedent(inspect.getsource(solution))))


def _number_duplicates(found: list[Mutant]) -> list[Mutant]:
    """The same change at two places gets ' (2nd)' so every label names one mutant."""
    counts: dict[str, int] = {}
    out = []
    for mutant in found:
        counts[mutant.label] = counts.get(mutant.label, 0) + 1
        n = counts[mutant.label]
        label = mutant.label if n == 1 else f"{mutant.label} ({n}{ {2: 'nd', 3: 'rd'}.get(n, 'th') })"
        out.append(Mutant(mutant.key, label, mutant.line, mutant.tree))
    return out


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    def fire(signum, frame):
        raise _Timeout(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_mutant(exercise, mutant: Mutant) -> tuple[bool, str]:
    """(survived, the check's message) for one mutant handed to its exercise's check."""
    module = sys.modules[exercise.solution.__module__]
    namespace = dict(vars(module))
    out = io.StringIO()
    try:
        with (
            tempfile.TemporaryDirectory() as scratch,
            contextlib.chdir(scratch),  # a mutant that saves to a bare file name saves here
            _time_limit(TIMEOUT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            exec(compile(mutant.tree, f"<mutant of {exercise.key}>", "exec"), namespace)
            answer = namespace[exercise.solution.__name__]()
            passed, message = exercise.verdict(answer)
    except _Timeout as exc:
        return False, f"timed out: {exc}"
    except Exception as exc:  # the learner's cell itself fails before the check runs
        return False, f"the answer's cell raised {type(exc).__name__}: {exc}"
    finally:
        with contextlib.suppress(Exception):
            import matplotlib.pyplot as plt

            plt.close("all")
    return passed, message


#: Surviving mutants that behave like the solution on every input a learner could meet, by
#: exercise key and mutant label, with the reason. Keep a reason short and checkable.
EQUIVALENT: dict[str, dict[str, str]] = {
    "01.3": {
        "[statement deleted] `path = Path(path)` -> `pass`": "differs only when path is a str: the prompt and the check pass a Path (this prompt, unlike others of notebook 01, does not ask for strings)",
        "[call removed] `Path(path)` -> `path`": "differs only when path is a str: the prompt and the check pass a Path (this prompt, unlike others of notebook 01, does not ask for strings)",
        "[name] `path.exists` -> `path.is_file`": "differs only when a folder sits where the file should be",
    },
    "02.1": {
        "[call removed] `str(path)` -> `path`": "the course's OpenCV (4.14) reads a Path as well as a str, as notebook 02 shows; the check passes Paths",
    },
    "02.3": {
        "[arguments swapped] `max(0, y - margin)` -> `max(y - margin, 0)`": "max gives the same for its arguments in either order",
        "[arguments swapped] `max(0, x - margin)` -> `max(x - margin, 0)`": "max gives the same for its arguments in either order",
    },
    "03.1": {
        "[range bound] `range(repeat)` -> `range(repeat + 1)`": "one call more than asked: the check allows extra calls on purpose (a warm-up call, as timing.measure makes), and the median does not move",
        "[constant] `1000` -> `1001`": "0.1 % off: far below the timing noise of a 10 ms call; no check of real time can tell",
        "[constant] `1000` -> `999`": "0.1 % off: far below the timing noise of a 10 ms call; no check of real time can tell",
    },
    "03.2": {
        "[arguments swapped] `max(0, round(expected - shown))` -> `max(round(expected - shown), 0)`": "max gives the same for its arguments in either order",
    },
    "03.3": {
        "[comparison] `now > deadline` -> `now >= deadline`": "when now equals the deadline no budget was missed (ceil of 0 is 0): the deadline stays, as in the solution",
    },
    "04.4": {
        "[keyword dropped: `zip(..., strict=True)`]": "zip over two arrays of the same length",
        "[constant] `True` -> `False`": "zip over two arrays of the same length",
    },
    "05.1": {
        "[method call removed] `b.numpy()` -> `b`": "the tf.Variable itself instead of its array: the check converts the answer with np.asarray, which gives the same seven numbers",
    },
    "05.4": {
        "[keyword dropped: `layers.Conv2D(..., padding='same')`]": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[keyword dropped: `layers.Conv2D(..., activation='relu')`]": "a convolution without activation: a weaker model, but the prompt leaves the layers free",
        "[arguments swapped] `layers.Conv2D(16, 3, padding='same', activation='relu')` -> `layers.Conv2D(3, 16, padding='same', activation='relu')`": "another architecture (3 filters of size 16): the prompt leaves the layers free",
        "[constant] `16` -> `17`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `16` -> `15`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `3` -> `4`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `3` -> `2`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[string] `'same'` -> `'valid'`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `2` -> `3`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[keyword dropped: `layers.Conv2D(..., padding='same')`] (2nd)": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[keyword dropped: `layers.Conv2D(..., activation='relu')`] (2nd)": "a convolution without activation: a weaker model, but the prompt leaves the layers free",
        "[constant] `32` -> `33`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `32` -> `31`": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `3` -> `4` (2nd)": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `3` -> `2` (2nd)": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[string] `'same'` -> `'valid'` (2nd)": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[constant] `2` -> `3` (2nd)": "another architecture: the prompt leaves the layers free (any CNN within the budget)",
        "[keyword dropped: `model.compile(..., optimizer='adam')`]": "Keras' default optimizer (rmsprop): the prompt asks for a compiled model and its loss, not an optimizer",
        "[keyword dropped: `model.compile(..., metrics=['accuracy'])`]": "the prompt does not ask for metrics",
        "[string] `'accuracy'` -> `''`": "the prompt does not ask for metrics",
        "[string] `'accuracy'` -> `'loss'`": "the prompt does not ask for metrics",
    },
    "05.5": {
        "[statement deleted] `folder = Path(folder)` -> `pass`": "differs only when folder is a str: the prompt and the check pass a Path",
        "[call removed] `Path(folder)` -> `folder`": "differs only when folder is a str: the prompt and the check pass a Path",
        "[name] `path.exists` -> `path.is_file`": "the same answer for a model file: the check never puts a folder at the file's path",
        "[f-string part dropped] `f'{path} is there already: not replacing it'` -> `f' is there already: not replacing it'`": "only the error's message changes: the prompt asks for a FileExistsError, not for its wording",
        "[string] `' is there already: not replacing it'` -> `''`": "only the error's message changes: the prompt asks for a FileExistsError, not for its wording",
    },
    "06.1": {
        "[call removed] `int(np.argmin(history['val_loss']))` -> `np.argmin(history['val_loss'])`": "np.int64 instead of int: it is equal to the int",
    },
    "06.2": {
        "[string] `'val_loss'` -> `'loss'`": "only the length is read there: Keras records as many training values as validation values",
    },
    "06.3": {
        "[keyword dropped: `np.bincount(..., minlength=7)`]": "only the argmax of the counts is used: trailing zero counts do not change it",
        "[constant] `7` -> `8`": "only the argmax of the counts is used: an extra zero count does not change it",
        "[constant] `7` -> `6`": "bincount grows to the largest label anyway: the argmax is the same",
        "[constant] `7` -> `8` (2nd)": "the answer gets an eighth entry that no label (0-6) reads",
        "[call removed] `float(np.mean(-np.log(answer[labels])))` -> `np.mean(-np.log(answer[labels]))`": "np.float64 instead of float: it is equal to the float",
    },
    "07.2": {
        "[constant] `0` -> `1`": "no multiple of 3 lies between 0 and 1: the same epochs are halved",
    },
    "08.2": {
        "[comparison] `max((np.max(np.abs(f)) for f in factors)) > 0.3` -> `max((np.max(np.abs(f)) for f in factors)) >= 0.3`": "differs only at exactly 30 %, where float rounding decides (0.3 * 100 is 30.000000000000004): the check stays off that boundary",
    },
    "08.4": {
        "[parameter swapped] `images` -> `labels` (2nd)": "there are as many labels as images",
        "[keyword dropped: `tf.data.Dataset.from_tensor_slices((images, labels)).cache().shuffle(len(images), seed=...(..., num_parallel_calls=tf.data.AUTOTUNE)`]": "speed only: the same batches",
        "[keyword dropped: `tf.data.Dataset.from_tensor_slices((images, labels)).cache().shuffle(..., seed=1)`]": "another shuffle order",
        "[method call removed] `tf.data.Dataset.from_tensor_slices((images, labels)).cache()` -> `tf.data.Dataset.from_tensor_slices((images, labels))`": "without a cache the faces are read again every epoch: slower, the same pipeline (the prompt explains the cache's pitfall, it does not require one)",
        "[constant] `1` -> `2`": "another shuffle order",
        "[constant] `1` -> `0`": "another shuffle order",
        "[constant] `64` -> `65`": "the prompt asks only that the validation faces be batched",
        "[constant] `64` -> `63`": "the prompt asks only that the validation faces be batched",
    },
    "09.2": {
        "[call removed] `float(threshold)` -> `threshold`": "np.float64 instead of float: it is equal to the float",
    },
    "09.3": {
        "[name everywhere] `sum` -> `mean`": "F1 = 2tp / (2tp + fp + fn) is the same when all three counts are divided by the number of faces",
        "[call removed] `float(np.mean(scores))` -> `np.mean(scores)`": "np.float64 instead of float: it is equal to the float",
    },
    "10.3": {
        "[call removed] `int(c)` -> `c`": "np.int64 keys are equal to, and hash like, int keys",
        "[keyword dropped: `zip(..., strict=True)`]": "zip over two arrays of the same length",
        "[constant] `True` -> `False` (2nd)": "zip over two arrays of the same length",
    },
    "10.5": {
        "[keyword dropped: `np.argsort(..., axis=1)`]": "argsort's default axis is the last one, the classes: the same sort",
        "[call removed] `float(np.mean(hit))` -> `np.mean(hit)`": "np.float64 instead of float: it is equal to the float",
    },
    "11.1": {
        "[call removed] `np.zeros(len(history[0]))` -> `len(history[0])`": "a start value the same for every emotion moves every sum alike: the largest stays the largest",
        "[constant] `0` -> `-1`": "history[-1] has the same length as history[0]",
        "[call removed] `np.asarray(probs)` -> `probs`": "`faded` is already an array, so adding a list of probabilities works the same",
        "[call removed] `int(faded.argmax())` -> `faded.argmax()`": "np.int64 instead of int: it is equal to the int",
    },
    "11.2": {
        "[constant] `0` -> `1`": "the count's start value is never read: frame 0 is searched and resets it",
        "[constant] `0` -> `-1`": "the count's start value is never read: frame 0 is searched and resets it",
    },
    "11.4": {
        "[call removed] `np.asarray(boxes)` -> `boxes`": "differs only for a list of boxes: the prompt's boxes come from detectMultiScale, an array",
    },
    "12.2": {
        "[call removed] `float(np.mean(predict(x_test) == y_test))` -> `np.mean(predict(x_test) == y_test)`": "np.float64 instead of float: it is equal to the float",
    },
    "12.3": {
        "[arguments swapped] `np.union1d(answers_a, answers_b)` -> `np.union1d(answers_b, answers_a)`": "a union is the same either way round, and union1d sorts it",
        "[parameter swapped] `answers_a` -> `answers_b` (2nd)": "a class only one rater uses adds share 0 times its share to the chance agreement: leaving it out changes nothing",
        "[parameter swapped] `answers_b` -> `answers_a` (2nd)": "a class only one rater uses adds share 0 times its share to the chance agreement: leaving it out changes nothing",
        "[call removed] `np.array([np.mean(answers_a == c) for c in classes])` -> `[np.mean(answers_a == c) for c in classes]`": "a list times the other side's array is the same array product",
        "[call removed] `np.array([np.mean(answers_b == c) for c in classes])` -> `[np.mean(answers_b == c) for c in classes]`": "a list times the other side's array is the same array product",
        "[call removed] `float((observed - chance) / (1 - chance))` -> `(observed - chance) / (1 - chance)`": "np.float64 instead of float: it is equal to the float",
    },
}


def load_exercises() -> dict:
    import helpers.exercises as ex

    for module in pkgutil.iter_modules(ex.__path__):
        importlib.import_module(f"helpers.exercises.{module.name}")
    return dict(sorted(ex.REGISTRY.items()))


def _selected(keys: dict, wanted: list[str]) -> list[str]:
    if not wanted:
        return list(keys)
    return [k for k in keys if any(k == w or k.split(".")[0] == w for w in wanted)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursebuild.mutants", description=__doc__.split("\n")[0])
    parser.add_argument("only", nargs="*", help="notebook numbers (03) or exercise keys (05.3)")
    parser.add_argument("--survivors", action="store_true", help="list every surviving mutant, and why")
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    args = parser.parse_args(argv)

    import logging

    logging.getLogger("tensorflow").setLevel(logging.ERROR)  # AutoGraph cannot read mutants' source
    exercises = load_exercises()
    chosen = _selected(exercises, args.only)
    if not chosen:
        parser.error(f"no exercise matches {args.only}")
    per_notebook: dict[str, list[int]] = {}
    unexplained: list[Mutant] = []
    explained: list[tuple[Mutant, str]] = []
    started = time.perf_counter()
    for key in chosen:
        exercise = exercises[key]
        found = mutants(key, exercise.solution)
        if args.list:
            for mutant in found:
                print(f"{key} line {mutant.line}: {mutant.label}")
            continue
        survived, message = run_mutant(exercise, unchanged(key, exercise.solution))
        if not survived:  # the solution itself must pass when run the way the mutants are
            print(f"{key}: the unchanged solution fails when run as a mutant ({message}); skipped")
            continue
        known = EQUIVALENT.get(key, {})
        killed = equivalent = 0
        for mutant in found:
            survived, _ = run_mutant(exercise, mutant)
            if not survived:
                killed += 1
            elif mutant.label in known:
                equivalent += 1
                explained.append((mutant, known[mutant.label]))
            else:
                unexplained.append(mutant)
        row = per_notebook.setdefault(key.split(".")[0], [0, 0, 0])
        row[0] += len(found)
        row[1] += killed
        row[2] += equivalent
        left = len(found) - killed - equivalent
        print(
            f"{key}: {len(found)} mutants, {killed} killed, {equivalent} equivalent, {left} left "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    if args.list:
        return 0
    print()
    print(_table(per_notebook))
    if args.survivors:
        print(f"\n{len(explained)} surviving mutant(s) listed as equivalent:")
        for mutant, reason in explained:
            print(f"  {mutant.key} line {mutant.line}: {mutant.label}\n      {reason}")
    if args.survivors or unexplained:
        print(f"\n{len(unexplained)} surviving mutant(s) not listed as equivalent:")
        for mutant in unexplained:
            print(f"  {mutant.key} line {mutant.line}: {mutant.label}")
    return 1 if unexplained else 0


def _table(per_notebook: dict[str, list[int]]) -> str:
    lines = [
        "notebook  mutants  killed  equivalent  survived  kill rate  kill rate (equivalent excluded)",
    ]
    total = [0, 0, 0]
    for notebook, (n, killed, equivalent) in sorted(per_notebook.items()):
        lines.append(_row(notebook, n, killed, equivalent))
        total = [total[0] + n, total[1] + killed, total[2] + equivalent]
    lines.append(_row("all", *total))
    return "\n".join(lines)


def _row(name: str, n: int, killed: int, equivalent: int) -> str:
    rate = killed / n if n else 1.0
    real = killed / (n - equivalent) if n - equivalent else 1.0
    return f"{name:8s}  {n:7d}  {killed:6d}  {equivalent:10d}  {n - killed - equivalent:8d}  {rate:9.1%}  {real:9.1%}"


if __name__ == "__main__":
    os.environ.setdefault("COURSE_WORK_DIR", str(ROOT / "build" / "mutants"))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    raise SystemExit(main())
