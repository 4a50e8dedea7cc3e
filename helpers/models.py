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


def build_first_cnn(num_classes: int = 7, input_shape=(48, 48, 1), *, name: str = "first_cnn"):
    """The CNN that notebook 05 builds layer by layer (about 172 k parameters, uncompiled).

    Three blocks of Conv2D (ReLU) -> BatchNormalization -> MaxPooling2D, then Flatten,
    Dropout, a Dense(64) layer, Dropout and a softmax over the classes. Notebook 05 checks
    that its own code and this function build the same model; notebooks 06 and 07 use it.
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(64, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name=name,
    )


def compile_classifier(model, optimizer=None, *, learning_rate: float = 1e-3):
    """Compile ``model`` the course's way and return it: integer labels
    (``sparse_categorical_crossentropy``), accuracy reported; Adam unless an optimizer is given."""
    import keras

    model.compile(
        optimizer=optimizer if optimizer is not None else keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
