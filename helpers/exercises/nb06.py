"""Exercises of notebook 06 (``matplotlib``)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call

_HISTORY = {
    "loss": [1.9, 1.5, 1.2, 1.0, 0.8, 0.6],
    "val_loss": [1.8, 1.4, 1.1, 1.15, 1.3, 1.5],
    "accuracy": [0.25, 0.4, 0.5, 0.6, 0.7, 0.8],
    "val_accuracy": [0.3, 0.45, 0.55, 0.56, 0.52, 0.5],
}


def _test_best_epoch(fn):
    cases = [
        (_HISTORY, 3),
        ({"loss": [1.0, 0.9], "val_loss": [0.7, 0.8]}, 1),
        ({"loss": [3, 2, 1], "val_loss": [3, 2, 1]}, 3),
    ]
    for history, want in cases:
        got = call(fn, history)
        if got != want:
            return (
                f"for val_loss {history['val_loss']} the best epoch, counted from 1 as Keras prints them, "
                f"is {want}; your function returned {got!r}"
            )
    return None


def _solution_best_epoch():
    import numpy as np

    def best_epoch(history):
        # the validation loss measures faces the model does not train on: its lowest is the best epoch
        return int(np.argmin(history["val_loss"])) + 1  # argmin counts from 0, epochs from 1

    return best_epoch


best_epoch = Exercise(
    key="06.1",
    title="the epoch with the lowest validation loss",
    test=_test_best_epoch,
    hints=(
        "Which of the history's lists measures how well the model does on faces it does not train on, and is the best value its smallest or its largest?",
        "Two slips are common: the training loss, which keeps falling however the model does on new faces, "
        "instead of the validation loss; and positions in a list, which count from 0, while Keras counts "
        "epochs from 1.",
    ),
    solution=_solution_best_epoch,
    wrong_answers=[
        lambda h: int(np.argmin(h["val_loss"])),
        lambda h: int(np.argmin(h["loss"])) + 1,
        lambda h: int(np.argmax(h["val_loss"])) + 1,
    ],
    other_answers=[lambda h: h["val_loss"].index(min(h["val_loss"])) + 1],
)


_RUNS = {  # three runs of different lengths, as in this notebook: each curve keeps its own epochs
    "first CNN": _HISTORY,
    "few faces": {"loss": [1.7, 1.1, 0.5, 0.2], "val_loss": [1.75, 1.6, 1.65, 1.9]},
    "tiny model": {
        "loss": [1.95, 1.9, 1.87, 1.85, 1.84, 1.83, 1.82, 1.82, 1.81],
        "val_loss": [1.94, 1.9, 1.86, 1.84, 1.83, 1.82, 1.82, 1.81, 1.81],
    },
}


def _rounded(values) -> tuple:
    return tuple(np.round(np.asarray(values, dtype=float), 6))


def _test_compare_runs(fn):
    import matplotlib.pyplot as plt

    plt.close("all")
    fig = call(fn, {name: dict(run) for name, run in _RUNS.items()})
    try:
        if not hasattr(fig, "axes") or not hasattr(fig, "savefig"):
            return f"return the matplotlib Figure (the fig that plt.subplots gives), not {type(fig).__name__}"
        panels = [ax for ax in fig.axes if ax.get_lines()]
        if len(panels) != 1:
            return f"draw every run on one panel, so their losses share one scale; your figure has {len(panels)} panels with curves"
        ax = panels[0]
        lines = {_rounded(line.get_ydata()): line for line in ax.get_lines()}
        for name, run in _RUNS.items():
            line = lines.get(_rounded(run["val_loss"]))
            if line is None:
                if _rounded(run["loss"]) in lines:
                    return (
                        f"the curve of {name!r} is its training loss: the validation loss is the one that "
                        "shows how each run does on faces it did not train on"
                    )
                return f"no curve shows the validation loss of the run {name!r}"
            x = [float(v) for v in line.get_xdata()]
            want = list(range(1, len(run["val_loss"]) + 1))
            if x != want:
                return (
                    f"the run {name!r} has {len(want)} epochs, so its curve runs over epochs {want[0]} to "
                    f"{want[-1]}; its x values are {x}"
                )
            if line.get_label() != name:
                return f"label each curve with its run's name, so the legend says which run is which: {name!r} is labelled {line.get_label()!r}"
        if not ax.get_xlabel() or not ax.get_ylabel():
            return "label both axes (the epoch, and what the curves show)"
        if ax.get_legend() is None:
            return "add a legend, so a reader knows which curve is which run"
        return None
    finally:
        plt.close("all")


def _solution_compare_runs():
    import matplotlib.pyplot as plt
    import numpy as np

    def compare_runs(runs):
        fig, ax = plt.subplots()  # one panel: every run on the same scale
        for name, history in runs.items():
            # each run has its own number of epochs, counted from 1 as Keras does
            epochs = np.arange(1, len(history["val_loss"]) + 1)
            ax.plot(epochs, history["val_loss"], label=name)  # the label is what the legend shows
        ax.set(xlabel="epoch", ylabel="validation loss")
        ax.legend()
        return fig

    return compare_runs


def _compare_runs_pyplot(runs):
    import matplotlib.pyplot as plt

    fig = plt.figure()
    for name in runs:
        values = runs[name]["val_loss"]
        plt.plot(range(1, len(values) + 1), values, "o-", label=name)
    plt.xlabel("epoch")
    plt.ylabel("val_loss")
    plt.legend()
    return fig


def _runs_answer(runs, key="val_loss", first=1, shared_epochs=False, labelled=True, panels=1):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, panels)
    axes = np.atleast_1d(axes)
    shared = np.arange(first, len(next(iter(runs.values()))[key]) + first)
    for ax, (name, history) in zip(np.resize(axes, len(runs)), runs.items(), strict=True):
        epochs = shared if shared_epochs else np.arange(first, len(history[key]) + first)
        ax.plot(epochs, history[key], label=name if labelled else "validation")
        ax.set(xlabel="epoch", ylabel="loss")
        ax.legend()
    return fig


compare_runs = Exercise(
    key="06.2",
    title="the validation losses of several runs on one panel",
    test=_test_compare_runs,
    hints=(
        "One panel, one curve per run: loop over the runs, and give each curve its own epochs and its run's "
        "name, so that the legend tells the runs apart.",
        "The usual slips: the runs have different numbers of epochs, so epoch numbers worked out once, for "
        "the first run, do not fit the others; epochs count from 1; and a curve's label should be its run's "
        "name, since every curve here is a validation curve.",
    ),
    solution=_solution_compare_runs,
    wrong_answers=[
        lambda runs: _runs_answer(runs, key="loss"),  # the training losses
        lambda runs: _runs_answer(runs, first=0),  # epochs from 0
        lambda runs: _runs_answer(runs, shared_epochs=True),  # the first run's epochs for every run
        lambda runs: _runs_answer(runs, labelled=False),  # every curve labelled "validation"
        lambda runs: _runs_answer(runs, panels=3),  # one panel per run
    ],
    other_answers=[_compare_runs_pyplot],
)


_LABELS = np.repeat(np.arange(7), [40, 6, 41, 72, 48, 32, 50])  # a small split with FER2013-like proportions
_NEUTRAL_FIRST = np.array(
    [6, 6, 6, 6, 3, 3, 0, 2, 4]
)  # neutral (6) the most frequent; no disgust, no surprise


def _majority_loss(labels, p, top=None, others=6, unweighted=False):
    top = int(np.argmax(np.bincount(labels, minlength=7))) if top is None else top
    answer = np.full(7, (1 - p) / others)
    answer[top] = p
    costs = -np.log(answer)  # what one face of each class costs
    return float(np.mean(costs if unweighted else costs[labels]))


def _test_majority_answer_loss(fn):
    for labels, p in [(_LABELS, 0.4), (_NEUTRAL_FIRST, 0.9), (_LABELS, 1 / 7)]:
        want = _majority_loss(labels, p)
        top = int(np.argmax(np.bincount(labels, minlength=7)))
        got = call(fn, labels.copy(), p)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return f"return the loss as a number; your function returned {type(got).__name__}"
        if abs(got - want) < 1e-4:
            continue
        said = f"for labels with class counts {np.bincount(labels, minlength=7).tolist()} and p = {p:.4g}"
        if abs(got + np.log(p)) < 1e-4:
            return (
                f"{said}, you returned -ln p, the cost of one face of the most frequent class. Every face costs "
                "minus the log of the probability its own class gets, so the other faces cost something else"
            )
        if top != 3 and abs(got - _majority_loss(labels, p, top=3)) < 1e-4:
            return f"{said}, the most frequent class is class {top}, not happy: find it in the labels"
        if abs(got - _majority_loss(labels, p, unweighted=True)) < 1e-4:
            return (
                f"{said}, you averaged over the seven classes as if each had as many faces: average over the "
                "faces, so a frequent class counts as often as it occurs"
            )
        if abs(got - _majority_loss(labels, p, others=1)) < 1e-4:
            return f"{said}, the other six classes share 1 - p between them: each gets a sixth of it"
        return f"{said}, the loss of that answer is {want:.4f}; yours is {got:.4f}"
    return None


def _solution_majority_answer_loss():
    import numpy as np

    def majority_answer_loss(labels, p):
        top = np.argmax(np.bincount(labels, minlength=7))  # the most frequent class of these labels
        answer = np.full(7, (1 - p) / 6)  # the other six classes share what p leaves
        answer[top] = p
        # the same answer for every face; each face costs minus the log of its own class's probability
        return float(np.mean(-np.log(answer[labels])))

    return majority_answer_loss


def _majority_answer_loss_by_shares(labels, p):
    shares = np.bincount(labels, minlength=7) / len(labels)
    top = shares.argmax()
    # a share of the faces costs -ln p, the rest -ln((1 - p) / 6)
    return float(-shares[top] * np.log(p) - (1 - shares[top]) * np.log((1 - p) / 6))


majority_answer_loss = Exercise(
    key="06.3",
    title="the loss of always backing the most frequent class",
    test=_test_majority_answer_loss,
    hints=(
        "It is the cross-entropy of one fixed answer: every face costs minus the log of the probability its "
        "own class gets, and the loss is the average over the faces.",
        "Answers usually go wrong in three places: only the faces of the most frequent class cost -ln p, the "
        "others cost the log of their smaller share; that share is what p leaves, split six ways; and the "
        "most frequent class depends on the labels, so it is not always happy.",
    ),
    solution=_solution_majority_answer_loss,
    wrong_answers=[
        lambda labels, p: float(-np.log(p)),  # the faces of the most frequent class only
        lambda labels, p: _majority_loss(labels, p, top=3),  # happy, whatever the labels
        lambda labels, p: _majority_loss(labels, p, others=1),  # 1 - p for each of the other classes
        lambda labels, p: _majority_loss(labels, p, unweighted=True),  # each class once, not each face
    ],
    other_answers=[_majority_answer_loss_by_shares],
)


_COUNTS = (
    np.array(  # rows of 100 and 25 faces whose shares do not multiply back to whole numbers; an empty class
        [[71, 29, 0, 0], [7, 15, 3, 0], [0, 0, 0, 0], [3, 0, 4, 57]]
    )
)


def _test_counts_from_shares(fn):
    totals = _COUNTS.sum(axis=1)
    shares = _COUNTS / np.maximum(totals, 1)[:, None]  # as the lesson divides them, an empty row kept at 0
    got = np.asarray(call(fn, shares.copy(), totals.copy()))
    said = f"for the shares of\n{_COUNTS}\n(row totals {totals.tolist()})"
    if got.shape != _COUNTS.shape:
        return f"{said} the result should keep the shape {_COUNTS.shape}; yours has {got.shape}"
    if got.dtype.kind not in "iu":
        return f"{said} return whole numbers, an integer array like cm; yours holds {got.dtype}"
    if np.array_equal(got, _COUNTS):
        return None
    if np.array_equal(got, (shares * totals[:, None]).astype(int)):
        return (
            f"{said} you get {got[0, 1]} where the count is 29: 0.29 * 100 is 28.999999999999996 in floats, "
            "and converting to int cuts it down. Round first"
        )
    if np.array_equal(got, np.round(shares * totals).astype(int)):
        return f"{said} each row's shares belong to that row's class: multiply a row by its own total, not a column"
    if np.array_equal(got, np.round(shares * totals.sum()).astype(int)):
        return f"{said} multiply each row by its own class's total, not by the number of faces in the whole matrix"
    return f"{said} the counts are\n{_COUNTS}\nyours are\n{got}"


def _solution_counts_from_shares():
    import numpy as np

    def counts_from_shares(shares, totals):
        # row i holds shares of class i's faces: multiply it by that class's total, so totals stand as a column
        counts = shares * totals[:, np.newaxis]
        # the products are only nearly whole (0.29 * 100 is 28.999999999999996): round before
        # converting, since converting to int alone would cut that down to 28
        return np.round(counts).astype(int)

    return counts_from_shares


def _counts_from_shares_loop(shares, totals):
    return np.array(
        [[round(share * total) for share in row] for row, total in zip(shares, totals, strict=True)]
    )


counts_from_shares = Exercise(
    key="06.4",
    title="the counts back from the row shares",
    test=_test_counts_from_shares,
    hints=(
        "Dividing a row by its total is undone by multiplying it by that total again: each row by its own "
        "class's number of faces.",
        "Answers usually go wrong in two places: the totals have to line up with the rows, so stand them "
        "as a column, as the `keepdims` argument did for the division; and the products are floats a hair "
        "below or above a whole number, which converting to int cuts down, so round them first.",
    ),
    solution=_solution_counts_from_shares,
    wrong_answers=[
        lambda shares, totals: (shares * totals[:, np.newaxis]).astype(int),  # cut down, not rounded
        lambda shares, totals: np.round(shares * totals).astype(int),  # totals along the columns
        lambda shares, totals: np.round(shares * totals.sum()).astype(int),  # the matrix's total
        lambda shares, totals: np.round(shares * totals[:, np.newaxis]),  # floats, not counts
    ],
    other_answers=[_counts_from_shares_loop],
)
