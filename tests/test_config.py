"""helpers.config: the two switches, paths, seeding. Switches are read at import, so each
case runs in a fresh interpreter with its own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import config

PROBE = (
    "import json, os; from helpers import config; "
    "print(json.dumps({'fast': config.FAST, 'dataset': config.DATASET, 'data': str(config.data_dir()),"
    " 'models': str(config.MODELS_DIR), 'tf_log': os.environ.get('TF_CPP_MIN_LOG_LEVEL'),"
    " 'pick': config.pick(full=20, fast=2)}))"
)


def probe(**env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("COURSE_") and k != "TF_CPP_MIN_LOG_LEVEL"
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True
    )
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_full_mode_is_the_default():
    got = probe()
    assert got["fast"] is False and got["pick"] == 20
    assert got["data"] == str(config.ROOT / "data" / "synthetic")
    assert got["models"] == str(config.ROOT / "models")
    assert got["tf_log"] == "2"  # TensorFlow's C++ log noise turned down


def test_fast_mode_shrinks_and_keeps_its_outputs_apart():
    got = probe(COURSE_FAST="1")
    assert got["fast"] is True and got["pick"] == 2
    assert got["data"] == str(config.ROOT / "build" / "fast" / "data" / "synthetic")
    assert got["models"] == str(config.ROOT / "build" / "fast" / "models")


def test_the_test_suite_keeps_what_it_generates_in_a_folder_of_its_own(tmp_path):
    got = probe(COURSE_FAST="1", COURSE_WORK_DIR=str(tmp_path))
    assert got["data"] == str(tmp_path / "data" / "synthetic") and got["models"] == str(tmp_path / "models")
    assert config.WORK_DIR == config.ROOT / "build" / "test"  # this run's (conftest.py)


def test_fer2013_switch(tmp_path):
    got = probe(COURSE_DATASET="fer2013")
    assert got["dataset"] == "fer2013" and got["data"] == str(config.ROOT / "data" / "fer2013")
    got = probe(COURSE_DATASET="FER2013", COURSE_FER2013_PATH=str(tmp_path))
    assert got["data"] == str(tmp_path)


def test_unknown_dataset_is_a_clear_error():
    err = probe(COURSE_DATASET="imagenet")
    assert "COURSE_DATASET='imagenet' is not a data set this course knows" in err


def test_set_seed_makes_numpy_and_tensorflow_repeat():
    import numpy as np
    import tensorflow as tf

    config.set_seed(7)
    a = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    config.set_seed(7)
    b = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_ensure_dir_creates_and_keeps_contents(tmp_path):
    target = config.ensure_dir(tmp_path / "a" / "b")
    (target / "keep.txt").write_text("mine")
    config.ensure_dir(target)
    assert (target / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("text", ["mode", "data set", "data folder", "seed"])
def test_describe_mentions(text):
    assert text in config.describe()
