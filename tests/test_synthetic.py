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
    assert tuple(synthetic.EXPRESSIONS) == CLASS_NAMES  # same order: the demo video relies on it


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
    assert p["fear"]["eyes"] > 1.1 and p["surprise"]["eyes"] > 1.2
    # the cues that tell the look-alike pairs apart (Facial Action Coding System)
    assert p["fear"]["knit"] > 0.3 > p["surprise"]["knit"]  # AU4: fear's brows pulled together
    assert p["fear"]["width"] > 1.1 > p["surprise"]["width"]  # AU20: fear's lips stretched
    assert p["angry"]["press"] > 0.4 > p["disgust"]["press"]  # AU23/24: lips pressed in anger
    assert p["disgust"]["sneer"] > 0.4 > p["angry"]["sneer"]  # AU10: disgust's upper lip raised
    assert p["happy"]["cheek"] > 0.4 > p["neutral"]["cheek"]  # AU6: the cheeks of a real smile
    assert p["sad"]["down"] > 0.3 and p["sad"]["chin"] > 0.3  # AU54/64 and AU17


def test_hard_pairs_are_closer_than_easy_pairs():
    p = {name: np.array(list(mean_params(name).values())) for name in CLASS_NAMES}

    def dist(a, b):
        return float(np.linalg.norm(p[a] - p[b]))

    assert dist("fear", "surprise") < dist("fear", "happy")
    assert dist("fear", "sad") < dist("fear", "happy")
    assert dist("angry", "disgust") < dist("angry", "surprise")


def test_every_parameter_is_documented_and_jittered():
    assert set(synthetic.JITTER) == set(synthetic.NEUTRAL)
    for name, setting in synthetic.EXPRESSIONS.items():
        assert set(setting) <= set(synthetic.NEUTRAL), name
    for key in synthetic.NEUTRAL:
        assert f"``{key}``" in synthetic.__doc__, key


def test_expressions_change_the_picture_where_the_cue_is():
    # The same face (same seed) drawn neutral and with one cue: the mouth cue changes the
    # lower half, the brow cue the upper half.
    def face(**cue):
        original = synthetic.expression_params
        synthetic.expression_params = lambda e, rng: {**original(e, rng), **synthetic.NEUTRAL, **cue}
        try:
            return synthetic.render_face("neutral", np.random.default_rng(3)).astype(float)
        finally:
            synthetic.expression_params = original

    plain = face()
    smile = np.abs(face(curve=1.0) - plain)  # the mouth is about 3/4 down the picture
    frown = np.abs(face(brow=-1.0, knit=1.0) - plain)  # the brows about 1/3 down
    assert smile[30:].mean() > 3 * smile[:16].mean()
    assert frown[:24].mean() > 3 * frown[32:].mean()


def test_weak_expressions_overlap_with_neutral():
    # Some sad faces are no more down-turned than some neutral ones: the set is not trivially separable.
    rng = np.random.default_rng(0)
    sad = [synthetic.expression_params("sad", rng)["curve"] for _ in range(500)]
    neutral = [synthetic.expression_params("neutral", rng)["curve"] for _ in range(500)]
    assert max(sad) > min(neutral)


# What the renderer draws, summarised (mean and spread of 8 faces per class, seed 0), for the
# generator version that draws it. A set on disk is redrawn only when data.GENERATOR_VERSION
# changes, so a change to how faces look must raise it: when this test fails after editing
# helpers/synthetic.py, raise GENERATOR_VERSION and write the new figures here.
DRAWN_BY = 3
MEANS = [112.1, 115.0, 98.1, 114.1, 107.9, 117.6, 106.0]
SPREADS = [56.6, 56.1, 57.3, 55.5, 48.4, 56.7, 52.4]


def test_a_change_to_the_faces_comes_with_a_new_generator_version():
    from helpers import data

    faces = synthetic.render_faces([c for c in CLASS_NAMES for _ in range(8)], seed=0)
    faces = faces.reshape(7, 8, 48, 48).astype(float)
    drawn = np.allclose(faces.mean(axis=(1, 2, 3)), MEANS, atol=0.3) and np.allclose(
        faces.std(axis=(1, 2, 3)), SPREADS, atol=0.3
    )
    assert drawn or data.GENERATOR_VERSION > DRAWN_BY, (
        "helpers.synthetic draws different faces: raise data.GENERATOR_VERSION so that sets on disk "
        "are redrawn, then update DRAWN_BY, MEANS and SPREADS in this test"
    )
    assert data.GENERATOR_VERSION == DRAWN_BY, "update DRAWN_BY, MEANS and SPREADS for the new version"
