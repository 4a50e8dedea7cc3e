"""The two input pipelines of notebook 08, packaged so that notebook 08 and the benchmark
measure exactly the same thing.

* :func:`legacy_flow` -- Keras' legacy ``ImageDataGenerator.flow_from_directory``: reads,
  decodes and transforms each face in Python and SciPy, every epoch.
* :func:`tfdata_flow` -- ``image_dataset_from_directory`` -> (``cache``) -> ``shuffle`` ->
  ``batch`` -> augmentation layers mapped over whole batches -> ``prefetch``.
* :func:`legacy_array_flow` and :func:`tfdata_array_flow` -- the same two ways of augmenting,
  fed from arrays already in memory, so that the augmentation alone can be compared.
* :func:`images_per_second` -- how fast a pipeline delivers whole epochs of batches;
  :func:`time_pipelines` times several, after a warm-up epoch, a few times each, in turn,
  each round starting with the next pipeline.
* :func:`compare` -- five measurements that separate the two effects mixed in "tf.data is
  faster": where the faces come from (files decoded every epoch, a cache, arrays) and how
  they are augmented (one face at a time in SciPy, or whole batches in compiled layers).

All yield batches of ``(32, 48, 48, 1)`` augmented grey faces with FER2013's label numbers.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import config, models, timing
from helpers.data import CLASS_NAMES, IMAGE_SIZE

LEGACY = "ImageDataGenerator.flow_from_directory"
MODERN = "tf.data + augmentation layers (cached)"
MODERN_UNCACHED = "tf.data + augmentation layers (files, no cache)"
LEGACY_ARRAYS = "ImageDataGenerator.flow (arrays)"
MODERN_ARRAYS = "tf.data + augmentation layers (arrays)"


def legacy_generator():
    """The augmenting ``ImageDataGenerator`` of notebook 08 (mild changes, pixels scaled to 0-1)."""
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    return ImageDataGenerator(
        rescale=1 / 255,
        rotation_range=10,
        width_shift_range=0.05,
        height_shift_range=0.05,
        zoom_range=0.05,
        horizontal_flip=True,
        fill_mode="nearest",
    )


def legacy_flow(folder, generator=None, *, batch_size: int = 32, seed: int = config.SEED):
    """Endless augmented batches from ``folder``'s class subfolders through ``generator``
    (default :func:`legacy_generator`): grey, 48x48, labels numbered in FER2013's order."""
    generator = generator if generator is not None else legacy_generator()
    return generator.flow_from_directory(
        str(folder),
        target_size=(IMAGE_SIZE, IMAGE_SIZE),
        color_mode="grayscale",
        classes=list(CLASS_NAMES),
        class_mode="sparse",
        batch_size=batch_size,
        seed=seed,
    )


def legacy_array_flow(images, labels, generator=None, *, batch_size: int = 32, seed: int = config.SEED):
    """Endless augmented batches of ``images`` (N, 48, 48, 1) through ``generator``'s
    ``flow``: the legacy augmentation without any file reading."""
    generator = generator if generator is not None else legacy_generator()
    return generator.flow(images, labels, batch_size=batch_size, seed=seed)


def _augmented(faces, count: int, augment, batch_size: int, seed: int):
    import tensorflow as tf

    augment = augment if augment is not None else models.augmentation()
    return (
        faces.shuffle(count, seed=seed)
        .batch(batch_size)
        .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


def tfdata_array_flow(images, labels, augment=None, *, batch_size: int = 32, seed: int = config.SEED):
    """A ``tf.data.Dataset`` of augmented batches of ``images`` already in memory: the same
    shuffle -> batch -> augmentation layers -> prefetch as :func:`tfdata_flow`."""
    import tensorflow as tf

    return _augmented(
        tf.data.Dataset.from_tensor_slices((images, labels)), len(images), augment, batch_size, seed
    )


def tfdata_flow(folder, augment=None, *, cache: bool = True, batch_size: int = 32, seed: int = config.SEED):
    """A ``tf.data.Dataset`` of augmented batches from ``folder``'s class subfolders.

    Faces are decoded once and cached in memory (``cache=False`` decodes them again every
    epoch, as the legacy generator does), shuffled every epoch, batched, augmented by
    ``augment`` (default :func:`helpers.models.augmentation`) on whole batches in parallel,
    and prefetched. Pixels stay 0-255: the model rescales them. With the cache, the first
    pass fills it, so it is slower than the ones after it.
    """
    import keras

    faces = keras.utils.image_dataset_from_directory(
        str(folder),
        labels="inferred",
        label_mode="int",
        class_names=list(CLASS_NAMES),
        color_mode="grayscale",
        image_size=(IMAGE_SIZE, IMAGE_SIZE),
        batch_size=None,
        shuffle=False,
        verbose=False,
    )
    count = int(faces.cardinality())
    return _augmented(faces.cache() if cache else faces, count, augment, batch_size, seed)


def one_epoch(flow) -> Callable[[], Iterator]:
    """A function that returns the next epoch of a legacy ``flow`` (which never ends by
    itself): its next ``len(flow)`` batches. A ``tf.data.Dataset`` needs no such help: each
    pass over it is one epoch."""
    return lambda: itertools.islice(flow, len(flow))


def images_per_second(epoch: Callable[[], Iterable], epochs: int = 1) -> float:
    """Faces per second over ``epochs`` whole epochs, each one pass over ``epoch()`` (a
    function that returns one epoch's ``(x, y)`` batches). Nothing is warmed up here."""
    images = 0
    with timing.Timer() as t:
        for _ in range(epochs):
            for x, _ in epoch():
                images += len(x)
    return images / t.seconds


@dataclass(frozen=True)
class Rate:
    """Images per second of one pipeline: the median of its timings, and their range (the
    slowest timing, ``low``, and the fastest, ``high``)."""

    median: float
    low: float
    high: float


def time_pipelines(
    epochs_of: dict[str, Callable[[], Iterable]], *, epochs: int = 1, repeats: int = 3
) -> dict[str, Rate]:
    """A :class:`Rate` per pipeline. ``epochs_of`` maps a name to a function returning one
    epoch's batches. Each pipeline first runs one untimed warm-up epoch, in the given order;
    then come ``repeats`` rounds, and in each round every pipeline in turn is timed over
    ``epochs`` whole epochs. The order rotates from round to round: round ``r`` (from 0)
    starts with pipeline ``r`` (wrapping round past the last) and goes on in the given order,
    so each pipeline moves one place earlier every round and none always goes first (with as
    many rounds as pipelines, each takes every place once)."""
    if epochs < 1 or repeats < 1:
        raise ValueError(f"epochs and repeats must be at least 1 (got epochs={epochs}, repeats={repeats})")
    for epoch in epochs_of.values():  # warm-up: fills a cache, traces the graph, warms the generator
        for _ in epoch():
            pass
    names = list(epochs_of)
    runs: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):  # round robin: a slow moment does not fall on one pipeline alone
        start = r % len(names) if names else 0
        for name in names[start:] + names[:start]:  # rotated: the order's effects are shared out
            runs[name].append(images_per_second(epochs_of[name], epochs))
    return {name: Rate(statistics.median(r), min(r), max(r)) for name, r in runs.items()}


def compare(
    folder, *, epochs: int = 1, repeats: int = 3, batch_size: int = 32, generator=None, augment=None
) -> dict[str, Rate]:
    """Images per second of five pipelines on ``folder``'s faces, as a :class:`Rate` each:

    * from the files: :data:`LEGACY` (``flow_from_directory``), :data:`MODERN_UNCACHED`
      (``tf.data`` decoding the files in every epoch, as the generator does) and :data:`MODERN`
      (``tf.data`` with its cache, filled by the warm-up epoch);
    * from arrays in memory: :data:`LEGACY_ARRAYS` (``ImageDataGenerator.flow``) and
      :data:`MODERN_ARRAYS`.

    Each pipeline first runs one untimed warm-up epoch. Then each is timed ``repeats`` times,
    each timing over ``epochs`` whole epochs; the rounds go round robin (every pipeline once,
    then again), so a slow moment of a shared machine does not hit one pipeline only, and
    round ``r`` starts with pipeline ``r`` (:func:`time_pipelines`), so no pipeline is always
    the first of its round. Every
    timed epoch is a new pass, which starts by refilling the shuffle buffer (as large as the
    data set): the uncached pipeline decodes all its files inside the timing.

    ``tf.data`` augments in a ``map`` with ``num_parallel_calls=AUTOTUNE``, on several cores;
    ``ImageDataGenerator`` works in one Python thread. On a shared machine, read each ratio of
    medians with the two ranges: if they overlap, the difference is not clear; with one
    timing each there is no range, and so no verdict.
    ``MODERN_ARRAYS / LEGACY_ARRAYS`` compares the two ways of augmenting alone;
    ``MODERN_UNCACHED / LEGACY`` the two ways of reading and augmenting files;
    ``MODERN / MODERN_UNCACHED`` is what the cache adds; ``LEGACY_ARRAYS / LEGACY`` what the
    files cost the generator.
    """
    import numpy as np

    from helpers import data

    folder = Path(folder)
    split = data.load_image_folders(folder.parent)[folder.name]
    images, labels = data.add_channel(split.images).astype("float32"), np.asarray(split.labels)
    cached = tfdata_flow(folder, augment, batch_size=batch_size)
    uncached = tfdata_flow(folder, augment, cache=False, batch_size=batch_size)
    from_arrays = tfdata_array_flow(images, labels, augment, batch_size=batch_size)
    return time_pipelines(
        {
            LEGACY: one_epoch(legacy_flow(folder, generator, batch_size=batch_size)),
            MODERN_UNCACHED: lambda: uncached,
            MODERN: lambda: cached,
            LEGACY_ARRAYS: one_epoch(legacy_array_flow(images, labels, generator, batch_size=batch_size)),
            MODERN_ARRAYS: lambda: from_arrays,
        },
        epochs=epochs,
        repeats=repeats,
    )
