"""Small Keras models for 48x48 grey faces, sized for a laptop CPU.

The rescaling from 0-255 pixels to 0-1 is the model's first layer, so whoever feeds it
(training, evaluation, the webcam loop) passes raw ``uint8`` pixels and can never forget
to divide by 255.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
from keras import layers

from helpers import config
from helpers.errors import ModelFileError


def build_small_cnn(
    num_classes: int = 7,
    input_shape=(48, 48, 1),
    *,
    blocks=(16, 32, 64),
    dense: int = 0,
    dropout: float = 0.3,
    augment=False,
    name: str = "small_cnn",
):
    """A CNN of convolution blocks (conv-conv-pool each), then a small head.

    ``blocks`` gives each block's number of filters; block ``k`` ends in the layer
    ``relu<k>b`` and halves the picture (48 -> 24 -> 12 -> 6 -> 3). With the default three
    blocks of 16, 32 and 64 filters the model has about 73 k parameters and trains about 750
    images a second on two CPU cores. The head is global average pooling, dropout and the
    softmax; ``dense`` > 0 adds a hidden ``Dense(dense)`` layer with its own dropout before
    the softmax. ``augment=True`` puts :func:`augmentation` right after the rescaling
    (active only while training); a dict gives its settings, e.g. ``{"shift": 0.1}``. The
    model is returned uncompiled.

    Batch normalisation uses ``momentum=0.9`` rather than Keras' 0.99: with a few
    thousand faces an epoch is only ~100 steps, and the slower running averages would
    leave validation predictions lagging behind training for several epochs.
    """

    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=input_shape))
    model.add(layers.Rescaling(1.0 / 255, name="rescale"))
    if augment:
        model.add(augmentation(**(augment if isinstance(augment, dict) else {})))
    for block, filters in enumerate(blocks, start=1):
        model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{block}a"))
        model.add(layers.BatchNormalization(momentum=0.9, name=f"bn{block}a"))
        model.add(layers.Activation("relu", name=f"relu{block}a"))
        model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{block}b"))
        model.add(layers.BatchNormalization(momentum=0.9, name=f"bn{block}b"))
        model.add(layers.Activation("relu", name=f"relu{block}b"))
        model.add(layers.MaxPooling2D(2, name=f"pool{block}"))
    model.add(layers.GlobalAveragePooling2D(name="gap"))
    if dense:
        model.add(layers.Dropout(dropout, name="dropout_hidden"))
        model.add(layers.Dense(dense, activation="relu", name="hidden"))
    model.add(layers.Dropout(dropout, name="dropout"))
    model.add(layers.Dense(num_classes, activation="softmax", name="emotion"))
    return model


def build_emotion_cnn(num_classes: int = 7, input_shape=(48, 48, 1), *, augment=True, **settings):
    """Notebook 10's emotion CNN: :func:`build_small_cnn` with augmentation inside.

    Raw 0-255 pixels in -> rescaling -> random flips, turns, shifts and zooms (training
    only) -> three blocks of two 3x3 convolutions with batch normalisation and ReLU, each
    block ending in 2x2 max pooling (48 -> 24 -> 12 -> 6 pixels, 16 -> 32 -> 64 channels) ->
    global average pooling -> dropout -> softmax over the emotions. About 73 k parameters.
    The last convolution block's output is the layer ``relu3b`` (Grad-CAM reads it).
    ``settings`` (``blocks``, ``dense``, ``dropout``) change the design, as notebook 10's
    recipe for real FER2013 does; ``augment`` may be a dict of :func:`augmentation` settings.
    """
    return build_small_cnn(num_classes, input_shape, augment=augment, name="emotion_cnn", **settings)


def last_conv_layer(model) -> str:
    """The name of the last convolution block's output (``relu<k>b``), for Grad-CAM."""
    names = [
        layer.name for layer in model.layers if layer.name.startswith("relu") and layer.name.endswith("b")
    ]
    if not names:
        raise ValueError(f"{model.name} has no relu<k>b layer: it was not built by build_small_cnn")
    return names[-1]


#: Notebook 10's two recipes, one per data set (``config.DATASET`` picks one): the model's
#: design (:func:`build_emotion_cnn` settings) and its training settings. The synthetic faces
#: need only the small CNN; real FER2013, five times as many faces and far more varied, gets
#: the published recipes' choices (Arriaga et al., 2017; Khaireddin & Chen, 2021): capacity
#: where it is cheap (a fourth block at 6x6 and a hidden layer), augmentation of 10 % shifts
#: and zooms, more dropout, Adam at 1e-3. Its schedule is sized to a time budget: as many epochs
#: as the estimate before training says fit in ``budget_minutes`` (at most ``epochs``), with the
#: learning rate falling along a cosine over them. The recorded run on real FER2013, with the
#: synthetic recipe's plateau halving, ran 65 minutes while its validation accuracy stopped
#: improving after about 36 epochs (``helpers/recorded``).
RECIPES: dict[str, dict] = {
    "synthetic": {
        "model": {
            "blocks": (16, 32, 64),
            "dense": 0,
            "dropout": 0.3,
            "augment": {"degrees": 10, "shift": 0.05, "zoom": 0.05},
        },
        "learning_rate": 2e-3,
        "epochs": 15,  # full mode; fast mode (the tests) runs fast_epochs
        "fast_epochs": 3,
        "schedule": "plateau",  # ReduceLROnPlateau halves the learning rate
        "stop_patience": 4,  # EarlyStopping: epochs without a better validation loss
        "lr_patience": 2,  # ReduceLROnPlateau: epochs before the learning rate is halved
    },
    "fer2013": {
        "model": {
            "blocks": (16, 32, 64, 128),
            "dense": 128,
            "dropout": 0.4,
            "augment": {"degrees": 10, "shift": 0.1, "zoom": 0.1},
        },
        "learning_rate": 1e-3,
        "epochs": 40,  # at most: fewer if the budget allows fewer on this machine
        "fast_epochs": 2,
        "schedule": "cosine",  # from learning_rate down to 0 over the planned epochs
        "budget_minutes": 40,  # the CNN's training, at most (issue 28: under 45 minutes); no early stopping
    },
}


def balanced_class_weights(labels, num_classes: int = 7, power: float = 1.0) -> dict[int, float]:
    """Per-class loss weights that make every class count as much as the others in total:
    ``n / (num_classes * count)``, as scikit-learn's ``compute_class_weight("balanced")``.

    ``power`` < 1 tempers them (0.5: the square root), for when full weights make training
    unstable. A class with no examples gets weight 0 (there is nothing to weigh).
    """

    counts = np.bincount(np.asarray(labels, dtype=int), minlength=num_classes).astype(float)
    weights = np.divide(len(labels), num_classes * counts, out=np.zeros(num_classes), where=counts > 0)
    return {k: float(w**power) if w > 0 else 0.0 for k, w in enumerate(weights)}


def build_first_cnn(num_classes: int = 7, input_shape=(48, 48, 1), *, name: str = "first_cnn"):
    """The CNN that notebook 05 builds layer by layer (about 172 k parameters, uncompiled).

    Three blocks of Conv2D (ReLU) -> BatchNormalization -> MaxPooling2D, then Flatten,
    Dropout, a Dense(64) layer, Dropout and a softmax over the classes. Notebook 05 checks
    that its own code and this function build the same model; notebooks 06 and 07 use it.
    """

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

    model.compile(
        optimizer=optimizer if optimizer is not None else keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def augmentation(
    *, flip: bool = True, degrees: float = 10, shift: float = 0.05, zoom: float = 0.05, name="augment"
):
    """Random changes for training faces, as Keras layers (notebook 08's mild settings).

    Inside a model they act only while training (``fit``) and pass faces through untouched
    in ``evaluate`` and ``predict``; in a ``tf.data`` pipeline call them with ``training=True``.
    """

    steps = [layers.RandomFlip("horizontal")] if flip else []
    steps += [
        layers.RandomRotation(degrees / 360),  # Keras takes a fraction of a full turn
        layers.RandomTranslation(shift, shift),
        layers.RandomZoom(zoom),
    ]
    return keras.Sequential(steps, name=name)


def load_model(path, *, input_shape=(48, 48, 1), num_classes: int = 7):
    """Load a saved Keras model and check it fits the course: 48x48x1 faces in, 7 emotions out.

    Raises :class:`ModelFileError` with what to do when the file is missing, cannot be read
    (a corrupt or half-written file, a different Keras), or is some other model.
    """

    path = Path(path)
    if not path.is_file():
        raise ModelFileError(
            f"No trained model at {path}. Train one with notebook 10 "
            "(`python3 course.py run 10`), or give the path of a .keras file you trained."
        )
    if path.suffix not in (".keras", ".h5"):
        raise ModelFileError(
            f"{path.name} is not a Keras model file: expected a .keras (or legacy .h5) file."
        )
    try:
        model = keras.saving.load_model(path)
    except Exception as exc:  # zip errors, HDF5 errors, unknown layers ...
        raise ModelFileError(
            f"{path} could not be read as a Keras model ({type(exc).__name__}: {exc}). "
            "It may be corrupt or half-written: delete it and train again (notebook 10)."
        ) from exc
    got_in = tuple(model.input_shape[1:]) if hasattr(model, "input_shape") else None
    got_out = model.output_shape[-1] if hasattr(model, "output_shape") else None
    if got_in != tuple(input_shape) or got_out != num_classes:
        raise ModelFileError(
            f"{path.name} takes inputs {got_in} and gives {got_out} outputs; the course's emotion models "
            f"take {tuple(input_shape)} grey faces and give {num_classes} emotion scores."
        )
    # One call on a blank face: a reloaded Sequential model defines its layers' outputs only
    # when called (keras.Model(model.inputs, layer.output) needs them), and it warms it up.
    model(np.zeros((1, *input_shape), "float32"), training=False)
    return model


def calibration_path(model_path) -> Path:
    """Where a model's calibration is kept: beside it, ``<name>.calibration.json``."""
    return Path(model_path).with_suffix(".calibration.json")


def save_calibration(model_path, *, temperature: float, unsure_below: float) -> Path:
    """Write the calibration notebook 10 fits on the validation faces beside the model file:
    the ``temperature`` that makes its percentages honest (:func:`helpers.stats.fit_temperature`)
    and the confidence below which a face is called unsure (:func:`helpers.stats.unsure_threshold`).
    It belongs to that model file: write it when the model is trained or when it has none."""
    import json

    if not temperature > 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    path = calibration_path(model_path)
    path.write_text(
        json.dumps({"temperature": float(temperature), "unsure_below": float(unsure_below)}) + "\n"
    )
    return path


def load_calibration(model_path) -> dict | None:
    """The calibration saved beside ``model_path`` (``{"temperature", "unsure_below"}``), or
    ``None`` when there is none (a model trained before notebook 10 saved calibrations).
    Raises :class:`ModelFileError` when the file is there but unreadable."""
    import json

    path = calibration_path(model_path)
    if not path.is_file():
        return None
    try:
        saved = json.loads(path.read_text())
        calibration = {
            "temperature": float(saved["temperature"]),
            "unsure_below": float(saved["unsure_below"]),
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(
            f"{path} is not a calibration file notebook 10 wrote ({type(exc).__name__}: {exc}). "
            "Delete it and run notebook 10 again: it writes a new one for the saved model."
        ) from exc
    if not calibration["temperature"] > 0:
        raise ModelFileError(
            f"{path} holds a temperature of {calibration['temperature']}: it must be positive."
        )
    return calibration


def default_model_path() -> Path:
    """The model notebook 10 saves for the selected data set (notebook 11, ``course.py live``
    and the webcam widget look for it there)."""
    return config.MODELS_DIR / f"10_emotion_cnn_{config.DATASET}.keras"
