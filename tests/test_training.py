"""helpers.training: the time estimate, the per-epoch progress line, and resuming a stopped
training through training.train_or_load."""

from __future__ import annotations

import io
import json

import keras
import numpy as np
import pytest

from helpers import models, training

X = np.random.default_rng(0).integers(0, 256, (40, 48, 48, 1)).astype("uint8")
Y = np.arange(40) % 7
LR0 = 0.01


def _tiny_model(hidden: int = 8):
    model = keras.Sequential(
        [
            keras.Input((48, 48, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(7, activation="softmax"),
        ]
    )
    return models.compile_classifier(model, learning_rate=LR0)


class Stop(keras.callbacks.Callback):
    """Stops the run half-way through ``epoch``, as a learner pressing the stop button would."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if self.current == self.epoch and batch == 2:
            raise KeyboardInterrupt


class Record(keras.callbacks.Callback):
    """Notes the optimizer's step count when each epoch starts."""

    def __init__(self):
        super().__init__()
        self.iterations = {}

    def on_epoch_begin(self, epoch, logs=None):
        self.iterations[epoch] = int(self.model.optimizer.iterations.numpy())


def _trainer(runs, *, stop_at=None, epochs=6, hidden=8):
    """A train(checkpoint) function for train_or_load, with Resume and the usual callbacks.
    ReduceLROnPlateau halves the learning rate after every epoch but the first (nothing counts
    as better),
    so a learning rate that was not carried over would show. Resume comes before the callbacks
    it carries over, the harder order: they change the learning rate and their counters after
    it has seen the epoch end."""

    def train(checkpoint):
        keras.utils.set_random_seed(0)
        model = _tiny_model(hidden)
        others = [
            keras.callbacks.ModelCheckpoint(checkpoint, monitor="val_loss", save_best_only=True),
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=50),
            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=0, min_delta=1e9),
        ]
        resume = training.Resume(training.resume_folder(checkpoint), callbacks=others)
        record = Record()
        runs.append({"initial_epoch": resume.initial_epoch, "record": record, "others": others})
        extra = [Stop(stop_at)] if stop_at is not None else []
        return model.fit(
            X, Y, validation_data=(X, Y), batch_size=8, epochs=epochs, verbose=0,
            initial_epoch=resume.initial_epoch, callbacks=[record, *extra, resume, *others],
        )  # fmt: skip

    return train


def test_a_stopped_training_goes_on_from_its_last_epoch(tmp_path):
    path = tmp_path / "m.keras"
    folder = tmp_path / "m.training.resume"
    runs = []
    with pytest.raises(KeyboardInterrupt):
        training.train_or_load(path, _trainer(runs, stop_at=3), verbose=False)
    assert not path.exists()  # nothing finished, nothing in place
    state = json.loads((folder / "state.json").read_text())
    assert state["epoch"] == 3 and len(state["history"]["loss"]) == 3
    best_before = min(state["history"]["val_loss"])
    assert state["callbacks"][0]["best"] == pytest.approx(best_before)  # ModelCheckpoint's best so far
    assert training.planned_epochs(path) == 6  # the plan survives the stop, for a budgeted schedule

    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        model, history, trained = training.train_or_load(path, _trainer(runs), verbose=True)
    assert "Resuming the interrupted training after epoch 3" in out.getvalue()
    second = runs[1]
    assert second["initial_epoch"] == 3 and sorted(second["record"].iterations) == [3, 4, 5]
    assert second["record"].iterations[3] == 3 * 5  # the optimizer's state came back: 5 steps per epoch
    assert trained and path.is_file() and not folder.exists()  # finished: the state is cleared away
    assert training.planned_epochs(path) is None  # nothing left to go on with
    assert len(history["loss"]) == 6  # the history covers the epochs before the stop too
    # the rate each epoch ran at: the first epoch sets the best value, then one halving per
    # epoch, running on across the stop (0.0025 in epoch 4, as without one)
    np.testing.assert_allclose(history["learning_rate"], LR0 * 0.5 ** np.array([0, 0, 1, 2, 3, 4]), rtol=1e-5)
    assert second["others"][0].best == pytest.approx(min(history["val_loss"]))
    assert json.loads((tmp_path / "m.history.json").read_text()) == history


def test_a_saved_state_that_does_not_fit_the_model_says_to_delete_it(tmp_path):
    path = tmp_path / "m.keras"
    with pytest.raises(KeyboardInterrupt):
        training.train_or_load(path, _trainer([], stop_at=1), verbose=False)
    with pytest.raises(
        training.ResumeError,
        match=r"does not fit this model \(ValueError: A total of 3 objects.*\)\. Was the model.*Delete that folder",
    ):
        training.train_or_load(path, _trainer([], hidden=5), verbose=False)  # another architecture
    (tmp_path / "m.training.resume" / "state.json").write_text("{half a file")
    with pytest.raises(training.ResumeError, match="Delete the folder m.training.resume"):
        training.Resume(tmp_path / "m.training.resume")


def test_a_finished_model_is_kept_and_an_interrupted_retraining_is_mentioned(tmp_path, capsys):
    path = tmp_path / "m.keras"
    training.train_or_load(path, _trainer([], epochs=2), verbose=False)
    before = path.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        training.train_or_load(path, _trainer([], stop_at=1), retrain=True, verbose=False)
    assert path.read_bytes() == before
    _, _, trained = training.train_or_load(path, _trainer([]), verbose=True)
    assert not trained and path.read_bytes() == before
    assert "interrupted retraining (1 epochs done)" in capsys.readouterr().out


def test_progress_prints_each_epoch_with_the_time_left():
    ticks = iter([0, 30, 30, 50, 50, 70])  # epochs of 30 s (with the graph building), then 20 s
    out = io.StringIO()
    progress = training.Progress(stream=out, clock=lambda: next(ticks))
    progress.set_model(_tiny_model())
    progress.set_params({"epochs": 5})
    logs = []
    for epoch in range(3):
        progress.on_epoch_begin(epoch)
        logs.append({"loss": 1.5, "val_accuracy": 0.25})
        progress.on_epoch_end(epoch, logs[-1])
    assert [entry["seconds"] for entry in logs] == [30, 20, 20]  # kept in the history
    assert [entry["learning_rate"] for entry in logs] == [pytest.approx(LR0)] * 3  # not logged by Keras
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("epoch 1/5  loss 1.500  val_accuracy 0.250  lr 1e-02  30 s")
    assert lines[0].endswith("(about 2 min left)")  # 4 more epochs of 30 s
    assert lines[2].endswith("20 s  (about 40 s left)")  # 2 more of the typical 20 s, not 30
    assert [training.duration(s) for s in (45, 720, 3900)] == ["45 s", "12 min", "1 h 05 min"]


def test_the_estimate_scales_timed_batches_to_an_epoch():
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    estimate = training.estimate_epoch_seconds(_tiny_model, ds, (X, Y), steps=3)
    assert estimate.steps_per_epoch == 5 and estimate.seconds_per_step > 0 and estimate.validation_seconds > 0
    assert estimate.seconds_per_epoch == pytest.approx(
        estimate.start_seconds + 5 * estimate.seconds_per_step + estimate.validation_seconds
    )
    assert "for 40 epochs" in estimate.describe(40)
    with pytest.raises(ValueError, match="length is unknown"):
        training.estimate_epoch_seconds(_tiny_model, ds.filter(lambda x, y: True))


def test_a_budget_plans_the_epochs_that_fit_and_stops_a_slower_run_in_time():
    estimate = training.EpochEstimate(seconds_per_step=0.5, steps_per_epoch=100, validation_seconds=10)
    assert estimate.seconds_per_epoch == 60
    assert estimate.epochs_within(40 * 60, most=50) == 40
    assert estimate.epochs_within(40 * 60, most=30) == 30  # the recipe's cap wins
    assert estimate.epochs_within(59, most=30) == 1  # one epoch at least
    with pytest.raises(ValueError, match="positive"):
        estimate.epochs_within(0, most=30)

    ticks = iter([0, 80, 150, 220, 290])  # start, then epochs of 80, 70, 70, 70 s
    out = io.StringIO()
    budget = training.TimeBudget(300, stream=out, clock=lambda: next(ticks))
    budget.set_model(_tiny_model())
    budget.set_params({"epochs": 10})
    budget.on_train_begin()
    for epoch in range(4):
        budget.on_epoch_end(epoch)
        if budget.model.stop_training:
            break
    # after epoch 3 (220 s) another 70 s epoch ends at 290 s: in time; after epoch 4, no
    assert budget.stopped_after == 4 and budget.model.stop_training
    assert "stopping after epoch 4 of 10" in out.getvalue()

    last = training.TimeBudget(10, stream=out, clock=iter([0, 100]).__next__)
    last.set_model(_tiny_model())
    last.set_params({"epochs": 1})
    last.on_train_begin()
    last.on_epoch_end(0)
    assert last.stopped_after is None  # the last epoch: nothing left to stop


def test_the_fer2013_recipe_adds_capacity_after_the_pooling():
    model = models.build_emotion_cnn(**models.RECIPES["fer2013"]["model"])
    assert model.output_shape == (None, 7) and models.last_conv_layer(model) == "relu4b"
    assert model.get_layer("relu4b").output.shape[1:] == (6, 6, 128)  # before its pooling
    widths = (1, 16, 32, 64, 128)
    conv = sum(9 * a * b + 9 * b * b + 2 * 4 * b for a, b in zip(widths, widths[1:], strict=False))
    assert model.count_params() == conv + (128 * 128 + 128) + (128 * 7 + 7) == 312_087
    augment = model.get_layer("augment")
    assert [type(layer).__name__ for layer in augment.layers][-2:] == ["RandomTranslation", "RandomZoom"]
    assert augment.layers[-2].height_factor == 0.1  # the recipe's 10 % shifts reach the layers


def test_the_synthetic_recipe_is_the_default_emotion_cnn():
    recipe = models.build_emotion_cnn(**models.RECIPES["synthetic"]["model"])
    default = models.build_emotion_cnn()
    assert [layer.name for layer in recipe.layers] == [layer.name for layer in default.layers]
    assert recipe.count_params() == default.count_params() == 72_919
    assert models.last_conv_layer(default) == "relu3b"


def test_train_or_load_trains_once_then_loads_and_never_overwrites(tmp_path):
    import keras

    x = np.random.default_rng(0).integers(0, 256, (32, 48, 48, 1)).astype("uint8")
    y = np.arange(32) % 7
    calls = []

    def train(checkpoint):
        calls.append(checkpoint)
        model = _tiny_model()
        return model.fit(
            x,
            y,
            epochs=2,
            verbose=0,
            validation_data=(x, y),
            callbacks=[keras.callbacks.ModelCheckpoint(checkpoint, save_best_only=True)],
        )

    path = tmp_path / "m.keras"
    model, history, trained = training.train_or_load(path, train, verbose=False)
    assert trained and path.is_file() and len(history["loss"]) == 2
    assert calls == [tmp_path / "m.training.keras"] and not calls[0].exists()  # side file moved into place
    before = path.stat().st_mtime_ns
    again, history2, trained2 = training.train_or_load(path, train, verbose=False)
    assert not trained2 and len(calls) == 1 and history2 == history
    assert path.stat().st_mtime_ns == before  # loaded, not rewritten
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    _, _, trained3 = training.train_or_load(path, train, retrain=True, verbose=False)
    assert trained3 and len(calls) == 2


def test_train_or_load_keeps_the_old_model_when_training_fails(tmp_path):
    path = tmp_path / "m.keras"
    _tiny_model().save(path)
    before = path.read_bytes()

    def broken(checkpoint):
        raise KeyboardInterrupt  # the learner pressed stop half-way

    with pytest.raises(KeyboardInterrupt):
        training.train_or_load(path, broken, retrain=True, verbose=False)
    assert path.read_bytes() == before


def test_the_fer2013_recipe_plans_to_a_budget_the_synthetic_one_halves_on_plateaus():
    fer2013, synthetic = models.RECIPES["fer2013"], models.RECIPES["synthetic"]
    assert fer2013["schedule"] == "cosine" and 0 < fer2013["budget_minutes"] <= 45  # issue 28: at most 45 min
    assert "lr_patience" not in fer2013  # ReduceLROnPlateau cannot change a schedule's rate
    assert "stop_patience" not in fer2013  # early stopping would cut the cosine's low-rate end
    assert synthetic["schedule"] == "plateau" and synthetic["lr_patience"] < synthetic["stop_patience"]


def test_a_checkpoint_seeded_with_the_start_keeps_it_until_an_epoch_beats_it(tmp_path):
    # notebook 10's transfer recipe relies on this: the start is saved first, and the checkpoint
    # overwrites it only with an epoch above initial_value_threshold (the start's val accuracy)
    path = tmp_path / "start.keras"
    model = _tiny_model()
    model.save(path)
    saved = path.read_bytes()

    def fit(threshold):
        checkpoint = keras.callbacks.ModelCheckpoint(
            path, monitor="val_accuracy", save_best_only=True, initial_value_threshold=threshold
        )
        stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, baseline=threshold)
        history = model.fit(X, Y, validation_data=(X, Y), epochs=5, verbose=0, callbacks=[checkpoint, stop])
        return len(history.history["loss"])

    assert fit(1.01) == 2  # no epoch can beat an accuracy above 1: stopped after the patience
    assert path.read_bytes() == saved  # and the start is still in the file
    fit(-0.01)
    assert path.read_bytes() != saved  # any epoch beats this threshold: it is saved
