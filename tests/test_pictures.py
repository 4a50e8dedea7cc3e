"""helpers.pictures: the drawings of ideas compute what they show (a Haar feature's value, a
convolution's feature map) and name the parts a reader needs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import cv2  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import pictures  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig):
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")]
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    return " ".join(titles + texts)


def test_batch_picture_names_the_four_axes_and_refuses_other_shapes():
    fig = pictures.batch_picture(np.zeros((32, 48, 48, 1), np.uint8))
    text = _texts(fig)
    for part in ("N = 32", "H = 48", "W = 48", "C = 1", "(32, 48, 48, 1)"):
        assert part in text
    with pytest.raises(ValueError, match="got shape"):
        pictures.batch_picture(np.zeros((48, 48)))


def test_broadcasting_picture_shows_both_cases():
    text = _texts(pictures.broadcasting_picture())
    assert "(3, 7)  /  (3, 1)" in text and "(3, 7)  /  (7,)" in text


def test_haar_values_are_positive_where_the_face_has_the_pattern():
    face = np.full((40, 40), 200, np.uint8)
    face[10:18, 5:15] = face[10:18, 25:35] = 40  # two dark eyes, light between and below
    values = pictures.haar_values(face)
    assert all(v > 0 for v in values.values())
    assert all(v < 0 for v in pictures.haar_values(255 - face).values())  # the negative has the opposite
    fig, shown = pictures.haar_picture(face)
    assert shown == values and len(fig.axes) == len(pictures.HAAR_FEATURES)


def test_convolution_picture_computes_what_opencv_computes():
    rng = np.random.default_rng(0)
    image = rng.random((12, 10))
    weights = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float)
    fig, feature_map = pictures.convolution_picture(image, weights, at=(5, 4))
    expected = cv2.filter2D(image, -1, weights, borderType=cv2.BORDER_CONSTANT)
    assert np.allclose(feature_map, expected)
    assert f"= {feature_map[5, 4]:.2f}" in _texts(fig)
    with pytest.raises(ValueError):
        pictures.convolution_picture(image, np.ones((5, 5)), at=(1, 1))
