"""Exercises of notebook 08 (data augmentation: ImageDataGenerator and what replaces it)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises import Exercise, ReturnedNone, call


def _make_tree(root: Path) -> None:
    """A small training folder in FER2013's form: one subfolder per class, a few grey PNG faces in each."""
    import cv2

    counts = {"angry": 2, "disgust": 1, "fear": 1, "happy": 3, "sad": 1, "surprise": 1, "neutral": 2}
    for name, n in counts.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            cv2.imwrite(str(root / name / f"Training_{i}.png"), np.full((48, 48), 40 * i, np.uint8))


def _call_on(fn, name: str, value):
    """``fn(value)``, where a ``None`` result is 'not answered yet', named by the argument's name:
    a pipeline's or a model's own description is long and changes from run to run."""
    result = fn(value)
    if result is None:
        raise ReturnedNone(
            f"{getattr(fn, '__name__', 'your function')}({name}) returned None. Is its body still `...`, "
            "or is a `return` missing?"
        )
    return result


#: The pipelines the check of 08.1 builds from the small folder: the loader's settings, whether the
#: single faces are batched afterwards, and why the CNN cannot train on it ("" when it can).
_PIPELINES = [
    ({"color_mode": "grayscale", "image_size": (48, 48), "batch_size": 8}, False, ""),
    (
        {"color_mode": "grayscale", "image_size": (48, 48), "batch_size": None},
        False,
        "it delivers single faces, each (48, 48, 1) with one label, not batches of them",
    ),
    ({"color_mode": "grayscale", "image_size": (48, 48), "batch_size": None}, True, ""),
    (
        {"image_size": (48, 48), "batch_size": 8},
        False,
        "its faces have three colour channels (the loader's default), not one grey channel",
    ),
    ({"color_mode": "grayscale", "batch_size": 8}, False, "its faces are 256x256, the loader's default size"),
    (
        {"color_mode": "grayscale", "image_size": (48, 48), "batch_size": 8, "label_mode": "categorical"},
        False,
        "its labels are one-hot rows of 7 numbers, not one class number per face",
    ),
]


def _made(settings: dict, batched_later: bool) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in settings.items())
    return f"image_dataset_from_directory(folder, {shown})" + (".cache().batch(32)" if batched_later else "")


def _test_ready_for_cnn(fn):
    import keras

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "train"
        _make_tree(root)
        for settings, batched_later, why_not in _PIPELINES:
            # not shuffled, and a seed given: the loader then draws no random number, so checking
            # leaves the notebook's random state as it was
            dataset = keras.utils.image_dataset_from_directory(
                root, shuffle=False, seed=0, verbose=False, **settings
            )
            if batched_later:
                dataset = dataset.cache().batch(32)
            made = _made(settings, batched_later)
            got = _call_on(fn, "dataset", dataset)
            answer = np.asarray(got)  # True or False, also as a NumPy or TensorFlow boolean
            if answer.shape != () or answer.dtype != bool:
                return f"return True or False; for {made} your function returned {got!r}"
            got = bool(answer)
            if got and why_not:
                return f"the CNN cannot train on {made}: {why_not}. Your function said True"
            if not got and not why_not:
                return (
                    f"{made} delivers batches of grey 48x48 faces with one class number each, ready for the "
                    "CNN. Your function said False"
                )
    return None


def _solution_ready_for_cnn():
    def ready_for_cnn(dataset):
        faces, labels = next(iter(dataset))  # one element shows what every element holds
        # a batch of faces is (batch size, 48, 48, 1): after its first number, one grey 48x48 face.
        # A single face, (48, 48, 1), would leave (48, 1). The batch size itself can be anything.
        # One class number per face makes the labels (batch size,); one-hot rows would add a 7
        return faces.shape[1:] == (48, 48, 1) and labels.ndim == 1

    return ready_for_cnn


def _ready_from_spec(dataset):
    faces, labels = dataset.element_spec  # the shapes, without reading a face; None is the batch size
    return faces.shape.as_list() == [None, 48, 48, 1] and len(labels.shape) == 1


def _face_shape_only(dataset):
    faces, _ = next(iter(dataset))
    return faces.shape[-3:] == (48, 48, 1)  # a single face ends with the same three numbers


def _any_size(dataset):
    faces, labels = next(iter(dataset))
    return faces.ndim == 4 and faces.shape[-1] == 1 and labels.ndim == 1  # 256x256 passes too


def _labels_not_looked_at(dataset):
    faces, _ = next(iter(dataset))
    return faces.ndim == 4 and faces.shape[1:] == (48, 48, 1)


def _batches_of_32(dataset):
    faces, labels = next(iter(dataset))
    return faces.shape == (32, 48, 48, 1) and labels.ndim == 1  # the batch size is not the point


ready_for_cnn = Exercise(
    key="08.1",
    title="is this pipeline ready for the CNN?",
    test=_test_ready_for_cnn,
    hints=(
        "Take one element of the pipeline and read the shapes of what it holds: the faces and the labels.",
        "Answers usually slip on one of three things: a single face and a batch of faces end in the same "
        "three numbers, so read the whole shape; the batch size can be any number; and one-hot labels have "
        "one dimension more than class numbers.",
    ),
    solution=_solution_ready_for_cnn,
    wrong_answers=[_face_shape_only, _any_size, _labels_not_looked_at, _batches_of_32],
    other_answers=[_ready_from_spec],
)


#: The sets of augmentation layers the check of 08.2 hands over, written as code, each with the
#: positions of its unsuitable layers.
_LAYER_SETS = [
    (
        [
            "RandomFlip('horizontal')",
            "RandomRotation(10 / 360)",
            "RandomTranslation(0.05, 0.05)",
            "RandomZoom(0.05)",
        ],
        [],
    ),
    (["RandomFlip()", "RandomZoom(0.1)"], [0]),
    (["RandomFlip('horizontal')", "RandomRotation(0.1)"], [1]),
    (
        [
            "Rescaling(1 / 255)",
            "RandomFlip('vertical')",
            "RandomRotation((-0.15, 0.02))",
            "RandomTranslation(0.05, 0.4)",
        ],
        [1, 2, 3],
    ),
    (
        [
            "RandomFlip('horizontal_and_vertical')",
            "RandomTranslation(0.4, 0.4)",
            "RandomZoom(-0.5)",
            "RandomRotation(0.05)",
        ],
        [0, 1, 2],
    ),
    (["RandomFlip('horizontal')", "RandomZoom(0.1, (-0.5, 0.2))", "RandomTranslation(0.1, 0.25)"], [1]),
    (["RandomRotation(30 / 360)", "RandomRotation(30.05 / 360)"], [1]),
]

#: Why a layer of the sets above goes too far, or why it does not.
_WHY = {
    "RandomFlip()": "with no mode given, RandomFlip flips both ways, so upside down too",
    "RandomRotation(0.1)": "its factor is a fraction of a full turn: up to 36 degrees either way",
    "RandomFlip('vertical')": "it turns faces upside down",
    "RandomRotation((-0.15, 0.02))": "it turns faces by up to 54 degrees one way",
    "RandomTranslation(0.05, 0.4)": "it shifts faces by up to 40 % of their width",
    "RandomFlip('horizontal_and_vertical')": "it flips faces upside down too",
    "RandomTranslation(0.4, 0.4)": "it shifts faces by up to 40 % of their height and width",
    "RandomZoom(-0.5)": "a negative factor zooms in, here by up to 50 %",
    "RandomZoom(0.1, (-0.5, 0.2))": "its width factor reaches 50 % on its negative side",
    "RandomRotation(30.05 / 360)": "it turns faces by up to 30.05 degrees, a little more than 30",
    "Rescaling(1 / 255)": "it only scales the pixel values: nothing moves",
    "RandomRotation(30 / 360)": "it turns faces by up to 30 degrees, not more",
}


def _test_unsuitable_layers(fn):
    import random

    import keras

    classes = {name: getattr(keras.layers, name) for name in dir(keras.layers) if name[0].isupper()}
    python_random = random.getstate()  # a new random layer draws its seed from Python's generator
    try:
        for texts, unsuitable in _LAYER_SETS:
            built = [eval(text, {"__builtins__": {}}, classes) for text in texts]
            augment = keras.Sequential(built)
            shown = f"keras.Sequential([{', '.join(texts)}])"
            got = _call_on(fn, "augment", augment)
            if not isinstance(got, list | tuple):
                return f"return a list of layers; for {shown} your function returned {got!r}"
            positions = [next((i for i, layer in enumerate(built) if layer is item), None) for item in got]
            if None in positions:
                return (
                    f"for {shown} your list holds {got[positions.index(None)]!r}: return the layer objects "
                    "themselves, as `augment.layers` lists them"
                )
            twice = [texts[i] for i in sorted(set(positions)) if positions.count(i) > 1]
            if twice:
                return f"for {shown} your list names {twice[0]} more than once: list each layer once"
            missed = [texts[i] for i in unsuitable if i not in positions]
            if missed:
                return f"in {shown}, {missed[0]} goes too far ({_WHY[missed[0]]}); your list leaves it out"
            extra = [texts[i] for i in positions if i not in unsuitable]
            if extra:
                why = _WHY.get(extra[0], "its changes stay within 30 degrees and 30 %")
                return f"in {shown}, {extra[0]} is fine for faces ({why}); your list names it"
    finally:
        random.setstate(python_random)
    return None


def _solution_unsuitable_layers():
    import numpy as np
    from keras import layers

    def unsuitable_layers(augment):
        unsuitable = []
        for layer in augment.layers:
            if isinstance(layer, layers.RandomFlip):
                # "horizontal_and_vertical", which is also the default, turns faces upside down
                too_far = "vertical" in layer.mode
            elif isinstance(layer, layers.RandomRotation):
                # kept as (lowest, highest), in fractions of a full turn: the larger of the two counts
                too_far = np.max(np.abs(layer.factor)) * 360 > 30
            elif isinstance(layer, (layers.RandomTranslation, layers.RandomZoom)):
                # a width factor of None follows the height; a negative zoom factor zooms in
                factors = [f for f in (layer.height_factor, layer.width_factor) if f is not None]
                too_far = max(np.max(np.abs(f)) for f in factors) > 0.3
            else:
                too_far = False  # rescaling, contrast, brightness: the face does not move
            if too_far:
                unsuitable.append(layer)  # once, however many of its settings go too far
        return unsuitable

    return unsuitable_layers


def _largest(factor) -> float:
    return max(abs(f) for f in (factor if isinstance(factor, tuple | list) else (factor,)))


def _unsuitable_by_config(augment):
    found = []
    for layer in augment.layers:
        kind, settings = type(layer).__name__, layer.get_config()
        if kind == "RandomFlip" and settings["mode"] != "horizontal":
            found.append(layer)
        elif kind == "RandomRotation" and _largest(settings["factor"]) * 360 > 30:
            found.append(layer)
        elif kind in ("RandomTranslation", "RandomZoom"):
            width = settings["width_factor"]
            if _largest(settings["height_factor"]) > 0.3 or (width is not None and _largest(width) > 0.3):
                found.append(layer)
    return found


def _unsuitable_rule(flip, turn, shift, once=True, others=False):
    """A learner's answer built from one rule per kind of layer."""

    def unsuitable_layers(augment):
        found = []
        for layer in augment.layers:
            name = type(layer).__name__
            if name == "RandomFlip":
                hits = [flip(layer.mode)]
            elif name == "RandomRotation":
                hits = [turn(layer.factor)]
            elif name in ("RandomTranslation", "RandomZoom"):
                hits = [shift(f) for f in (layer.height_factor, layer.width_factor) if f is not None]
            else:
                hits = [others]
            found += [layer] * (any(hits) if once else sum(hits))
        return found

    return unsuitable_layers


def _vertical_word(mode):
    return mode == "vertical"


def _has_vertical(mode):
    return "vertical" in mode


def _degrees(factor):
    return _largest(factor) * 360 > 30


def _share(factor):
    return _largest(factor) > 0.3


unsuitable_layers = Exercise(
    key="08.2",
    title="augmentation layers that go too far",
    test=_test_unsuitable_layers,
    hints=(
        "Judge each layer by the largest change it can make: a flip by whether it can turn a face upside down, "
        "a turn in degrees, a shift or zoom as a share of the picture.",
        "Answers usually slip on how Keras keeps the settings: a rotation factor is a fraction of a full turn; "
        "a range can reach furthest on its negative side; a zoom's missing width follows its height; and "
        "the flip mode 'horizontal_and_vertical', the default, includes vertical.",
    ),
    solution=_solution_unsuitable_layers,
    wrong_answers=[
        _unsuitable_rule(_vertical_word, _degrees, _share),  # misses 'horizontal_and_vertical'
        _unsuitable_rule(_has_vertical, lambda f: _largest(f) > 30, _share),  # the factor read as degrees
        _unsuitable_rule(
            _has_vertical, lambda f: max(np.ravel(f)) * 360 > 30, _share
        ),  # no size: -0.15 is small
        _unsuitable_rule(
            _has_vertical, _degrees, _share, once=False
        ),  # a shift too far both ways, listed twice
        _unsuitable_rule(_has_vertical, _degrees, _share, others=True),  # rescaling moves nothing
        _unsuitable_rule(_has_vertical, _degrees, lambda f: max(np.ravel(f)) > 0.3),  # zoom -0.5 zooms in
    ],
    other_answers=[_unsuitable_by_config, _unsuitable_rule(lambda m: m != "horizontal", _degrees, _share)],
)


def _test_steps_per_epoch(fn):
    cases = [((5741, 32), 180), ((64, 32), 2), ((65, 32), 3), ((10, 64), 1)]
    for args, want in cases:
        got = call(fn, *args)
        if isinstance(got, float | np.floating) and got == want:  # np.ceil gives a float: right, but say so
            return (
                f"{args[0]} images in batches of {args[1]} make {want} batches, and your function returned "
                f"{float(got)}, a float: Keras counts steps in whole numbers, so return an int"
            )
        if got != want or not isinstance(got, int | np.integer):
            return (
                f"{args[0]} images in batches of {args[1]} make {want} batches (the last one may be smaller); "
                f"your function returned {got!r}"
            )
    return None


def _solution_steps_per_epoch():
    import math

    def steps_per_epoch(num_images, batch_size):
        return math.ceil(num_images / batch_size)  # a last, smaller batch still counts

    return steps_per_epoch


steps_per_epoch = Exercise(
    key="08.3",
    title="how many batches make one epoch",
    test=_test_steps_per_epoch,
    hints=(
        "The last batch may be smaller than the others, but it still counts as a step.",
        "Answers usually go wrong on the last batch: integer division drops it when it is smaller; adding "
        "one batch counts one too many when the faces divide evenly; and a plain division gives a float, "
        "not a number of steps.",
    ),
    solution=_solution_steps_per_epoch,
    wrong_answers=[
        lambda n, b: n // b,
        lambda n, b: n / b,
        lambda n, b: n // b + 1,
    ],
    other_answers=[lambda n, b: -(-n // b), lambda n, b: n // b + (n % b > 0)],
)


def _marker_augment():
    """An 'augmentation' whose effect is easy to see: +1000 and a random jitter, in training only."""
    import keras

    class Marker(keras.layers.Layer):
        def call(self, x, training=None):
            if training:
                return x + 1000.0 + keras.random.uniform(keras.ops.shape(x), 0.0, 1.0)
            return x

    return Marker()


def _test_make_pipelines(fn):
    import tensorflow as tf

    rng = np.random.default_rng(8)
    images = rng.integers(0, 256, size=(200, 48, 48, 1)).astype("float32")
    labels = np.repeat(np.arange(7), [30, 10, 30, 40, 30, 30, 30])  # sorted by class, as read from folders
    val_images, val_labels = images[:60].copy(), labels[::3][:60].copy()
    got = call(fn, images, labels, val_images, val_labels, _marker_augment())
    if not isinstance(got, tuple | list) or len(got) != 2:
        return "return two datasets: (training pipeline, validation pipeline)"
    train_ds, val_ds = got
    if not all(isinstance(ds, tf.data.Dataset) for ds in got):
        return "both should be tf.data.Dataset objects"
    first_epoch = list(train_ds)  # a whole pass: a cache fills only when an epoch ends
    x, y = first_epoch[0]
    if tuple(x.shape) != (32, 48, 48, 1):
        return f"training batches should hold 32 faces of shape (48, 48, 1); the first has shape {tuple(x.shape)}"
    if float(tf.reduce_min(x)) < 1000:
        return "the training faces are not augmented: apply the augmentation (with training=True) in the training pipeline"
    first = np.asarray(y)
    if list(first) == list(labels[:32]):
        return "the training faces come in the order they were given (sorted by class): shuffle them"
    if np.all(np.diff(first) >= 0):
        return (
            f"the first training batch holds the labels {first.tolist()}, still in their sorted order: "
            "shuffle the faces before batching them, not the batches"
        )
    if first.max() < 4:  # a full shuffle draws the first batch from all 200 faces, classes 4-6 too
        return (
            f"the first training batch holds only classes {sorted(set(first.tolist()))} of the 7: the shuffle "
            "buffer is smaller than the data set, so the first batches come from the first faces, which "
            "are sorted by class. Make the buffer as large as the data set."
        )
    again = list(train_ds)[0][0]
    if np.allclose(np.sort(np.asarray(again).ravel()), np.sort(np.asarray(x).ravel())):
        return "the second pass shows the same augmented faces as the first: augment after any cache, so every epoch gets new changes"
    xs, ys = zip(*[(np.asarray(a), np.asarray(b)) for a, b in val_ds], strict=True)
    xv, yv = np.concatenate(xs), np.concatenate(ys)
    if xv.ndim != 4:
        return (
            f"batch the validation faces too (its elements should be batches); they have shape {xv.shape[1:]}"
        )
    if xv.max() > 255:
        return "the validation faces are augmented: never change the faces you measure on"
    if not np.array_equal(yv, val_labels) or not np.array_equal(xv, val_images):
        return "the validation faces should come unchanged and in their order: do not shuffle them"
    return None


def _solution_make_pipelines():
    import tensorflow as tf

    def make_pipelines(images, labels, val_images, val_labels, augment):
        train_ds = (
            tf.data.Dataset.from_tensor_slices((images, labels))
            .cache()  # keeps the unchanged faces; the changes below come after it
            # the faces arrive sorted by class: a buffer as large as the data set mixes them all
            .shuffle(len(images), seed=1)
            .batch(32)
            # after the cache, so every epoch draws new changes; training=True switches them on
            .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE)  # prepares the next batch while the model trains on this one
        )
        # the faces we measure on: batched only, never shuffled or changed
        val_ds = tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(64)
        return train_ds, val_ds

    return make_pipelines


def _augment_before_batching(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(len(images))
        .map(lambda x, y: (augment(x[None], training=True)[0], y))  # one face at a time
        .batch(32)
    )
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)


def _augment_both(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    def make(x, y, shuffle):
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        ds = ds.shuffle(len(x)) if shuffle else ds
        return ds.batch(32).map(lambda a, b: (augment(a, training=True), b))

    return make(images, labels, True), make(val_images, val_labels, False)


def _cached_after_augmenting(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(len(images))
        .batch(32)
        .map(lambda x, y: (augment(x, training=True), y))
        .cache()  # keeps the first epoch's order and random changes for ever
    )
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)


def _not_shuffled(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(32)
    train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y))
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)


def _small_buffer(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(64)  # draws from the next 64 faces only: the sorted order shows through
        .batch(32)
        .map(lambda x, y: (augment(x, training=True), y))
    )
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)


def _batches_shuffled(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .batch(32)
        .shuffle(len(images))  # mixes whole batches: each batch keeps faces of one or two classes
        .map(lambda x, y: (augment(x, training=True), y))
    )
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(32)


def _val_shuffled(images, labels, val_images, val_labels, augment):
    import tensorflow as tf

    train_ds, _ = _solution_make_pipelines()(images, labels, val_images, val_labels, augment)
    return train_ds, tf.data.Dataset.from_tensor_slices((val_images, val_labels)).shuffle(100).batch(32)


make_pipelines = Exercise(
    key="08.4",
    title="training and validation pipelines, augmentation in the right place",
    test=_test_make_pipelines,
    hints=(
        "Two pipelines that differ on purpose: the training one shuffles and augments, the validation one "
        "does neither. And an augmentation must draw new random changes in every epoch.",
        "Answers usually go wrong in one of three ways: augmenting before a cache (the cache then replays "
        "the first epoch's changes in every epoch); not mixing the training faces well (they come sorted "
        "by class, so shuffle single faces, with a buffer as large as the data set); or touching the "
        "validation faces beyond batching them.",
    ),
    solution=_solution_make_pipelines,
    wrong_answers=[
        _augment_both,
        _cached_after_augmenting,
        _not_shuffled,
        _small_buffer,
        _batches_shuffled,
        _val_shuffled,
    ],
    other_answers=[_augment_before_batching],
)
