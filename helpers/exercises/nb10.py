"""Exercises of notebook 10 (the emotion CNN, end to end)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close

_LABELS = np.array([3, 3, 3, 6, 6, 0, 1, 4, 4, 3, 2, 5, 3, 6])  # happy (3) is the most common


def _test_majority_accuracy(fn):
    for labels, want in ((_LABELS, 5 / 14), (np.array([1, 1, 0]), 2 / 3), (np.array([5]), 1.0)):
        got = call(fn, labels)
        if not close(got, want):
            return (
                f"for labels {labels.tolist()} always answering the most common class is right "
                f"{want:.4f} of the time; your function returned {got!r}"
            )
    return None


def _solution_majority_accuracy():
    import numpy as np

    def majority_accuracy(labels):
        counts = np.bincount(labels)
        return counts.max() / len(labels)  # share of the most common class

    return majority_accuracy


majority_accuracy = Exercise(
    key="10.1",
    title="the majority-class baseline",
    test=_test_majority_accuracy,
    hints=(
        "The baseline always answers the most frequent class; its accuracy is that class's share of the labels.",
        "`np.bincount` counts each class; the largest count over the number of labels is the share.",
    ),
    solution=_solution_majority_accuracy,
    wrong_answers=[
        lambda labels: 1 / len(np.unique(labels)),  # chance among the classes present, not the majority
        lambda labels: float(np.bincount(labels).max()),  # a count, not a share
        lambda labels: float(np.mean(labels == 3)),  # happy is not always the majority
    ],
    other_answers=[lambda labels: max(np.mean(labels == c) for c in np.unique(labels))],
)


def _test_class_weights(fn):
    from sklearn.utils.class_weight import compute_class_weight

    for labels in (_LABELS, np.array([0, 0, 0, 1])):
        classes = np.unique(labels)
        want = dict(
            zip(classes.tolist(), compute_class_weight("balanced", classes=classes, y=labels), strict=True)
        )
        got = call(fn, labels)
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            return f"return a dict with one weight per class present ({sorted(want)}); got {got!r}"
        if not close([got[k] for k in want], list(want.values())):
            k = max(want, key=lambda c: abs(got[c] - want[c]))
            return f"for labels {labels.tolist()} class {k} should weigh {want[k]:.4f}; your function gave {got[k]!r}"
    return None


def _solution_class_weights():
    import numpy as np

    def class_weights(labels):
        classes, counts = np.unique(labels, return_counts=True)
        n, k = len(labels), len(classes)
        return {
            int(c): n / (k * count) for c, count in zip(classes, counts, strict=True)
        }  # rare classes weigh more

    return class_weights


def _inverse_counts(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): 1 / count for c, count in zip(classes, counts, strict=True)}


def _share_weights(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): count / len(labels) for c, count in zip(classes, counts, strict=True)}


def _class_weights_sklearn(labels):
    from sklearn.utils.class_weight import compute_class_weight

    classes = np.unique(labels)
    weights = compute_class_weight("balanced", classes=classes, y=labels)
    return {int(c): float(w) for c, w in zip(classes, weights, strict=True)}


class_weights = Exercise(
    key="10.2",
    title="balanced class weights",
    test=_test_class_weights,
    hints=(
        "'Balanced' means every class adds up to the same total weight: a class with few faces gets a large weight.",
        "With n labels and k classes present, a class with count c gets n / (k * c); return a dict from each class number present to its weight.",
    ),
    solution=_solution_class_weights,
    wrong_answers=[_inverse_counts, _share_weights, lambda labels: {int(c): 1.0 for c in np.unique(labels)}],
    other_answers=[_class_weights_sklearn],
)

_PROBS = np.array(
    [
        [0.90, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01],  # true 0: right
        [0.05, 0.05, 0.05, 0.70, 0.05, 0.05, 0.05],  # true 4: wrong, confident 0.70
        [0.10, 0.10, 0.10, 0.10, 0.40, 0.10, 0.10],  # true 6: wrong, 0.40
        [0.01, 0.01, 0.01, 0.01, 0.01, 0.94, 0.01],  # true 2: wrong, very confident 0.94
        [0.20, 0.10, 0.10, 0.10, 0.10, 0.10, 0.30],  # true 6: right
        [0.50, 0.10, 0.10, 0.10, 0.10, 0.05, 0.05],  # true 1: wrong, 0.50
    ]
)
_TRUE = np.array([0, 4, 6, 2, 6, 1])


def _test_confident_mistakes(fn):
    got = call(fn, _PROBS, _TRUE, 3)
    want = [3, 1, 5]
    if [int(i) for i in np.asarray(got).ravel()] != want:
        return (
            "the three wrong predictions made with the highest probability are rows 3 (0.94), 1 (0.70) and "
            f"5 (0.50), in that order; your function returned {got!r}"
        )
    got = call(fn, _PROBS, _TRUE, 10)
    if len(np.asarray(got).ravel()) != 4:
        return f"asked for 10 mistakes when there are only 4, return those 4; got {got!r}"
    return None


def _solution_confident_mistakes():
    import numpy as np

    def confident_mistakes(probs, y_true, k):
        predicted = probs.argmax(axis=1)
        confidence = probs.max(axis=1)
        wrong = np.flatnonzero(predicted != y_true)
        order = np.argsort(-confidence[wrong])  # most confident first
        return wrong[order][:k]

    return confident_mistakes


def _confident_mistakes_sorted(probs, y_true, k):
    mistakes = [(probs[i].max(), i) for i in range(len(y_true)) if probs[i].argmax() != y_true[i]]
    return [i for _, i in sorted(mistakes, reverse=True)[:k]]


confident_mistakes = Exercise(
    key="10.3",
    title="the most confident mistakes",
    test=_test_confident_mistakes,
    hints=(
        "Two steps: which predictions are wrong, then order those by how sure the model was.",
        "The predicted class is the row's argmax and its confidence the row's max; keep the rows whose prediction differs from the truth and sort them by confidence, highest first, then take the first k.",
    ),
    solution=_solution_confident_mistakes,
    wrong_answers=[
        lambda p, t, k: np.argsort(-p.max(axis=1))[:k],  # includes right answers
        lambda p, t, k: np.flatnonzero(p.argmax(axis=1) != t)[:k],  # not sorted by confidence
        lambda p, t, k: np.flatnonzero(p.argmax(axis=1) != t)[
            np.argsort(p.max(axis=1)[p.argmax(axis=1) != t])
        ][:k],
    ],
    other_answers=[_confident_mistakes_sorted],
)
