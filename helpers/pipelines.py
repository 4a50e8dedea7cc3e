"""The two input pipelines of notebook 08, packaged so that notebook 08 and the benchmark
measure exactly the same thing.

* :func:`legacy_flow` -- Keras' legacy ``ImageDataGenerator.flow_from_directory``: reads,
  decodes and transforms each face in Python and SciPy, every epoch.
* :func:`tfdata_flow` -- ``image_dataset_from_directory`` -> ``cache`` -> ``shuffle`` ->
  ``batch`` -> augmentation layers mapped over whole batches -> ``prefetch``.
* :func:`images_per_second` -- how fast a pipeline delivers batches, after a warm-up.
* :func:`compare` -- both pipelines on one folder, measured the same way.

Both yield batches of ``(32, 48, 48, 1)`` augmented grey faces with FER2013's label numbers.
"""

from __future__ import annotations

from pathlib import Path

from helpers import config, models, timing
from helpers.data import CLASS_NAMES, IMAGE_SIZE

LEGACY = "ImageDataGenerator.flow_from_directory"
MODERN = "tf.data + augmentation layers (cached)"


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


def tfdata_flow(folder, augment=None, *, batch_size: int = 32, seed: int = config.SEED):
    """A ``tf.data.Dataset`` of augmented batches from ``folder``'s class subfolders.

    Faces are decoded once and cached in memory, shuffled every epoch, batched, augmented by
    ``augment`` (default :func:`helpers.models.augmentation`) on whole batches in parallel,
    and prefetched. Pixels stay 0-255: the model rescales them. The first pass fills the
    cache, so it is slower than the ones after it.
    """
    import keras
    import tensorflow as tf

    augment = augment if augment is not None else models.augmentation()
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
    return (
        faces.cache()
        .shuffle(count, seed=seed)
        .batch(batch_size)
        .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


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


def compare(folder, num_batches: int = 60, *, generator=None, augment=None) -> dict[str, float]:
    """Images per second of both pipelines on ``folder`` (the tf.data cache filled first, as
    after the first epoch), as ``{LEGACY: rate, MODERN: rate}``."""
    folder = Path(folder)
    legacy = legacy_flow(folder, generator)
    modern = tfdata_flow(folder, augment)
    for _ in modern:  # the first epoch fills the cache
        pass
    return {
        LEGACY: images_per_second(legacy, num_batches),
        MODERN: images_per_second(iter(modern.repeat()), num_batches),
    }
