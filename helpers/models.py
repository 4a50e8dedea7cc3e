"""Small Keras models for 48x48 grey faces, sized for a laptop CPU.

The rescaling from 0-255 pixels to 0-1 is the model's first layer, so whoever feeds it
(training, evaluation, the webcam loop) passes raw ``uint8`` pixels and can never forget
to divide by 255.
"""

from __future__ import annotations

from helpers import config  # noqa: F401  (quiets TensorFlow before it is imported)


def build_small_cnn(
    num_classes: int = 7,
    input_shape=(48, 48, 1),
    *,
    width: int = 16,
    dropout: float = 0.3,
    name: str = "small_cnn",
):
    """A three-block CNN (conv-conv-pool x3, then a small dense head).

    ``width`` is the number of filters of the first block; each block doubles it. With
    the default 16 the model has about 73 k parameters and trains about 300 images a
    second on two CPU cores. The model is returned uncompiled.

    Batch normalisation uses ``momentum=0.9`` rather than Keras' 0.99: with a few
    thousand faces an epoch is only ~100 steps, and the slower running averages would
    leave validation predictions lagging behind training for several epochs.
    """
    import keras
    from keras import layers

    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=input_shape))
    model.add(layers.Rescaling(1.0 / 255, name="rescale"))
    for block, filters in enumerate((width, width * 2, width * 4), start=1):
        model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{block}a"))
        model.add(layers.BatchNormalization(momentum=0.9, name=f"bn{block}a"))
        model.add(layers.Activation("relu", name=f"relu{block}a"))
        model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{block}b"))
        model.add(layers.BatchNormalization(momentum=0.9, name=f"bn{block}b"))
        model.add(layers.Activation("relu", name=f"relu{block}b"))
        model.add(layers.MaxPooling2D(2, name=f"pool{block}"))
    model.add(layers.GlobalAveragePooling2D(name="gap"))
    model.add(layers.Dropout(dropout, name="dropout"))
    model.add(layers.Dense(num_classes, activation="softmax", name="emotion"))
    return model
