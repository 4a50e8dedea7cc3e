"""helpers.models, and the promise of the synthetic set: a small CNN learns it well above
chance in a few epochs, but not perfectly."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import config, data, models


def test_small_cnn_shapes_and_rescaling_inside():
    model = models.build_small_cnn()
    assert model.input_shape == (None, 48, 48, 1)
    assert model.output_shape == (None, 7)
    assert model.layers[0].name == "rescale"  # raw 0-255 pixels go in
    probs = model.predict(np.zeros((2, 48, 48, 1), np.uint8), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.slow
def test_synthetic_set_is_learnable_but_not_trivial():

    root = data.ensure_dataset(config.SYNTHETIC_DIR, verbose=False)  # the fast-mode set
    splits = data.load_dataset(root)
    train, val = splits["train"], splits["val"]
    config.set_seed(0)
    model = models.compile_classifier(models.build_small_cnn(), learning_rate=2e-3)
    model.fit(data.add_channel(train.images), train.labels, epochs=3, batch_size=32, verbose=0)
    predicted = model.predict(data.add_channel(val.images), verbose=0).argmax(axis=1)
    accuracy = float(np.mean(predicted == val.labels))
    majority = np.bincount(val.labels).max() / len(val)
    print(f"validation accuracy {accuracy:.3f}, majority baseline {majority:.3f}")
    assert accuracy > majority + 0.1, "a small CNN should beat always-say-happy clearly"
    assert accuracy < 0.99, "the synthetic set should not be trivially separable"


def test_first_cnn_matches_the_hand_count_of_notebook_05():
    model = models.build_first_cnn()
    assert model.input_shape == (None, 48, 48, 1) and model.output_shape == (None, 7)
    conv = (3 * 3 * 1 + 1) * 16 + (3 * 3 * 16 + 1) * 32 + (3 * 3 * 32 + 1) * 64
    batch_norm = 4 * (16 + 32 + 64)  # gamma, beta, moving mean, moving variance
    dense = (6 * 6 * 64 + 1) * 64 + (64 + 1) * 7
    assert model.count_params() == conv + batch_norm + dense == 171_719
    assert type(model.layers[0]).__name__ == "Rescaling"


def test_compile_classifier_defaults_and_custom_optimizer():
    import keras

    model = models.compile_classifier(models.build_first_cnn())
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert model.loss == "sparse_categorical_crossentropy"
    sgd = models.compile_classifier(models.build_first_cnn(), keras.optimizers.SGD(0.01, momentum=0.9))
    assert isinstance(sgd.optimizer, keras.optimizers.SGD)


def _tiny_model():
    import keras

    return models.compile_classifier(
        keras.Sequential(
            [
                keras.Input((48, 48, 1)),
                keras.layers.Rescaling(1 / 255),
                keras.layers.Flatten(),
                keras.layers.Dense(7, activation="softmax"),
            ]
        )
    )


def test_augmentation_changes_faces_only_while_training():
    faces = np.random.default_rng(0).integers(0, 256, (4, 48, 48, 1)).astype("float32")
    augment = models.augmentation()
    assert np.array_equal(np.asarray(augment(faces, training=False)), faces)
    assert not np.array_equal(np.asarray(augment(faces, training=True)), faces)


def test_load_model_says_what_is_wrong(tmp_path):
    with pytest.raises(models.ModelFileError, match="No trained model .*notebook 10"):
        models.load_model(tmp_path / "missing.keras")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(models.ModelFileError, match="not a Keras model file"):
        models.load_model(tmp_path / "notes.txt")
    (tmp_path / "broken.keras").write_bytes(b"half a zip file")
    with pytest.raises(models.ModelFileError, match="corrupt or half-written"):
        models.load_model(tmp_path / "broken.keras")
    import keras

    other = keras.Sequential([keras.Input((10,)), keras.layers.Dense(2)])
    other.save(tmp_path / "other.keras")
    with pytest.raises(models.ModelFileError, match=r"takes inputs \(10,\)"):
        models.load_model(tmp_path / "other.keras")


def test_calibration_is_saved_beside_the_model_and_checked_on_load(tmp_path):
    model_path = tmp_path / "m.keras"
    assert models.load_calibration(model_path) is None  # none saved: the caller falls back
    path = models.save_calibration(model_path, temperature=1.7, unsure_below=0.55)
    assert path == tmp_path / "m.calibration.json"
    assert models.load_calibration(model_path) == {"temperature": 1.7, "unsure_below": 0.55}
    path.write_text('{"temperature": 1.7}')
    with pytest.raises(models.ModelFileError, match="Delete it and run notebook 10"):
        models.load_calibration(model_path)
    with pytest.raises(ValueError, match="positive"):
        models.save_calibration(model_path, temperature=0, unsure_below=0.5)
