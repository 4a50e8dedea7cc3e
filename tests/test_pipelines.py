"""helpers.pipelines: notebook 08's two input pipelines deliver the same kind of batches,
with FER2013's label numbers, and their speed can be measured."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import config, data, pipelines


@pytest.fixture(scope="module")
def train_dir():
    return data.ensure_dataset(config.SYNTHETIC_DIR, verbose=False) / "train"  # the fast-mode set


def test_both_pipelines_give_augmented_grey_batches_in_fer_order(train_dir):
    x_old, y_old = next(pipelines.legacy_flow(train_dir, batch_size=8))
    x_new, y_new = next(iter(pipelines.tfdata_flow(train_dir, batch_size=8)))
    assert x_old.shape == (8, 48, 48, 1) and tuple(x_new.shape) == (8, 48, 48, 1)
    assert x_old.max() <= 1.0  # the generator rescales
    assert float(np.max(x_new)) > 1.0  # the tf.data pipeline keeps 0-255: the model rescales
    flow = pipelines.legacy_flow(train_dir)
    assert flow.class_indices == {name: i for i, name in enumerate(data.CLASS_NAMES)}
    assert set(np.asarray(y_new).tolist()) <= set(range(7))


def test_images_per_second_counts_faces_after_a_warm_up():
    served = []

    def batches():
        while True:
            served.append(1)
            yield np.zeros((4, 48, 48, 1)), np.zeros(4)

    rate = pipelines.images_per_second(batches(), 5)
    assert rate > 0 and len(served) == 6  # one warm-up batch, then five timed ones


def test_array_pipelines_and_the_uncached_one_give_the_same_kind_of_batches(train_dir):
    split = data.load_image_folders(train_dir.parent)["train"]
    images, labels = data.add_channel(split.images[:40]).astype("float32"), split.labels[:40]
    x_old, _ = next(pipelines.legacy_array_flow(images, labels, batch_size=8))
    x_new, y_new = next(iter(pipelines.tfdata_array_flow(images, labels, batch_size=8)))
    x_files, _ = next(iter(pipelines.tfdata_flow(train_dir, batch_size=8, cache=False)))
    assert x_old.shape == (8, 48, 48, 1) and x_old.max() <= 1.0  # the generator rescales, from arrays too
    assert tuple(x_new.shape) == tuple(x_files.shape) == (8, 48, 48, 1)
    assert float(np.max(x_new)) > 1.0 and set(np.asarray(y_new).tolist()) <= set(labels.tolist())
