"""helpers.stats: the intervals agree with their textbook values and behave at the edges."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from helpers import stats


def test_wilson_interval_matches_the_published_example_and_stays_in_0_1():
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81 of 263 -> 0.2553 to 0.3662
    low, high = stats.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert stats.wilson_interval(0, 10)[0] == 0.0 and 0.2 < stats.wilson_interval(0, 10)[1] < 0.35
    assert stats.wilson_interval(10, 10)[1] == 1.0
    narrow, wide = stats.wilson_interval(90, 100), stats.wilson_interval(9, 10)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]  # more faces, a narrower interval
    with pytest.raises(ValueError):
        stats.wilson_interval(3, 2)


def test_bootstrap_interval_covers_the_score_and_narrows_with_more_faces():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 7, 2000)
    y_pred = np.where(rng.random(2000) < 0.8, y_true, (y_true + 1) % 7)  # 80 % right
    low, high = stats.bootstrap_interval(accuracy_score, y_true, y_pred, draws=300)
    assert low < accuracy_score(y_true, y_pred) < high and high - low < 0.05
    few = stats.bootstrap_interval(accuracy_score, y_true[:100], y_pred[:100], draws=300)
    assert few[1] - few[0] > high - low
    assert stats.bootstrap_interval(accuracy_score, y_true, y_pred, draws=300) == (low, high)  # seeded
    with pytest.raises(ValueError):
        stats.bootstrap_interval(accuracy_score, y_true, y_pred[:5])


def test_a_grouped_bootstrap_draws_near_copies_together_and_is_wider():
    rng = np.random.default_rng(3)
    takes = rng.random(40) < 0.8  # 40 takes of an expression, 80 % read right
    y_pred = np.repeat(np.where(takes, 1, 2), 5)  # each take filmed as 5 near-identical frames
    y_true = np.ones_like(y_pred)
    groups = np.repeat(np.arange(40), 5)
    plain = stats.bootstrap_interval(accuracy_score, y_true, y_pred, draws=400)
    grouped = stats.bootstrap_interval(accuracy_score, y_true, y_pred, draws=400, groups=groups)
    per_take = stats.bootstrap_interval(accuracy_score, y_true[::5], y_pred[::5], draws=400)
    assert grouped[1] - grouped[0] > 1.8 * (plain[1] - plain[0])  # 200 frames are 40 faces, not 200
    assert abs((grouped[1] - grouped[0]) - (per_take[1] - per_take[0])) < 0.06
    singles = stats.bootstrap_interval(accuracy_score, y_true, y_pred, draws=400, groups=np.arange(200))
    assert abs((singles[1] - singles[0]) - (plain[1] - plain[0])) < 0.03  # one face a group: the plain one
    with pytest.raises(ValueError, match="one group id per face"):
        stats.bootstrap_interval(accuracy_score, y_true, y_pred, groups=groups[:10])


def test_count_with_interval_says_the_count_first():
    assert stats.count_with_interval(2, 11) == "2 of 11 (18 %, 95 % interval 5-48 %)"


def _overconfident(n=3000, seed=0):
    """Labels and probabilities of a model that is right 60 % of the time but says about 95 %."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, n)
    predicted = np.where(rng.random(n) < 0.6, labels, (labels + rng.integers(1, 7, n)) % 7)
    probs = np.full((n, 7), 0.05 / 6)
    probs[np.arange(n), predicted] = 0.95
    return probs, labels


def test_calibration_bins_and_ece_see_an_overconfident_model():
    probs, labels = _overconfident()
    ((conf, acc, count),) = stats.calibration_bins(probs, labels)  # one group: every face at 95 %
    assert count == len(labels) and abs(conf - 0.95) < 1e-9 and abs(acc - 0.6) < 0.03
    assert abs(stats.expected_calibration_error(probs, labels) - 0.35) < 0.03
    with pytest.raises(ValueError):
        stats.calibration_bins(probs[:, 0], labels)


def test_temperature_scaling_keeps_the_answers_and_fixes_the_confidence():
    probs, labels = _overconfident()
    t = stats.fit_temperature(probs, labels)
    scaled = stats.apply_temperature(probs, t)
    assert t > 1  # an overconfident model is softened
    assert np.array_equal(scaled.argmax(axis=1), probs.argmax(axis=1))
    assert np.allclose(scaled.sum(axis=1), 1)
    assert stats.expected_calibration_error(scaled, labels) < 0.03
    assert np.allclose(stats.apply_temperature(probs, 1.0), probs)
    with pytest.raises(ValueError):
        stats.apply_temperature(probs, 0)


def test_paired_bootstrap_tells_a_real_difference_from_none():
    rng = np.random.default_rng(2)
    y_true = rng.integers(0, 7, 1000)
    good = np.where(rng.random(1000) < 0.9, y_true, (y_true + 1) % 7)
    worse = np.where(rng.random(1000) < 0.8, y_true, (y_true + 1) % 7)
    low, high = stats.paired_bootstrap_difference(accuracy_score, y_true, good, worse, draws=300)
    assert 0 < low < high  # about 10 points apart: the interval excludes 0
    twin = np.where(rng.random(1000) < 0.9, y_true, (y_true + 1) % 7)
    low, high = stats.paired_bootstrap_difference(accuracy_score, y_true, good, twin, draws=300)
    assert low < 0 < high  # the same skill: cannot tell
    with pytest.raises(ValueError):
        stats.paired_bootstrap_difference(accuracy_score, y_true, good, worse[:10])


def test_unsure_threshold_halves_the_error_rate_of_the_faces_still_named():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 400)
    confidence = rng.uniform(0.5, 1.0, 400)
    right = rng.uniform(size=400) < confidence  # surer faces are right more often
    answer = np.where(right, labels, (labels + 1) % 3)
    probs = np.full((400, 3), 0.0)
    probs[np.arange(400), answer] = confidence
    probs[np.arange(400), (answer + 1) % 3] = 1 - confidence
    right = probs.argmax(axis=1) == labels
    t = stats.unsure_threshold(probs, labels)
    named = probs.max(axis=1) >= t
    overall_error = 1 - right.mean()
    assert 1 - right[named].mean() <= 0.5 * overall_error
    lower = probs.max(axis=1)[probs.max(axis=1) < t]  # the next lower threshold is not good enough
    if len(lower):
        below = probs.max(axis=1) >= lower.max()
        assert 1 - right[below].mean() > 0.5 * overall_error
    assert 0 < named.mean() < 1
    assert stats.unsure_threshold(probs, answer) == 0.0  # no mistakes: never unsure
    with pytest.raises(ValueError, match="error_share"):
        stats.unsure_threshold(probs, labels, error_share=0)
