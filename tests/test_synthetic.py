"""helpers.synthetic: the procedural faces carry their expression cues."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import synthetic
from helpers.data import CLASS_NAMES


def mean_params(emotion, n=400, seed=0):
    rng = np.random.default_rng(seed)
    samples = [synthetic.expression_params(emotion, rng) for _ in range(n)]
    return {k: float(np.mean([s[k] for s in samples])) for k in synthetic.NEUTRAL}


def test_every_fer_class_has_an_expression():
    assert set(synthetic.EXPRESSIONS) == set(CLASS_NAMES)


def test_render_face_shape_dtype_and_determinism():
    a = synthetic.render_face("happy", np.random.default_rng(5))
    b = synthetic.render_face("happy", np.random.default_rng(5))
    assert a.shape == (48, 48) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert a.std() > 10  # a picture, not a flat square


def test_render_faces_batch():
    faces = synthetic.render_faces(["sad", "fear", "neutral"], seed=1)
    assert faces.shape == (3, 48, 48)
    assert synthetic.render_faces([], seed=1).shape == (0, 48, 48)


def test_unknown_emotion_is_rejected():
    with pytest.raises(ValueError, match="unknown emotion 'contempt'"):
        synthetic.render_face("contempt", np.random.default_rng(0))


def test_expression_cues_point_the_right_way():
    p = {name: mean_params(name) for name in CLASS_NAMES}
    assert p["happy"]["curve"] > 0.4 > p["neutral"]["curve"] > p["sad"]["curve"]
    assert p["surprise"]["open"] > p["fear"]["open"] > p["neutral"]["open"]
    assert p["angry"]["tilt"] < 0 < p["sad"]["tilt"]  # frown vs raised inner brows
    assert p["disgust"]["wrinkle"] > p["angry"]["wrinkle"] > p["happy"]["wrinkle"]
    assert p["fear"]["eyes"] > 1.2 and p["surprise"]["eyes"] > 1.2


def test_hard_pairs_are_closer_than_easy_pairs():
    p = {name: np.array(list(mean_params(name).values())) for name in CLASS_NAMES}

    def dist(a, b):
        return float(np.linalg.norm(p[a] - p[b]))

    assert dist("sad", "neutral") < dist("happy", "neutral")
    assert dist("fear", "surprise") < dist("fear", "happy")
    assert dist("angry", "disgust") < dist("angry", "surprise")


def test_weak_expressions_overlap_with_neutral():
    # Some sad faces are no more down-turned than some neutral ones: the set is not trivially separable.
    rng = np.random.default_rng(0)
    sad = [synthetic.expression_params("sad", rng)["curve"] for _ in range(500)]
    neutral = [synthetic.expression_params("neutral", rng)["curve"] for _ in range(500)]
    assert max(sad) > min(neutral)
