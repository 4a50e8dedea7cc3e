"""Exercises of notebook 09 (``sklearn.metrics``)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from helpers.exercises import Exercise, call, close


def _test_f1_from_counts(fn):
    cases = [
        ((8, 2, 2), 0.8),
        ((3, 0, 9), 0.4),
        ((1, 9, 0), 2 * 0.1 * 1.0 / 1.1),
        ((0, 0, 5), 0.0),
        ((0, 0, 0), 0.0),
    ]
    for args, want in cases:
        try:
            got = call(fn, *args)
        except ZeroDivisionError:
            return f"f1_from_counts{args} divided by zero: when precision or recall is undefined, return 0.0"
        if not close(got, want):
            tp, fp, fn_ = args
            return (
                f"with {tp} true positives, {fp} false positives and {fn_} false negatives the F1 score is "
                f"{want:.4f}; your function returned {got!r}"
            )
    return None


def _solution_f1_from_counts():
    def f1_from_counts(tp, fp, fn):
        if tp == 0:
            return 0.0  # no correct hit: precision or recall is 0 (or undefined), and so is F1
        precision = tp / (tp + fp)  # of the faces called positive, the share that are
        recall = tp / (tp + fn)  # of the faces that are positive, the share found
        # the harmonic mean: high only when both are, unlike the plain mean
        return 2 * precision * recall / (precision + recall)

    return f1_from_counts


def _mean_of_pr(tp, fp, fn):
    if tp == 0:
        return 0.0
    return (tp / (tp + fp) + tp / (tp + fn)) / 2


f1_from_counts = Exercise(
    key="09.1",
    title="F1 from true positives, false positives and false negatives",
    test=_test_f1_from_counts,
    hints=(
        "F1 combines precision and recall; write each from the counts first.",
        "Answers usually go wrong in two ways: F1 is not the plain mean of precision and recall but twice "
        "their product over their sum, which a low one pulls down; and with no true positive a division by "
        "zero lurks, so that case must be answered before dividing.",
    ),
    solution=_solution_f1_from_counts,
    wrong_answers=[
        _mean_of_pr,
        lambda tp, fp, fn: tp / (tp + fp + fn) if tp else 0.0,
        lambda tp, fp, fn: 2 * tp / (2 * tp + fp + fn),  # right formula but divides by zero at (0, 0, 0)
    ],
    other_answers=[lambda tp, fp, fn: 2 * tp / (2 * tp + fp + fn) if tp else 0.0],
)


def _test_macro_f1(fn):
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(9)
    y_true = rng.choice(7, size=300, p=[0.14, 0.02, 0.14, 0.25, 0.17, 0.11, 0.17])
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, 7, size=300))
    y_pred[y_pred == 1] = 6  # class 1 is never predicted: its F1 is 0 and must count as such
    cases = [
        (y_true, y_pred, "this prediction"),
        (  # a small validation set: no face of class 5, never predicted; class 1 once, found once
            np.array([0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 6, 6]),
            np.array([0, 0, 2, 1, 2, 0, 3, 3, 3, 6, 4, 2, 6, 3]),
            "a small set in which class 5 never occurs and is never predicted (its F1 counts as 0)",
        ),
    ]
    used = [
        name
        for name in getattr(getattr(fn, "__code__", None), "co_names", ())
        if name.split(".")[0] == "sklearn"
        or getattr(getattr(fn, "__globals__", {}).get(name), "__module__", "").startswith("sklearn")
    ]
    if used:
        return (
            f"this exercise computes macro F1 by hand, with NumPy; your function uses scikit-learn ({', '.join(used)}), "
            "which notebook 09 compares your answer with"
        )
    for truth, predicted, what in cases:
        want = f1_score(truth, predicted, average="macro", labels=range(7), zero_division=0)
        with np.errstate(all="ignore"):  # a class with no face divides 0 by 0: reported in words
            got = call(fn, truth.copy(), predicted.copy(), 7)
        if not close(got, want):
            return f"the macro F1 of {what} is {want:.4f}; your function returned {got!r}"
    return None


def _solution_macro_f1():
    import numpy as np

    def macro_f1(y_true, y_pred, num_classes):
        scores = []
        for k in range(num_classes):  # every class, also one that is never predicted
            tp = np.sum((y_pred == k) & (y_true == k))  # called k, and is k
            fp = np.sum((y_pred == k) & (y_true != k))  # called k, but is another class
            fn = np.sum((y_pred != k) & (y_true == k))  # is k, but called another class
            # F1 from the counts; with no hit it is 0, answered first, as a class that occurs
            # nowhere would divide 0 by 0
            scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
        return float(np.mean(scores))  # the plain mean: every class counts the same

    return macro_f1


def _weighted_f1(y_true, y_pred, num_classes):
    from sklearn.metrics import f1_score

    return f1_score(y_true, y_pred, average="weighted", zero_division=0)


def _skip_absent(y_true, y_pred, num_classes):
    scores = []
    for k in range(num_classes):
        tp = np.sum((y_pred == k) & (y_true == k))
        if tp == 0:
            continue  # dropping a class the model never gets right hides the problem
        fp = np.sum((y_pred == k) & (y_true != k))
        fn = np.sum((y_pred != k) & (y_true == k))
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def _macro_f1_vectorised(y_true, y_pred, num_classes):
    classes = np.arange(num_classes)[:, None]
    tp = np.sum((y_pred == classes) & (y_true == classes), axis=1)
    fp = np.sum((y_pred == classes) & (y_true != classes), axis=1)
    fn = np.sum((y_pred != classes) & (y_true == classes), axis=1)
    denominator = 2 * tp + fp + fn
    return float(np.mean(np.where(tp > 0, 2 * tp / np.maximum(denominator, 1), 0.0)))


def _f1_score_itself(y_true, y_pred, num_classes):
    return f1_score(y_true, y_pred, average="macro", labels=range(num_classes), zero_division=0)


macro_f1 = Exercise(
    key="09.2",
    title="macro F1 by hand",
    test=_test_macro_f1,
    hints=(
        "Macro F1 is the plain mean of one F1 per class, every class counted, including one the model never gets right.",
        "Answers usually go wrong by weighting classes by their size (that is the weighted average), by "
        "leaving out a class with no true positive instead of counting its F1 as 0, or by dividing 0 by 0 "
        "for a class that occurs nowhere. Boolean masks count each class's hits and misses.",
    ),
    solution=_solution_macro_f1,
    wrong_answers=[_weighted_f1, _skip_absent, lambda t, p, n: float(np.mean(t == p)), _f1_score_itself],
    other_answers=[_macro_f1_vectorised],
)

_REPORT = {
    "angry": {"precision": 0.70, "recall": 0.80, "f1-score": 0.747, "support": 96},
    "disgust": {"precision": 0.90, "recall": 0.25, "f1-score": 0.391, "support": 12},
    "fear": {"precision": 0.60, "recall": 0.55, "f1-score": 0.574, "support": 100},
    "happy": {"precision": 0.95, "recall": 0.90, "f1-score": 0.924, "support": 180},
    "sad": {"precision": 0.20, "recall": 0.60, "f1-score": 0.300, "support": 120},
    "surprise": {"precision": 0.85, "recall": 0.88, "f1-score": 0.865, "support": 80},
    "neutral": {"precision": 0.50, "recall": 0.40, "f1-score": 0.444, "support": 120},
    "accuracy": 0.69,
    "macro avg": {"precision": 0.671, "recall": 0.626, "f1-score": 0.607, "support": 708},
    "weighted avg": {"precision": 0.70, "recall": 0.69, "f1-score": 0.68, "support": 708},
}


def _test_least_recalled(fn):
    got = call(fn, {k: (dict(v) if isinstance(v, dict) else v) for k, v in _REPORT.items()})
    if got != "disgust":
        return (
            "in this report the class whose faces are found least often (lowest recall) is 'disgust' "
            f"(0.25); your function returned {got!r}. Skip the 'accuracy', 'macro avg' and 'weighted avg' entries."
        )
    return None


def _solution_least_recalled():
    def least_recalled(report):
        # the report also holds the accuracy (a number) and two averages, which are not classes
        classes = {
            name: row for name, row in report.items() if name not in ("accuracy", "macro avg", "weighted avg")
        }
        return min(classes, key=lambda name: classes[name]["recall"])  # the name whose recall is lowest

    return least_recalled


def _lowest_f1(report):
    rows = {k: v for k, v in report.items() if isinstance(v, dict) and "avg" not in k}
    return min(rows, key=lambda k: rows[k]["f1-score"])


def _lowest_precision(report):
    rows = {k: v for k, v in report.items() if isinstance(v, dict) and "avg" not in k}
    return min(rows, key=lambda k: rows[k]["precision"])


least_recalled = Exercise(
    key="09.3",
    title="the class the model misses most",
    test=_test_least_recalled,
    hints=(
        "The report dict also holds rows that are not classes; look at which keys it has.",
        "Answers usually trip over the entries that are not classes: 'accuracy' is a single number, not a "
        "row, and the two 'avg' rows are summaries; leave all three out. And the question is about recall, "
        "not precision or F1.",
    ),
    solution=_solution_least_recalled,
    wrong_answers=[_lowest_f1, _lowest_precision],
    other_answers=[
        lambda report: sorted(
            (row["recall"], name)
            for name, row in report.items()
            if isinstance(row, dict) and "recall" in row and "avg" not in name
        )[0][1]
    ],
)


_GOAL_TRUE = np.array([1, 1, 1, 1, 0, 0, 3, 3, 3, 3, 3, 6, 6, 4, 4, 1, 2, 2, 5, 1])
_GOAL_PRED = np.array([1, 1, 0, 6, 1, 0, 3, 3, 3, 1, 3, 6, 1, 4, 4, 1, 2, 1, 5, 4])


def _test_alert_metric(fn):
    got = call(fn, _GOAL_TRUE.copy(), _GOAL_PRED.copy())
    try:
        got = float(got)
    except (TypeError, ValueError):
        return f"return one number; your function returned {type(got).__name__}"
    called = _GOAL_PRED == 1
    precision = float(np.mean(_GOAL_TRUE[called] == 1))  # 3 of the 7 faces called disgust
    recall = float(np.mean(_GOAL_PRED[_GOAL_TRUE == 1] == 1))
    if abs(got - recall) < 1e-9:
        return (
            f"{got:.3f} is the share of disgusted faces the model finds (recall); the goal asks about the "
            "faces the model calls disgust"
        )
    if abs(got - precision) > 1e-9:
        return f"of the faces this model calls disgust, {precision:.3f} really are; your function returned {got:.3f}"
    return None


def _solution_alert_metric():
    import numpy as np

    def alert_metric(y_true, y_pred):
        called_disgust = y_pred == 1  # the faces the alarm would go off for
        # precision: the share of those alarms that are right, the moderator's question
        return float(np.mean(y_true[called_disgust] == 1))

    return alert_metric


alert_metric = Exercise(
    key="09.4",
    title="the metric that answers the question",
    test=_test_alert_metric,
    hints=(
        "Read the goal again: it is about the faces the model *calls* disgust, not about all the disgusted faces. "
        "Which of precision and recall starts from the model's answers?",
        "Answers usually start from the wrong faces: recall starts from the faces that are disgusted, "
        "precision from the faces the model calls disgust. Keep only the faces predicted as class 1, then "
        "ask what share of them really are.",
    ),
    solution=_solution_alert_metric,
    wrong_answers=[
        lambda t, p: float(np.mean(p[t == 1] == 1)),  # recall
        lambda t, p: float(np.mean(t == p)),  # accuracy
        lambda t, p: float(np.mean(p == 1)),  # how often it says disgust
    ],
    other_answers=[
        lambda t, p: __import__("sklearn.metrics", fromlist=["precision_score"]).precision_score(
            t, p, labels=[1], average="macro", zero_division=0
        ),
        lambda t, p: int(np.sum((p == 1) & (t == 1))) / int(np.sum(p == 1)),
    ],
)
