"""Exercises of notebook 09 (``sklearn.metrics``)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from helpers.data import CLASS_NAMES
from helpers.exercises import Exercise, ReturnedNone, call, close


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


# Scores and labels for the alarm cases. In the first, the alarm's precision dips and rises
# again as the threshold falls: from the top, 1/1, 1/2, 2/3, 3/4, 4/5, 4/6, 5/7, ... Labels are
# all seven classes, disgust is 1, so a check of "not zero" is not a check of "disgust".
_ALARM_P = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1])
_ALARM_TRUE = np.array([1, 3, 1, 1, 1, 0, 1, 6, 2, 1])
_ALARM_CASES = (
    # (p_disgust, y_true, min_precision, the lowest threshold precise enough)
    (_ALARM_P, _ALARM_TRUE, 0.75, 0.7),  # the first failure (0.9) is not the last word
    (_ALARM_P, _ALARM_TRUE, 0.8, 0.7),  # 4 of 5 right is "at least 0.8"
    (_ALARM_P[::-1], _ALARM_TRUE[::-1], 0.6, 0.1),  # any order; every face may raise the alarm
    (np.array([0.3, 0.9, 0.6, 0.6]), np.array([1, 4, 1, 5]), 0.5, 0.3),  # ties: one face right, one not
    (np.array([0.9, 0.6, 0.6]), np.array([4, 1, 5]), 0.5, float("inf")),  # both tied faces ring, or neither
    (np.array([0.9, 0.5]), np.array([1, 0]), 0.5, 0.5),  # a candidate need not be a disgusted face's
    (np.array([0.9, 0.6, 0.6, 0.3]), np.array([1, 1, 5, 4]), 0.7, 0.9),  # at 0.6 both tied faces ring: 2 of 3
    (np.array([0.9, 0.4, 0.2]), np.array([0, 1, 5]), 0.6, float("inf")),  # never precise enough
)


def _test_alarm_threshold(fn):
    for p, y_true, min_precision, want in _ALARM_CASES:
        try:
            got = call(fn, p.copy(), y_true.copy(), min_precision)
        except ReturnedNone:
            if want != float("inf"):
                raise
            return (
                f"for p_disgust {p.tolist()}, y_true {y_true.tolist()}, min_precision {min_precision}, no threshold "
                "is precise enough, and your function returned None: return float('inf') then"
            )
        if not close(got, want):
            shown = f"p_disgust {p.tolist()}, y_true {y_true.tolist()}, min_precision {min_precision}"
            message = (
                f"for {shown}, the lowest threshold precise enough is {want}; your function returned {got!r}"
            )
            return message + _alarm_precisions(p, y_true, got, want)
    return None


def _alarm_precisions(p, y_true, got, want):
    """What the alarm does at the two thresholds, for a message: how many alarms, how many right."""
    said = []
    for threshold in (got, want):
        try:
            alarm = p >= float(threshold)
        except (TypeError, ValueError):
            continue
        if alarm.any():
            rings, right = int(alarm.sum()), int(np.sum(y_true[alarm] == 1))
            faces = "face" if rings == 1 else "faces"
            said.append(f"at {float(threshold)} the alarm rings for {rings} {faces}, {right} of them disgust")
    return " (" + "; ".join(said) + ")" if said else ""


def _solution_alarm_threshold():
    import numpy as np

    def alarm_threshold(p_disgust, y_true, min_precision):
        for threshold in np.unique(p_disgust):  # every value once, lowest first
            alarm = p_disgust >= threshold  # the faces that would raise the alarm
            precision = np.mean(y_true[alarm] == 1)  # the share of alarms that are disgust
            if precision >= min_precision:
                # the lowest threshold that is precise enough raises the most alarms, so it finds
                # as many disgusted faces as any precise-enough threshold: recall never rises as
                # the threshold rises (a lower one may add false alarms without finding more)
                return float(threshold)
        return float("inf")  # no threshold is precise enough: an alarm that never rings

    return alarm_threshold


def _alarm_threshold_curve(p_disgust, y_true, min_precision):
    from sklearn.metrics import precision_recall_curve

    precision, _, thresholds = precision_recall_curve(y_true == 1, p_disgust)
    good = thresholds[precision[:-1] >= min_precision]
    return float(good.min()) if len(good) else float("inf")


def _alarm_threshold_top_down(p_disgust, y_true, min_precision):
    """Walk down from the most confident face, counting alarms and right alarms."""
    order = np.argsort(-p_disgust, kind="stable")
    best, right = float("inf"), 0
    for n, i in enumerate(order, start=1):
        right += int(y_true[i] == 1)
        last_of_tie = n == len(order) or p_disgust[order[n]] != p_disgust[i]
        if last_of_tie and right / n >= min_precision:
            best = float(p_disgust[i])
    return best


def _stops_at_first_shortfall(p_disgust, y_true, min_precision):
    best = float("inf")
    for threshold in np.sort(np.unique(p_disgust))[::-1]:
        if np.mean(y_true[p_disgust >= threshold] == 1) < min_precision:
            break
        best = float(threshold)
    return best


def _ties_split(p_disgust, y_true, min_precision):
    """Cumulative precision down the sorted faces: a tie can ring for one face and not the other."""
    order = np.argsort(-p_disgust, kind="stable")
    precision = np.cumsum(y_true[order] == 1) / np.arange(1, len(order) + 1)
    good = np.flatnonzero(precision >= min_precision)
    return float(p_disgust[order][good[-1]]) if len(good) else float("inf")


def _disgusted_faces_only(p_disgust, y_true, min_precision):
    """Candidates only among the disgusted faces' probabilities."""
    for threshold in np.sort(p_disgust[y_true == 1]):
        if np.mean(y_true[p_disgust >= threshold] == 1) >= min_precision:
            return float(threshold)
    return float("inf")


def _alarm_variant(
    p_disgust, y_true, min_precision, at=np.greater_equal, enough=np.greater_equal, find="precision"
):
    for threshold in np.sort(np.unique(p_disgust)):
        alarm = at(p_disgust, threshold)
        if find == "recall":
            score = np.mean(alarm[y_true == 1])
        else:
            score = np.mean(y_true[alarm] == 1) if alarm.any() else 0.0
        if enough(score, min_precision):
            return float(threshold)
    return float("inf")


alarm_threshold = Exercise(
    key="09.2",
    title="an alarm that is right often enough",
    test=_test_alarm_threshold,
    hints=(
        "Each candidate threshold gives its own set of alarms, and so its own precision. Lowering the "
        "threshold can only add alarms, so it never finds fewer disgusted faces.",
        "Answers usually go wrong in three places. Precision can dip and rise again as the threshold falls, "
        "so a candidate that falls short does not end the search. A face exactly at the threshold raises "
        "the alarm. 'At least' lets a precision equal to the target through. And y_true holds all seven "
        "classes: a disgusted face is one whose class is 1.",
    ),
    solution=_solution_alarm_threshold,
    wrong_answers=[
        _stops_at_first_shortfall,  # walks down from the top and stops at the first shortfall
        _ties_split,
        _disgusted_faces_only,
        lambda p, t, m: _alarm_variant(p, t, m, at=np.greater),  # a face at the threshold raises no alarm
        lambda p, t, m: _alarm_variant(p, t, m, enough=np.greater),  # equal to the target is not enough
        lambda p, t, m: _alarm_variant(p, t, m, find="recall"),  # the share of disgusted faces found
        lambda p, t, m: float(
            max((th for th in np.unique(p) if np.mean(t[p >= th] == 1) >= m), default=float("inf"))
        ),  # the highest threshold precise enough: fewest faces found
        lambda p, t, m: _alarm_variant(p, t.astype(bool).astype(int), m),  # any class but angry as disgust
    ],
    other_answers=[_alarm_threshold_curve, _alarm_threshold_top_down],
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
