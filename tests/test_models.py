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
    import keras

    root = data.ensure_dataset(config.SYNTHETIC_DIR, verbose=False)  # the fast-mode set
    splits = data.load_dataset(root)
    train, val = splits["train"], splits["val"]
    config.set_seed(0)
    model = models.build_small_cnn()
    model.compile(
        optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(data.add_channel(train.images), train.labels, epochs=6, batch_size=16, verbose=0)
    predicted = model.predict(data.add_channel(val.images), verbose=0).argmax(axis=1)
    accuracy = float(np.mean(predicted == val.labels))
    majority = np.bincount(val.labels).max() / len(val)
    print(f"validation accuracy {accuracy:.3f}, majority baseline {majority:.3f}")
    assert accuracy > majority + 0.1, "a small CNN should beat always-say-happy clearly"
    assert accuracy < 0.99, "the synthetic set should not be trivially separable"
