"""Exercises of notebook 08 (data augmentation: ImageDataGenerator and what replaces it)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises import Exercise, call


def _test_steps_per_epoch(fn):
    cases = [((5741, 32), 180), ((64, 32), 2), ((65, 32), 3), ((10, 64), 1)]
    for args, want in cases:
        got = call(fn, *args)
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
    key="08.1",
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


def _test_augmenter(fn):
    import keras

    aug = call(fn)
    if not isinstance(aug, keras.layers.Layer):
        return f"return a Keras layer or keras.Sequential of layers, not {type(aug).__name__}"
    layers = getattr(aug, "layers", [aug])
    flips = [layer for layer in layers if isinstance(layer, keras.layers.RandomFlip)]
    if not flips:
        return "include a RandomFlip layer: a face mirrored left-right is still the same emotion"
    if any(layer.mode != "horizontal" for layer in flips):
        return "flip horizontally only (RandomFlip('horizontal')): an upside-down face is not a face the model will meet"
    kinds = {type(layer).__name__ for layer in layers}
    if not kinds & {"RandomRotation", "RandomZoom", "RandomTranslation"}:
        return "add at least one of RandomRotation, RandomZoom or RandomTranslation after the flip"
    for layer in layers:
        if isinstance(layer, keras.layers.RandomRotation):
            turn = max(abs(f) for f in np.ravel(layer.factor)) * 360
            if turn > 30:
                return (
                    f"RandomRotation turns faces by up to {turn:.0f} degrees: its factor is a fraction of a full "
                    "turn, and faces that far from upright are not faces the model will meet (keep it under 30)"
                )
        for name in ("height_factor", "width_factor"):
            factor = getattr(layer, name, None)
            if factor is not None and max(abs(f) for f in np.ravel(factor)) > 0.3:
                return (
                    f"{type(layer).__name__} changes faces by more than 30 % of their size: a face shifted or zoomed "
                    "that much loses its features; keep the changes small"
                )
    faces = np.random.default_rng(0).integers(0, 256, size=(8, 48, 48, 1)).astype("float32")
    unchanged = keras.ops.convert_to_numpy(aug(faces, training=False))
    if not np.allclose(unchanged, faces):
        return "with training=False (evaluation, prediction) the faces must come out unchanged"
    keras.utils.set_random_seed(1)
    changed = keras.ops.convert_to_numpy(aug(faces, training=True))
    if changed.shape != faces.shape:
        return f"augmentation must keep the shape {faces.shape}; it gave {changed.shape}"
    if np.allclose(changed, faces):
        return "with training=True the faces should change"
    return None


def _solution_augmenter():
    import keras
    from keras import layers

    def augmenter():
        return keras.Sequential(
            [
                # a mirrored face shows the same emotion; an upside-down one is not a face we will meet
                layers.RandomFlip("horizontal"),
                layers.RandomRotation(0.04),  # a fraction of a full turn: about 15 degrees
                layers.RandomZoom(0.1),  # up to 10 % closer or farther: the face keeps its features
            ]
        )

    return augmenter


def _both_flips():
    import keras

    return keras.Sequential(
        [keras.layers.RandomFlip("horizontal_and_vertical"), keras.layers.RandomZoom(0.1)]
    )


def _flip_only():
    import keras

    return keras.Sequential([keras.layers.RandomFlip("horizontal")])


def _rescale_only():
    import keras

    return keras.Sequential([keras.layers.Rescaling(1 / 255)])


def _augmenter_shift():
    import keras

    return keras.Sequential(
        [keras.layers.RandomTranslation(0.05, 0.05), keras.layers.RandomFlip("horizontal")]
    )


def _half_turns():
    import keras

    return keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.5)])


augmenter = Exercise(
    key="08.2",
    title="augmentation layers for faces",
    test=_test_augmenter,
    hints=(
        "Which changes keep a face's emotion? A mirror image does; an upside-down face is not a face the model will meet.",
        "The usual mistake is overdoing it: a flip in both directions turns faces upside down, and "
        "`RandomRotation`'s factor is a fraction of a full turn (0.5 is half a turn), so keep it small. A "
        "flip alone is too little: add a small rotation, zoom or shift.",
    ),
    solution=_solution_augmenter,
    wrong_answers=[_both_flips, _flip_only, _rescale_only, _half_turns],
    other_answers=[_augmenter_shift],
)


def _make_tree(root: Path) -> dict[str, int]:
    import cv2

    counts = {"angry": 2, "disgust": 1, "fear": 1, "happy": 3, "sad": 1, "surprise": 1, "neutral": 2}
    for name, n in counts.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            cv2.imwrite(str(root / name / f"Training_{i}.png"), np.full((48, 48), 40 * i, np.uint8))
    return counts


def _test_fer_dataset(fn):
    import tensorflow as tf

    from helpers.data import CLASS_NAMES

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "train"
        counts = _make_tree(root)
        ds = call(fn, root)
        if not isinstance(ds, tf.data.Dataset):
            return (
                f"return the tf.data.Dataset that image_dataset_from_directory makes, not {type(ds).__name__}"
            )
        names = getattr(ds, "class_names", None)
        if names is not None and list(names) != list(CLASS_NAMES):
            return f"the classes should be numbered in FER2013's order {list(CLASS_NAMES)}; yours: {names}"
        images, labels = [], []
        for x, y in ds:
            images.append(x.numpy())
            labels.append(y.numpy())
        x, y = np.concatenate(images), np.concatenate(labels)
        if x.shape[1:] != (48, 48, 1):
            return f"each face should be (48, 48, 1), one grey channel; yours are {x.shape[1:]}"
        if y.ndim != 1:
            return f"labels should be integers (label_mode='int'), shape (N,); yours have shape {y.shape}"
        got = {CLASS_NAMES[k]: int((y == k).sum()) for k in range(len(CLASS_NAMES))}
        if got != counts:
            return f"with FER2013's numbering the counts per class should be {counts}; yours: {got}"
    return None


def _solution_fer_dataset():
    import keras

    from helpers.data import CLASS_NAMES

    def fer_dataset(folder):
        return keras.utils.image_dataset_from_directory(
            folder,
            labels="inferred",
            label_mode="int",
            class_names=list(CLASS_NAMES),  # FER2013's order, not the alphabetical default
            color_mode="grayscale",  # one channel, like FER2013's faces; the default reads three
            image_size=(48, 48),  # the default would be 256x256
            batch_size=32,
            shuffle=True,
            seed=42,  # the same order in every run
            verbose=False,
        )

    return fer_dataset


def _alphabetical(folder):
    import keras

    return keras.utils.image_dataset_from_directory(
        folder, color_mode="grayscale", image_size=(48, 48), batch_size=32, verbose=False
    )


def _colour(folder):
    import keras

    from helpers.data import CLASS_NAMES

    return keras.utils.image_dataset_from_directory(
        folder, class_names=list(CLASS_NAMES), image_size=(48, 48), batch_size=32, verbose=False
    )


def _fer_dataset_keywords(folder):
    import keras

    from helpers import data

    return keras.utils.image_dataset_from_directory(
        directory=folder,
        labels="inferred",
        class_names=[name for name in data.CLASS_NAMES],
        color_mode="grayscale",
        image_size=(48, 48),
        batch_size=16,
        shuffle=True,
        seed=1,
    )


fer_dataset = Exercise(
    key="08.3",
    title="a tf.data set of grey faces in FER2013's class order",
    test=_test_fer_dataset,
    hints=(
        "`keras.utils.image_dataset_from_directory` reads class folders; three of its arguments matter for FER faces: the class order, the colour mode and the image size.",
        "Answers usually miss one of these: without the class names given, the folders are numbered in "
        "alphabetical order, not FER2013's; the default colour mode reads three channels, where the faces "
        "are grey; and the default image size is not 48 by 48.",
    ),
    solution=_solution_fer_dataset,
    wrong_answers=[_alphabetical, _colour],
    other_answers=[_fer_dataset_keywords],
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
