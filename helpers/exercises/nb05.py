"""Exercises of notebook 05 (``tensorflow`` / Keras)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises import Exercise, call


def _test_conv_params(fn):
    cases = [((3, 1, 16), 160), ((3, 16, 32), 4640), ((5, 3, 8), 608), ((1, 64, 10), 650)]
    for args, want in cases:
        got = call(fn, *args)
        if got != want:
            return (
                f"a Conv2D with a {args[0]}x{args[0]} kernel, {args[1]} input channel(s) and {args[2]} "
                f"filters has {want} parameters; your function returned {got!r}"
            )
    return None


def _solution_conv_params():
    def conv_params(kernel_size, in_channels, filters):
        weights_per_filter = kernel_size * kernel_size * in_channels
        return (weights_per_filter + 1) * filters  # + 1: each filter's bias

    return conv_params


conv_params = Exercise(
    key="05.1",
    title="count a Conv2D layer's parameters",
    test=_test_conv_params,
    hints=(
        "Count what one filter holds, then multiply by the number of filters.",
        "A filter has one weight per kernel position and input channel, kernel_size times kernel_size times in_channels, plus one bias.",
    ),
    solution=_solution_conv_params,
    wrong_answers=[
        lambda k, c, f: k * k * c * f,
        lambda k, c, f: (k * k + 1) * f,
        lambda k, c, f: (k * k * f + 1) * c,
    ],
    other_answers=[lambda k, c, f: k * k * c * f + f],
)


def _test_flatten_size(fn):
    cases = [((48, 3, 64), 2304), ((48, 2, 32), 4608), ((45, 3, 8), 200), ((48, 0, 1), 2304)]
    for args, want in cases:
        got = call(fn, *args)
        if got != want or not isinstance(got, int | np.integer):
            return (
                f"a {args[0]}x{args[0]} input after {args[1]} 'same' convolution(s) each followed by a 2x2 "
                f"MaxPooling2D, with {args[2]} filters in the last one, flattens to {want} numbers (an int); "
                f"your function returned {got!r}"
            )
    return None


def _solution_flatten_size():
    def flatten_size(image_size, num_pools, filters):
        side = image_size
        for _ in range(num_pools):
            side = side // 2  # MaxPooling2D(2) halves the side, dropping an odd last row/column
        return side * side * filters

    return flatten_size


def _flatten_size_formula(image_size, num_pools, filters):
    return (image_size // 2**num_pools) ** 2 * filters


flatten_size = Exercise(
    key="05.2",
    title="how many numbers reach Flatten",
    test=_test_flatten_size,
    hints=(
        "'same' padding keeps the side; each 2x2 pooling halves it. Which way does it round an odd side?",
        "Halve the side once per pooling, rounding down (integer division), then multiply side, side and the number of filters.",
    ),
    solution=_solution_flatten_size,
    wrong_answers=[
        lambda size, pools, filters: (size / 2**pools) ** 2 * filters,
        lambda size, pools, filters: (size // 2**pools) * filters,
        lambda size, pools, filters: round(size / 2**pools) ** 2 * filters,
    ],
    other_answers=[_flatten_size_formula],
)


def _test_build_model(fn):
    model = call(fn)
    if not hasattr(model, "predict") or not hasattr(model, "layers"):
        return f"build_model() should return a Keras model, not {type(model).__name__}"
    if tuple(model.input_shape) != (None, 48, 48, 1):
        return f"the model should take faces of shape (48, 48, 1); its input shape is {model.input_shape}"
    if tuple(model.output_shape) != (None, 7):
        return (
            f"the model should output 7 numbers per face (one per emotion); it outputs {model.output_shape}"
        )
    if type(model.layers[0]).__name__ != "Rescaling":
        return "the first layer should be Rescaling(1 / 255), so that raw 0-255 pixels can go in"
    if model.count_params() > 250_000:
        return f"{model.count_params():,} parameters is more than the 250,000 allowed here: use fewer filters or units"
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        return "the model should be compiled (model.compile(optimizer=..., loss=..., metrics=[...]))"
    loss = model.loss if isinstance(model.loss, str) else getattr(model.loss, "name", str(model.loss))
    if "sparse_categorical_crossentropy" not in str(loss):
        return f"with integer labels the loss is 'sparse_categorical_crossentropy', not {loss!r}"
    probs = np.asarray(model.predict(np.full((2, 48, 48, 1), 128, np.uint8), verbose=0))
    if not np.allclose(probs.sum(axis=1), 1, atol=1e-4) or (probs < 0).any():
        return "the outputs should be probabilities (a softmax in the last layer): each row positive, summing to 1"
    return None


def _solution_build_model():
    import keras
    from keras import layers

    def build_model():
        model = keras.Sequential(
            [
                keras.Input(shape=(48, 48, 1)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(2),
                layers.Conv2D(32, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(2),
                layers.Flatten(),
                layers.Dense(7, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    return build_model


def _wrong_model(
    rescale=True, units=7, activation="softmax", compiled=True, loss="sparse_categorical_crossentropy"
):
    def build():
        import keras
        from keras import layers

        stack = [keras.Input(shape=(48, 48, 1))]
        if rescale:
            stack.append(layers.Rescaling(1 / 255))
        stack += [layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(4), layers.Flatten()]
        stack.append(layers.Dense(units, activation=activation))
        model = keras.Sequential(stack)
        if compiled:
            model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        return model

    return build


def _build_model_gap():
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(48, 48, 1)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(7, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.RMSprop(), loss=keras.losses.SparseCategoricalCrossentropy())
    return model


build_model = Exercise(
    key="05.3",
    title="build and compile an emotion CNN",
    test=_test_build_model,
    hints=(
        "Go through the requirements one by one: input shape, rescaling first, seven probabilities out, a parameter budget, compiled with the right loss.",
        "The notebook's first CNN shows every piece; a smaller version of it (fewer or narrower layers) stays under the budget. The labels are integers, which decides the loss's name.",
    ),
    solution=_solution_build_model,
    wrong_answers=[
        _wrong_model(rescale=False),
        _wrong_model(units=10),
        _wrong_model(activation=None),
        _wrong_model(compiled=False),
        _wrong_model(loss="categorical_crossentropy"),
    ],
    other_answers=[_build_model_gap],
)


def _test_save_and_reload(fn):
    import keras

    from helpers import config, models

    config.set_seed(0)
    model = models.build_first_cnn()
    faces = np.random.default_rng(0).integers(0, 256, size=(4, 48, 48, 1), dtype=np.uint8)
    before = model.predict(faces, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "models"
        loaded = call(fn, model, folder)
        saved = sorted(p.name for p in folder.glob("*")) if folder.exists() else []
        if not saved:
            return f"no file was saved in {folder.name}/ (create the folder first if it is missing)"
        if not any(name.endswith(".keras") for name in saved):
            return f"save in the native format, a file name ending in .keras; the folder holds {saved}"
        if loaded is model:
            return "return the model loaded from the file (keras.models.load_model), not the model you were given"
        if not isinstance(loaded, keras.Model):
            return f"expected a Keras model back, got {type(loaded).__name__}"
        after = loaded.predict(faces, verbose=0)
    if not np.allclose(before, after, atol=1e-6):
        return "the reloaded model predicts differently from the original"
    return None


def _solution_save_and_reload():
    from pathlib import Path

    import keras

    def save_and_reload(model, folder):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "emotion_cnn.keras"
        model.save(path)
        return keras.models.load_model(path)

    return save_and_reload


def _save_h5(model, folder):
    import keras

    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / "emotion_cnn.h5")
    return keras.models.load_model(Path(folder) / "emotion_cnn.h5")


def _return_same(model, folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / "emotion_cnn.keras")
    return model


def _save_and_reload_os(model, folder):
    import os

    import keras

    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.keras")
    keras.saving.save_model(model, path)
    return keras.saving.load_model(path)


save_and_reload = Exercise(
    key="05.4",
    title="save a model in the native format and load it back",
    test=_test_save_and_reload,
    hints=(
        "Two steps: save in the native format, then load the file back and return what was loaded, not the model you were given.",
        "Make the folder first (`mkdir` with `parents` and `exist_ok`); `model.save` to a path ending in `.keras`; `keras.models.load_model` on the same path.",
    ),
    solution=_solution_save_and_reload,
    wrong_answers=[_save_h5, _return_same],
    other_answers=[_save_and_reload_os],
)
