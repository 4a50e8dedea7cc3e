"""Exercises of notebook 06 (``matplotlib``)."""

from __future__ import annotations

import warnings

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


def _test_normalise_rows(fn):
    cm = np.array(
        [[8, 2, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]]
    )  # a class with no face, one with one
    want = np.array([[0.8, 0.2, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 0, 0], [0, 0, 1.0, 0]])
    with np.errstate(all="ignore"):
        got = np.asarray(call(fn, cm.copy()), dtype=float)
    if got.shape != cm.shape:
        return f"the result should keep the shape {cm.shape}; yours has {got.shape}"
    if np.isnan(got).any():
        return "a class with no faces (a row of zeros) gave nan: keep such a row at 0"
    if not np.allclose(got, want):
        return f"for\n{cm}\neach row divided by its own total is\n{want}\nyours is\n{got.round(3)}"
    return None


def _solution_normalise_rows():
    import numpy as np

    def normalise_rows(cm):
        totals = cm.sum(axis=1, keepdims=True)  # faces per true class, as a column
        return cm / np.maximum(totals, 1)  # a row with no faces stays 0

    return normalise_rows


def _normalise_rows_loop(cm):
    cm = np.asarray(cm, dtype=float)
    out = np.zeros_like(cm)
    for i, row in enumerate(cm):
        if row.sum() > 0:
            out[i] = row / row.sum()
    return out


normalise_rows = Exercise(
    key="06.2",
    title="a confusion matrix as shares of each true class",
    test=_test_normalise_rows,
    hints=(
        "Each row is a true class: its entries should become shares of that row's total.",
        "Answers usually go wrong in two places: dividing by the matrix's total, or by each column's, instead "
        "of each row's own total (kept as a column, the `keepdims` argument, so it lines up with its row); "
        "and a row with no faces, whose total of 0 turns its shares into nan: keep it at 0.",
    ),
    solution=_solution_normalise_rows,
    wrong_answers=[
        lambda cm: cm / cm.sum(),
        lambda cm: cm / np.maximum(cm.sum(axis=0, keepdims=True), 1),
        lambda cm: cm / cm.sum(axis=1, keepdims=True),
    ],
    other_answers=[_normalise_rows_loop],
)


def _test_plot_curves(fn):
    import matplotlib.pyplot as plt

    fig = call(fn, _HISTORY)
    try:
        if not hasattr(fig, "axes") or not hasattr(fig, "savefig"):
            return f"return the matplotlib Figure (fig from fig, axes = plt.subplots(...)), not {type(fig).__name__}"
        axes = [ax for ax in fig.axes if ax.get_lines()]
        if len(axes) != 2:
            return f"the figure should have two panels with curves (loss and accuracy); it has {len(axes)}"
        for ax in axes:
            lines = ax.get_lines()
            if len(lines) < 2:
                return "each panel should have two curves: training and validation"
            x = list(lines[0].get_xdata())
            if x[:1] != [1] or len(x) != 6:
                return f"epochs should run from 1 to 6 on the x axis; the first curve's x values are {x}"
            if not ax.get_xlabel() or not ax.get_ylabel():
                return "label both axes of each panel (ax.set_xlabel, ax.set_ylabel)"
            if ax.get_legend() is None:
                return "add a legend to each panel, so a reader knows which curve is which (ax.legend())"
        shown = [{tuple(np.round(line.get_ydata(), 6)) for line in ax.get_lines()} for ax in axes]
        for metric in ("loss", "accuracy"):
            wanted = {tuple(np.round(_HISTORY[metric], 6)), tuple(np.round(_HISTORY["val_" + metric], 6))}
            if not any(wanted <= panel for panel in shown):
                return (
                    f"no panel shows both the training and the validation {metric} of the history: "
                    "check which values each curve draws"
                )
        validation = {tuple(np.round(_HISTORY[k], 6)) for k in _HISTORY if k.startswith("val_")}
        for ax in axes:
            texts = [text.get_text() for text in ax.get_legend().get_texts()]
            if len(texts) < 2 or len(set(texts)) < len(texts):
                return (
                    f"a legend shows {texts}: give each curve its own label (the label argument of plot), "
                    "so that the legend says which curve is which"
                )
            for line in ax.get_lines():
                is_validation = tuple(np.round(line.get_ydata(), 6)) in validation
                if is_validation != ("val" in line.get_label().lower()):
                    which = "validation" if is_validation else "training"
                    return (
                        f"the {which} curve is labelled {line.get_label()!r}: the legend should say which "
                        "curve is the validation one (and only that one)"
                    )
        return None
    finally:
        plt.close("all")


def _solution_plot_curves():
    import matplotlib.pyplot as plt

    def plot_curves(history):
        epochs = range(1, len(history["loss"]) + 1)  # as Keras counts them: from 1, not from 0
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))  # two panels side by side
        for ax, key in zip(axes, ["loss", "accuracy"], strict=True):
            # training and validation of one metric share a panel, so the gap between them shows
            ax.plot(epochs, history[key], label="training")
            ax.plot(epochs, history["val_" + key], label="validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(key)
            ax.legend()  # the labels above, so a reader knows which curve is which
        return fig

    return plot_curves


def _one_panel(history):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    for key in history:
        ax.plot(range(1, 7), history[key], label=key)
    ax.set_xlabel("epoch")
    ax.set_ylabel("value")
    ax.legend()
    return fig


def _from_zero(history):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ["loss", "accuracy"], strict=True):
        ax.plot(history[key], label="training")
        ax.plot(history["val_" + key], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.legend()
    return fig


def _no_legend(history):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ["loss", "accuracy"], strict=True):
        ax.plot(range(1, 7), history[key])
        ax.plot(range(1, 7), history["val_" + key])
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
    return fig


def _unlabelled(history):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ["loss", "accuracy"], strict=True):
        ax.plot(range(1, 7), history[key])  # no label: the legend below has nothing to show
        ax.plot(range(1, 7), history["val_" + key])
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        with warnings.catch_warnings():  # matplotlib warns that there is nothing to show
            warnings.simplefilter("ignore")
            ax.legend()
    return fig


def _plot_curves_two_calls(history):
    import matplotlib.pyplot as plt

    epochs = list(range(1, len(history["loss"]) + 1))
    fig = plt.figure(figsize=(9, 3))
    left = fig.add_subplot(1, 2, 1)
    left.plot(epochs, history["loss"], "o-", label="train")
    left.plot(epochs, history["val_loss"], "o--", label="val")
    left.set(xlabel="epoch", ylabel="loss")
    left.legend()
    right = fig.add_subplot(1, 2, 2)
    right.plot(epochs, history["val_accuracy"], label="validation")
    right.plot(epochs, history["accuracy"], label="training")
    right.set(xlabel="epoch", ylabel="accuracy")
    right.legend()
    return fig


def _loss_twice(history):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ["loss", "accuracy"], strict=True):
        ax.plot(range(1, 7), history["loss"], label="training")  # the loss in both panels
        ax.plot(range(1, 7), history["val_loss"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.legend()
    return fig


plot_curves = Exercise(
    key="06.3",
    title="draw training curves",
    test=_test_plot_curves,
    hints=(
        "Two panels, one for the loss and one for the accuracy, each with the training and the validation curve, over epochs numbered from 1.",
        "The usual slips: plotting the values alone numbers the epochs from 0 (give the "
        "epoch numbers too); a curve with no label, or a misleading one, leaves the legend unable to say "
        "which curve is which; and each panel pairs one metric with its own `val_` twin.",
    ),
    solution=_solution_plot_curves,
    wrong_answers=[_one_panel, _from_zero, _no_legend, _loss_twice, _unlabelled],
    other_answers=[_plot_curves_two_calls],
)


_LABELS = np.repeat(np.arange(7), [40, 6, 41, 72, 48, 32, 50])  # a small split with FER2013-like proportions


def _test_frequency_loss(fn):
    counts = np.bincount(_LABELS, minlength=7)
    prior = counts / counts.sum()
    want = float(-np.sum(prior * np.log(prior)))
    got = call(fn, _LABELS.copy())
    try:
        got = float(got)
    except (TypeError, ValueError):
        return f"return the loss as a number; your function returned {type(got).__name__}"
    if abs(got - np.log(7)) < 1e-3:
        return "that is ln 7, the loss of giving every class 1/7; the frequencies of these labels are not all 1/7"
    if abs(got - want) > 1e-3:
        return (
            f"for these labels the loss of answering with their frequencies is {want:.4f}; yours is {got:.4f}"
        )
    return None


def _solution_frequency_loss():
    import numpy as np

    def frequency_loss(labels):
        # such a model gives every face the same answer: each class's share of the labels
        frequencies = np.bincount(labels, minlength=7) / len(labels)
        # cross-entropy: each face costs minus the log of the probability its own class got,
        # so a frequent class counts as often as it occurs
        return float(np.mean(-np.log(frequencies[labels])))

    return frequency_loss


frequency_loss = Exercise(
    key="06.4",
    title="the loss of a model that learned only the class frequencies",
    test=_test_frequency_loss,
    hints=(
        "Such a model gives every face the same answer: the share of each class among the labels. Its loss is "
        "the cross-entropy of that answer, averaged over the faces.",
        "Answers usually go wrong by averaging over the seven classes as if each had as many faces: it is each "
        "face that costs minus the log of its own class's share, so a frequent class counts as often as it "
        "occurs (the same number: minus the sum of share times log share).",
    ),
    solution=_solution_frequency_loss,
    wrong_answers=[
        lambda labels: float(np.log(7)),  # 1/7 for every class
        lambda labels: float(
            -np.log(np.bincount(labels).max() / len(labels))
        ),  # only the majority class's share
        lambda labels: float(
            -np.mean(np.log(np.bincount(labels, minlength=7) / len(labels)))
        ),  # classes unweighted
    ],
    other_answers=[
        lambda labels: float(-sum(p * np.log(p) for p in np.bincount(labels) / len(labels) if p > 0)),
    ],
)
