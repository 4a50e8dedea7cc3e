"""The two input pipelines of notebook 08, packaged so that notebook 08 and the benchmark
measure exactly the same thing.

* :func:`legacy_flow` -- Keras' legacy ``ImageDataGenerator.flow_from_directory``: reads,
  decodes and transforms each face in Python and SciPy, every epoch.
* :func:`tfdata_flow` -- ``image_dataset_from_directory`` -> (``cache``) -> ``shuffle`` ->
  ``batch`` -> augmentation layers mapped over whole batches -> ``prefetch``.
* :func:`legacy_array_flow` and :func:`tfdata_array_flow` -- the same two ways of augmenting,
  fed from arrays already in memory, so that the augmentation alone can be compared.
* :func:`images_per_second` -- how fast a pipeline delivers batches, after a warm-up.
* :func:`compare` -- five measurements that separate the two effects mixed in "tf.data is
  faster": where the faces come from (files decoded every epoch, a cache, arrays) and how
  they are augmented (one face at a time in SciPy, or whole batches in compiled layers).

All yield batches of ``(32, 48, 48, 1)`` augmented grey faces with FER2013's label numbers.
"""

from __future__ import annotations

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


def images_per_second(batches, num_batches: int) -> float:
    """Faces per second delivered by the iterator ``batches`` over ``num_batches`` batches,
    timed after one warm-up batch (which includes start-up work)."""
    next(batches)
    images = 0
    with timing.Timer() as t:
        for _ in range(num_batches):
            x, _ = next(batches)
            images += len(x)
    return images / t.seconds


def compare(
    folder, *, epochs: int = 2, batch_size: int = 32, generator=None, augment=None
) -> dict[str, float]:
    """Images per second of five pipelines on ``folder``'s faces, each timed over ``epochs``
    epochs' worth of batches after one warm-up batch:

    * from the files: :data:`LEGACY` (``flow_from_directory``), :data:`MODERN_UNCACHED`
      (``tf.data`` decoding the files in every epoch too) and :data:`MODERN` (``tf.data`` with
      its cache filled first, as from the second epoch on);
    * from arrays in memory: :data:`LEGACY_ARRAYS` (``ImageDataGenerator.flow``) and
      :data:`MODERN_ARRAYS`.

    At least two epochs are timed because the ``tf.data`` pipelines shuffle with a buffer as
    large as the data set, which is filled at the start of every epoch: the warm-up batch
    fills it with the first epoch's faces (decoded untimed), the first batch of the second
    epoch refills it, and so does the last timed batch, the first of the third epoch. So the
    uncached pipeline decodes ``epochs`` epochs' worth of files inside the timed window, as
    the generator does; with one batch fewer, a whole epoch of decoding would fall outside
    it. Each rate is one timing: on a shared machine, repeat the call before trusting a
    ratio. ``MODERN_ARRAYS /
    LEGACY_ARRAYS`` compares the two ways of augmenting alone; ``MODERN_UNCACHED / LEGACY``
    the two ways of reading and augmenting files; ``MODERN / MODERN_UNCACHED`` is what the
    cache adds.
    """
    import numpy as np

    from helpers import data

    if epochs < 2:
        raise ValueError(
            f"time at least 2 epochs (got {epochs}): the first is decoded while the shuffle buffer fills"
        )
    folder = Path(folder)
    split = data.load_image_folders(folder.parent)[folder.name]
    images, labels = data.add_channel(split.images).astype("float32"), np.asarray(split.labels)
    num_batches = epochs * -(-len(labels) // batch_size)
    cached = tfdata_flow(folder, augment, batch_size=batch_size)
    for _ in cached:  # the first epoch fills the cache
        pass
    uncached = tfdata_flow(folder, augment, cache=False, batch_size=batch_size)
    return {
        LEGACY: images_per_second(legacy_flow(folder, generator, batch_size=batch_size), num_batches),
        MODERN_UNCACHED: images_per_second(iter(uncached.repeat()), num_batches),
        MODERN: images_per_second(iter(cached.repeat()), num_batches),
        LEGACY_ARRAYS: images_per_second(
            legacy_array_flow(images, labels, generator, batch_size=batch_size), num_batches
        ),
        MODERN_ARRAYS: images_per_second(
            iter(tfdata_array_flow(images, labels, augment, batch_size=batch_size).repeat()), num_batches
        ),
    }
