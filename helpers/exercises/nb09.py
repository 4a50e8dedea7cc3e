"""Exercises of notebook 09 (``sklearn.metrics``)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from helpers.data import CLASS_NAMES
from helpers.exercises import Exercise, call, close


def _f_beta_value(tp, fp, fn, beta, recall_weight=None, harmonic=True):
    """F-beta, or a mistaken variant: the weight on recall (beta squared unless given) and a
    harmonic or a plain weighted mean of precision and recall."""
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    weight = beta**2 if recall_weight is None else recall_weight
    if harmonic:
        return (1 + weight) / (1 / precision + weight / recall)
    return (precision + weight * recall) / (1 + weight)


def _test_f_beta(fn):
    cases = [  # (tp, fp, fn, beta)
        (3, 0, 9, 2),  # every alarm right, a quarter of the faces found: F2 stays low
        (1, 9, 0, 2),  # every face found, one alarm in ten right
        (6, 1, 3, 0.5),  # beta below 1: precision counts more
        (2, 6, 3, 3),
        (5, 5, 5, 1),  # beta 1 is F1
        (0, 0, 5, 2),  # no hit: 0.0, also when a division would be 0 by 0
        (0, 4, 0, 0.5),
        (0, 0, 0, 2),
    ]
    for tp, fp, fn_, beta in cases:
        try:
            got = call(fn, tp, fp, fn_, beta)
        except ZeroDivisionError:
            return (
                f"f_beta({tp}, {fp}, {fn_}, {beta}) divided by zero: with no true positive, precision or "
                "recall is 0 or undefined, so return 0.0 before dividing"
            )
        want = _f_beta_value(tp, fp, fn_, beta)
        if close(got, want):
            continue
        said = (
            f"with {tp} true positives, {fp} false positives, {fn_} false negatives and beta = {beta}, "
            f"F-beta is {want:.4f}; your function returned {got!r}"
        )
        if close(got, _f_beta_value(tp, fp, fn_, 1 / beta)):
            return f"{said}. That weighs precision more: the weight beta squared goes to 1/recall"
        if close(got, _f_beta_value(tp, fp, fn_, beta, recall_weight=beta)):
            return f"{said}. That weighs 1/recall by beta; its weight is beta squared"
        if close(got, _f_beta_value(tp, fp, fn_, beta, harmonic=False)):
            return (
                f"{said}. That is a weighted plain mean of precision and recall; F-beta, like F1, is "
                "harmonic: one over the weighted mean of 1/precision and 1/recall"
            )
        return said
    return None


def _solution_f_beta():
    def f_beta(tp, fp, fn, beta):
        if tp == 0:
            return 0.0  # no hit: precision or recall is 0 (or 0/0), and so is F-beta
        precision = tp / (tp + fp)  # of the faces called positive, the share that are
        recall = tp / (tp + fn)  # of the faces that are positive, the share found
        weight = beta**2  # recall's weight; precision's is 1
        # a harmonic mean, as for F1: one over the weighted mean of the reciprocals
        # (1 + weight is the sum of the weights), so a low one still pulls the score down
        return (1 + weight) / (1 / precision + weight / recall)

    return f_beta


def _f_beta_counts(tp, fp, fn, beta):
    if tp == 0:
        return 0.0
    return (1 + beta**2) * tp / ((1 + beta**2) * tp + beta**2 * fn + fp)


def _f_beta_product(tp, fp, fn, beta):
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


f_beta = Exercise(
    key="09.1",
    title="F-beta, when recall counts more",
    test=_test_f_beta,
    hints=(
        "F-beta is a weighted harmonic mean: find precision and recall from the counts, then take one over "
        "the weighted mean of their reciprocals.",
        "Answers usually go wrong in three places. The weight beta squared belongs to 1/recall, not to "
        "1/precision, and it is beta squared, not beta. The mean is taken of the reciprocals: a plain "
        "weighted mean of precision and recall comes out too high. And with no true positive a division "
        "by zero lurks, so that case must be answered before dividing.",
    ),
    solution=_solution_f_beta,
    wrong_answers=[
        lambda tp, fp, fn, beta: _f_beta_value(tp, fp, fn, 1 / beta),  # the weight on precision
        lambda tp, fp, fn, beta: _f_beta_value(tp, fp, fn, beta, recall_weight=beta),  # beta, not squared
        lambda tp, fp, fn, beta: _f_beta_value(tp, fp, fn, beta, harmonic=False),  # a plain weighted mean
        # the right formula, but 0 / 0 at (0, 0, 0)
        lambda tp, fp, fn, beta: (1 + beta**2) * tp / ((1 + beta**2) * tp + beta**2 * fn + fp),
    ],
    other_answers=[_f_beta_counts, _f_beta_product],
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
    key="09.2",
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
    key="09.3",
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


#: Each class's (faces found, faces of the class) in the check's two reports. The found counts
#: are chosen so that recall x support lands a hair below the whole number (61/103 x 103 gives
#: 60.99999...): a count cut off rather than rounded loses a face.
_FOUND_OF = {
    "a test set of 600 faces": {
        "angry": (31, 47),
        "disgust": (2, 11),
        "fear": (61, 103),
        "happy": (150, 178),
        "sad": (15, 22),
        "surprise": (53, 83),
        "neutral": (118, 156),
    },
    "20 faces, in which fear and surprise do not occur": {
        "angry": (3, 5),
        "disgust": (0, 1),
        "fear": (0, 0),
        "happy": (6, 7),
        "sad": (1, 3),
        "surprise": (0, 0),
        "neutral": (3, 4),
    },
}


def _labels_with(found_of):
    """True and predicted labels with the given (found, support) per class: each face not found
    is predicted as the next class, so precision differs from recall."""
    y_true, y_pred = [], []
    for k, name in enumerate(CLASS_NAMES):
        found, support = found_of[name]
        y_true += [k] * support
        y_pred += [k] * found + [(k + 1) % len(CLASS_NAMES)] * (support - found)
    return np.array(y_true), np.array(y_pred)


def _test_faces_found(fn):
    from sklearn.metrics import classification_report

    for what, found_of in _FOUND_OF.items():
        y_true, y_pred = _labels_with(found_of)
        report = classification_report(
            y_true, y_pred, labels=range(7), target_names=list(CLASS_NAMES), zero_division=0, output_dict=True
        )
        want = {name: found for name, (found, _) in found_of.items()}
        try:
            got = call(fn, report)
        except TypeError as exc:
            return (
                f"on the report of {what} your function raised TypeError: {exc}. Does it read every entry "
                "of the report? The 'accuracy' entry is one number, not a row with a recall and a support"
            )
        if not isinstance(got, dict):
            return (
                f"return a dictionary from class name to count; your function returned {type(got).__name__}"
            )
        extra = sorted(set(got) - set(want), key=str)
        if extra:
            return (
                f"on the report of {what} your dictionary also has {extra}: those entries of the report are "
                "not classes, so they found no faces of their own"
            )
        for name, count in want.items():
            if name not in got:
                return f"on the report of {what} your dictionary has no entry for {name!r}"
            value, (_, support) = got[name], found_of[name]
            said = (
                f"on the report of {what} the model found {count} of the {support} {name} faces; "
                f"your function returned {value!r}"
            )
            if close(value, count, tol=1e-6) and value != count:
                return f"{said}. That is the product before rounding: a count is a whole number"
            if value == count - 1:
                return (
                    f"{said}. The product of recall and support is a hair below {count} here, and cutting "
                    "off the decimals loses a face: round to the nearest whole number"
                )
            precision = report[name]["precision"]
            if close(value, round(precision * support)) and value != count:
                return (
                    f"{said}. That uses the precision, whose share is taken of the faces predicted {name}, "
                    "not of the faces that are"
                )
            if value != count:
                return f"{said}"
    return None


def _solution_faces_found():
    def faces_found(report):
        counts = {}
        for name, row in report.items():
            # 'accuracy' is one number, not a row; the two averages are rows, but not classes
            if name in ("accuracy", "macro avg", "weighted avg"):
                continue
            # recall = found / support, so found = recall x support. The product of two decimals
            # can land a hair below the whole number (60.99999...), so round it, never cut it off
            counts[name] = round(row["recall"] * row["support"])
        return counts

    return faces_found


def _faces_found_by_name(report):
    return {name: round(report[name]["recall"] * report[name]["support"]) for name in CLASS_NAMES}


def _faces_found_table(report):
    import pandas as pd

    table = pd.DataFrame(report).T.drop(index=["accuracy", "macro avg", "weighted avg"])
    return (table["recall"] * table["support"]).round().astype(int).to_dict()


faces_found = Exercise(
    key="09.4",
    title="back from recall to a count",
    test=_test_faces_found,
    hints=(
        "Recall is a share: the faces found over all the faces of the class, its support. Turn the share "
        "back into the count it came from.",
        "Answers usually go wrong in two places. The report holds three entries that are not classes: one "
        "is a bare number, two are averages. And the product of two decimals can land a hair below the "
        "whole number, so cutting off the decimals loses a face.",
    ),
    solution=_solution_faces_found,
    wrong_answers=[
        lambda report: {  # cuts off the decimals: 60.99999... becomes 60
            name: int(row["recall"] * row["support"])
            for name, row in report.items()
            if name not in ("accuracy", "macro avg", "weighted avg")
        },
        lambda report: {  # keeps the two average rows
            name: round(row["recall"] * row["support"]) for name, row in report.items() if name != "accuracy"
        },
        lambda report: {  # trips over the accuracy, a number
            name: round(row["recall"] * row["support"]) for name, row in report.items() if "avg" not in name
        },
        lambda report: {  # the precision's share is of the faces predicted as the class
            name: round(report[name]["precision"] * report[name]["support"]) for name in CLASS_NAMES
        },
        lambda report: {  # the product, not a count
            name: report[name]["recall"] * report[name]["support"] for name in CLASS_NAMES
        },
    ],
    other_answers=[_faces_found_by_name, _faces_found_table],
)
