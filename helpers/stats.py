"""How sure a score is, and how sure a model says it is.

Intervals for a share counted on a few faces, and for any score by resampling the faces
(notebook 09 writes both and checks that they agree with these); calibration, whether a model
that says 80 % is right 80 % of the time, and temperature scaling to make it so (notebook 10).

A share such as a recall of 2 of 11 faces is a count, not a precise rate: report the count
and an interval around it. :func:`wilson_interval` gives the 95 % Wilson score interval of a
share, :func:`bootstrap_interval` the 95 % percentile interval of any score by drawing the
test faces again with replacement.
"""

from __future__ import annotations

import math

import numpy as np

Z_95 = 1.959963984540054  # the normal distribution's 97.5 % point: a 95 % interval


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the share ``k / n`` (95 % by default).

    >>> [round(v, 3) for v in wilson_interval(2, 11)]
    [0.051, 0.477]

    Unlike ``share ± z * standard error`` it stays between 0 and 1, and it is still useful
    when ``k`` is 0 or ``n``. ``n`` must be positive and ``0 <= k <= n``.
    """
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if k == 0 else max(0.0, centre - half)  # exactly 0 and 1 at the ends, not 1e-17 off
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def bootstrap_interval(
    score, y_true, y_pred, *, draws: int = 1000, seed: int = 0, groups=None
) -> tuple[float, float]:
    """The 95 % percentile bootstrap interval of ``score(y_true, y_pred)``.

    The faces are drawn again ``draws`` times, with replacement, each time as many as there
    are; the score is computed on each draw, and the interval runs from the 2.5th to the 97.5th
    percentile of those scores. It says how much the score would move on another test set of
    the same size (not how it would move with another training run: that is the spread over
    seeds).

    ``groups`` (one id per face) draws whole groups instead of single faces: frames of a video
    a fraction of a second apart are near-copies, not independent faces, so they are drawn
    together (notebook 12). With every face its own group this is the plain bootstrap.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if len(y_true) != len(y_pred) or len(y_true) == 0:
        raise ValueError(
            f"need two equally long, non-empty label arrays, got {len(y_true)} and {len(y_pred)}"
        )
    members = None
    if groups is not None:
        groups = np.asarray(groups)
        if len(groups) != len(y_true):
            raise ValueError(f"need one group id per face: {len(groups)} ids for {len(y_true)} faces")
        members = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(draws):
        if members is None:
            pick = rng.integers(0, len(y_true), len(y_true))
        else:
            pick = np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
        scores.append(score(y_true[pick], y_pred[pick]))
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


def count_with_interval(k: int, n: int) -> str:
    """``"2 of 11 (18 %, 95 % interval 5-48 %)"``: a share as its count, with its Wilson interval."""
    low, high = wilson_interval(k, n)
    return f"{k} of {n} ({100 * k / n:.0f} %, 95 % interval {100 * low:.0f}-{100 * high:.0f} %)"


# --- calibration: do the model's percentages mean what they say? (notebooks 10 and 11) ---


def calibration_bins(probs, labels, bins: int = 10):
    """The faces grouped by the model's confidence (its top probability), ``bins`` equal-width
    groups from 0 to 1: for each non-empty group, ``(mean confidence, accuracy, count)``.

    A calibrated model is right about 80 % of the time when it says 80 %: its accuracy in
    each group is close to its mean confidence there.
    """
    probs, labels = np.asarray(probs, dtype=np.float64), np.asarray(labels)
    if probs.ndim != 2 or len(probs) != len(labels) or len(labels) == 0:
        raise ValueError(
            f"need (N, classes) probabilities and N labels, got {probs.shape} and {labels.shape}"
        )
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return [
        (float(confidence[which == b].mean()), float(right[which == b].mean()), int(np.sum(which == b)))
        for b in range(bins)
        if np.any(which == b)
    ]


def expected_calibration_error(probs, labels, bins: int = 10) -> float:
    """The gap between confidence and accuracy, averaged over the faces (ECE): the mean over
    :func:`calibration_bins` of ``|confidence - accuracy|``, each group weighted by its size.
    0 for a perfectly calibrated model."""
    groups = calibration_bins(probs, labels, bins)
    total = sum(n for _, _, n in groups)
    return float(sum(n * abs(conf - acc) for conf, acc, n in groups) / total)


def apply_temperature(probs, temperature: float):
    """Soften (``temperature`` > 1) or sharpen (< 1) softmax probabilities: the softmax of
    ``log(probs) / temperature``. The top class never changes, only how sure the model says
    it is."""
    if temperature <= 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    logits = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(probs, labels, grid=None) -> float:
    """The temperature that gives ``labels`` the lowest cross-entropy, searched on ``grid``
    (by default 0.25 to 10, in 200 steps evenly spaced on a log scale). Fit it on validation
    faces, never on the test faces it will be judged on."""
    labels = np.asarray(labels)
    grid = np.geomspace(0.25, 10, 200) if grid is None else np.asarray(grid, dtype=np.float64)

    def loss(t):
        scaled = apply_temperature(probs, t)
        return -np.mean(np.log(np.clip(scaled[np.arange(len(labels)), labels], 1e-12, 1.0)))

    return float(grid[int(np.argmin([loss(t) for t in grid]))])


def unsure_threshold(probs, labels, error_share: float = 0.5) -> float:
    """The lowest confidence at which a model should still name an emotion, chosen on
    validation faces: below it the face is called *unsure*, and the faces it still names
    have at most ``error_share`` of the mistakes the model makes over all faces (0.5: half
    the error rate). Returns 0.0 (never unsure) when the model makes no mistake on them.

    The model's mistakes sit mostly at low confidence, so leaving those faces out lowers the
    error rate among the rest; the price is the share of faces left without an answer.
    """
    probs, labels = np.asarray(probs, dtype=np.float64), np.asarray(labels)
    if probs.ndim != 2 or len(probs) != len(labels) or len(labels) == 0:
        raise ValueError(
            f"need (N, classes) probabilities and N labels, got {probs.shape} and {labels.shape}"
        )
    if not 0 < error_share <= 1:
        raise ValueError(f"error_share must be in (0, 1], got {error_share}")
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels
    overall_error = 1 - right.mean()
    if overall_error == 0:
        return 0.0
    # The thresholds worth trying are the faces' own confidences: between two of them, the
    # same faces are named. Sorted from the surest face down, the faces named at the k-th
    # confidence are the first k, so running sums give every threshold's error rate at once.
    order = np.argsort(-confidence, kind="stable")
    wrong_so_far = np.cumsum(~right[order])
    error = wrong_so_far / np.arange(1, len(order) + 1)
    last_of_value = np.r_[confidence[order][1:] != confidence[order][:-1], True]  # ties: all named together
    good = last_of_value & (error <= error_share * overall_error)
    if not good.any():
        return math.inf  # no threshold is good enough: every face is unsure
    return float(
        confidence[order][np.flatnonzero(good)[-1]]
    )  # the lowest good threshold names the most faces


def paired_bootstrap_difference(score, y_true, pred_a, pred_b, *, draws: int = 1000, seed: int = 0):
    """The 95 % interval of ``score(y_true, pred_a) - score(y_true, pred_b)``: two models scored
    on the same faces, each draw taking the same faces for both (a paired bootstrap). If the
    interval contains 0, these faces cannot tell the two models apart."""
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    if not len(y_true) == len(pred_a) == len(pred_b) or len(y_true) == 0:
        raise ValueError("need three equally long, non-empty label arrays")
    both = np.column_stack([pred_a, pred_b])  # one row per face: a draw keeps each face's pair together
    return bootstrap_interval(
        lambda t, p: score(t, p[:, 0]) - score(t, p[:, 1]), y_true, both, draws=draws, seed=seed
    )
