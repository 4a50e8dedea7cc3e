"""helpers.pipelines: notebook 08's two input pipelines deliver the same kind of batches,
with FER2013's label numbers, and their speed is measured fairly: whole epochs after an
untimed warm-up epoch, repeated in turns that rotate. No test asserts a speed."""

from __future__ import annotations

import shutil
import time

import numpy as np
import pytest
import tensorflow as tf

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


def fake_pipeline(name, seconds, log, clock):
    """One epoch function per pass: two batches of 4 faces, taking ``seconds[i]`` on ``clock``
    in pass i (the first pass is the warm-up); each pass is logged under ``name``."""
    passes = iter(seconds)

    def epoch():
        took = next(passes)
        log.append(name)
        for _ in range(2):
            clock[0] += took / 2
            yield np.zeros((4, 48, 48, 1)), np.zeros(4)

    return epoch


def test_time_pipelines_times_whole_epochs_in_rotating_turns_after_an_untimed_warm_up(monkeypatch):
    clock, log = [0.0], []
    monkeypatch.setattr(time, "perf_counter", lambda: clock[0])
    rates = pipelines.time_pipelines(
        {
            "a": fake_pipeline("a", [100, 1, 2, 4, 8], log, clock),  # warm-up 100 s, then 8 faces/s, 4, 2, 1
            "b": fake_pipeline("b", [100, 4, 4, 4, 4], log, clock),
            "c": fake_pipeline("c", [100, 8, 8, 8, 8], log, clock),
        },
        repeats=4,
    )
    warm_up, rounds = log[:3], [log[3 + 3 * r : 6 + 3 * r] for r in range(4)]
    assert warm_up == ["a", "b", "c"] and len(log) == 3 + 3 * 4  # each warms up once, in the given order
    # round r starts with pipeline r, wrapping round: no pipeline always goes first
    assert rounds == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]
    assert rates == {  # each pipeline's timings, whatever its place in the round
        "a": pipelines.Rate(median=3, low=1, high=8),
        "b": pipelines.Rate(2, 2, 2),
        "c": pipelines.Rate(1, 1, 1),
    }
    log.clear()
    two = pipelines.time_pipelines({"a": fake_pipeline("a", [100, 1, 3], log, clock)}, epochs=2, repeats=1)
    assert log == ["a"] * 3 and two["a"] == pipelines.Rate(4, 4, 4)  # 16 faces in 4 s
    with pytest.raises(ValueError, match="repeats"):
        pipelines.time_pipelines({}, repeats=0)


def test_one_epoch_of_a_legacy_flow_is_each_face_once():
    images, labels = np.zeros((10, 48, 48, 1), "float32"), np.arange(10)
    epoch = pipelines.one_epoch(pipelines.legacy_array_flow(images, labels, batch_size=4))
    for _ in range(2):  # the flow never ends: each call takes its next epoch
        batches = [y for _, y in epoch()]
        assert [len(y) for y in batches] == [4, 4, 2] and sorted(np.concatenate(batches)) == list(range(10))


@pytest.fixture
def tiny_dir(tmp_path, train_dir):
    """Two faces per class in ``train/`` and ``test/``: 14 faces, 4 batches of 4 per epoch."""
    for split in ("train", "test"):
        for name in data.CLASS_NAMES:
            (tmp_path / split / name).mkdir(parents=True)
            for face in sorted((train_dir / name).iterdir())[:2]:
                shutil.copy(face, tmp_path / split / name)
    return tmp_path / "train"


def test_uncached_tfdata_decodes_the_files_in_every_pass_and_cached_only_in_the_first(tiny_dir):
    cached = pipelines.tfdata_flow(tiny_dir, batch_size=4)
    uncached = pipelines.tfdata_flow(tiny_dir, cache=False, batch_size=4)
    for dataset in (cached, uncached):
        assert sum(len(x) for x, _ in dataset) == 14  # the first pass (compare's warm-up epoch)
    for face in tiny_dir.rglob("*.png"):
        face.unlink()
    assert sum(len(x) for x, _ in cached) == 14  # from memory
    with pytest.raises(tf.errors.NotFoundError):
        sum(len(x) for x, _ in uncached)  # a timed epoch reads the files again


def test_compare_gives_a_median_and_a_range_for_each_of_the_five(tiny_dir):
    rates = pipelines.compare(tiny_dir, repeats=2, batch_size=4)
    assert list(rates) == [
        pipelines.LEGACY,
        pipelines.MODERN_UNCACHED,
        pipelines.MODERN,
        pipelines.LEGACY_ARRAYS,
        pipelines.MODERN_ARRAYS,
    ]
    assert all(0 < rate.low <= rate.median <= rate.high for rate in rates.values())


def test_array_pipelines_and_the_uncached_one_give_the_same_kind_of_batches(train_dir):
    split = data.load_image_folders(train_dir.parent)["train"]
    images, labels = data.add_channel(split.images[:40]).astype("float32"), split.labels[:40]
    x_old, _ = next(pipelines.legacy_array_flow(images, labels, batch_size=8))
    x_new, y_new = next(iter(pipelines.tfdata_array_flow(images, labels, batch_size=8)))
    x_files, _ = next(iter(pipelines.tfdata_flow(train_dir, batch_size=8, cache=False)))
    assert x_old.shape == (8, 48, 48, 1) and x_old.max() <= 1.0  # the generator rescales, from arrays too
    assert tuple(x_new.shape) == tuple(x_files.shape) == (8, 48, 48, 1)
    assert float(np.max(x_new)) > 1.0 and set(np.asarray(y_new).tolist()) <= set(labels.tolist())
