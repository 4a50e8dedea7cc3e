"""Long training runs made bearable: how long it will take, and carrying on after a stop.

Notebook 10 trains for minutes on the synthetic faces and for most of an hour on real
FER2013. These tools make the long run safe to start:

* :func:`estimate_epoch_seconds` -- before the run, train a throwaway copy of the model for
  a few batches and scale the time to one epoch: the expected duration, on this machine.
* :class:`Progress` -- a callback printing one line per epoch: the metrics, the epoch's
  time and an estimate of the time left (ETA).
* :meth:`EpochEstimate.epochs_within` and :class:`TimeBudget` -- a run sized to a time
  budget: as many epochs as the estimate says fit, and a stop if the machine turns out slower.
* :class:`Resume` -- a callback that saves, after every epoch, everything ``fit`` needs to
  go on (the weights with the optimizer's state, the epoch, the history so far, the other
  callbacks' counters) and puts it back when the same training is started again: a
  stopped kernel or a closed laptop costs at most the epoch that was running.
* :func:`train_or_load` -- load the finished model, or train it (going on after a stop),
  never replacing a finished model with a half-trained one.

This module imports Keras when it is imported (its callbacks are Keras classes).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from helpers import files, models
from helpers.errors import ModelFileError, ResumeError

# isort: split
import keras

#: What :class:`Resume` carries over from the other callbacks: their best value so far and
#: their counters (ModelCheckpoint's ``best``; EarlyStopping's ``best``, ``wait`` and
#: ``best_epoch``; ReduceLROnPlateau's ``best``, ``wait`` and ``cooldown_counter``).
CARRIED_OVER = ("best", "wait", "best_epoch", "cooldown_counter")

_STATE = "state.json"
_WEIGHTS = "latest.weights.h5"


def resume_folder(checkpoint_path) -> Path:
    """Where :class:`Resume` keeps the state of the training that writes ``checkpoint_path``
    (``m.training.keras`` -> ``m.training.resume/``), so that :func:`train_or_load` finds it
    too."""
    checkpoint_path = Path(checkpoint_path)
    return checkpoint_path.with_name(checkpoint_path.stem + ".resume")


def read_state(folder) -> dict | None:
    """The state saved in ``folder`` (epochs finished, history, counters), or ``None``."""
    path = Path(folder) / _STATE
    if not path.is_file():
        return None
    try:
        state = json.loads(path.read_text())
        int(state["epoch"]), dict(state["history"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ResumeError(
            f"{path} is not a training state this course wrote ({exc}). Delete the folder "
            f"{Path(folder).name} to start the training over."
        ) from exc
    return state


class Resume(keras.callbacks.Callback):
    """Save the training's state after every epoch; continue from it when started again.

    ``folder`` holds the state (:func:`resume_folder` gives the course's place for it);
    ``callbacks`` are the other callbacks of the run whose counters must carry over, e.g. a
    ``ModelCheckpoint(save_best_only=True)``, which would otherwise overwrite its best model
    with the first epoch after the restart. Pass ``initial_epoch=resume.initial_epoch`` to
    ``fit``, as Keras does for any resumed run::

        resume = training.Resume(training.resume_folder(checkpoint_path), callbacks=others)
        model.fit(..., initial_epoch=resume.initial_epoch, callbacks=[*others, resume])

    :attr:`history` holds every epoch's figures, those before the stop included. A resumed
    run is not identical to an uninterrupted one (the shuffling starts afresh), but it goes
    on from the same weights, optimizer state and learning rate. The folder stays after
    ``fit``; :func:`train_or_load` deletes it once the model is in place.
    """

    def __init__(self, folder, callbacks=()):
        super().__init__()
        self.folder = Path(folder)
        self.others = list(callbacks)
        self.state = read_state(self.folder)
        #: The number of epochs already finished: give it to ``fit`` as ``initial_epoch``.
        self.initial_epoch: int = int(self.state["epoch"]) if self.state else 0
        self.history: dict[str, list[float]] = (
            {k: [float(v) for v in values] for k, values in self.state["history"].items()}
            if self.state
            else {}
        )
        self._pending = None  # the last finished epoch, saved again when the next one starts
        self._counters_restored = False

    def on_train_begin(self, logs=None):
        if self.state is None:
            return
        optimizer = self.model.optimizer
        if optimizer is not None and not optimizer.built:
            optimizer.build(self.model.trainable_variables)  # its variables must exist to be loaded
        try:
            self.model.load_weights(self.folder / _WEIGHTS)
        except Exception as exc:  # another architecture, another optimizer, a damaged file
            first_line = (str(exc).strip().splitlines() or [""])[0][:200]  # Keras appends the weights' values
            raise ResumeError(
                f"The interrupted training saved in {self.folder} does not fit this model "
                f"({type(exc).__name__}: {first_line}). Was the model or the optimizer changed? "
                "Delete that folder to start the training over."
            ) from exc

    def on_epoch_begin(self, epoch, logs=None):
        # The other callbacks reset their counters in their own on_train_begin, which may run
        # after this one's: put the saved ones back here, before the first epoch.
        if self.state is not None and not self._counters_restored:
            for callback, saved in zip(self.others, self.state.get("callbacks", []), strict=False):
                for name, value in saved.items():
                    setattr(callback, name, value)
        self._counters_restored = True
        self._save(final=True)

    def on_epoch_end(self, epoch, logs=None):
        # Saved now, and once more when the next epoch starts (or training ends): callbacks
        # after this one in the list may still change the logs (the learning rate), the
        # optimizer's learning rate or their counters for this epoch.
        self._pending = (epoch, logs if logs is not None else {})
        self._save(final=False)

    def on_train_end(self, logs=None):
        self._save(final=True)

    def _save(self, *, final: bool):
        if self._pending is None:
            return
        epoch, logs = self._pending
        history = {key: list(values) for key, values in self.history.items()}
        for key, value in logs.items():
            history.setdefault(key, []).append(float(value))
        self.folder.mkdir(parents=True, exist_ok=True)
        with files.replaced_atomically(self.folder / _WEIGHTS) as tmp:  # a stop leaves the last whole
            self.model.save_weights(tmp)
        counters = []
        for cb in self.others:
            values = {name: _plain(getattr(cb, name, None)) for name in CARRIED_OVER}
            counters.append({name: value for name, value in values.items() if value is not None})
        state = {"epoch": epoch + 1, "history": history, "callbacks": counters}
        if self.params.get("epochs"):  # the run's plan, kept for a restart (planned_epochs)
            state["epochs_planned"] = int(self.params["epochs"])
        with files.replaced_atomically(self.folder / _STATE) as tmp:
            tmp.write_text(json.dumps(state, indent=1) + "\n")
        if final:
            self.history, self._pending = history, None


def _plain(value):
    """A number JSON can hold (an int stays an int, ``inf`` is allowed), or ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        return int(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def forget(folder) -> None:
    """Delete a training state folder (after the finished model is safely in place)."""
    folder = Path(folder)
    if (folder / _STATE).is_file() or (folder / _WEIGHTS).is_file():
        shutil.rmtree(folder)


def duration(seconds: float) -> str:
    """``seconds`` as a short text: ``"45 s"``, ``"12 min"``, ``"1 h 05 min"``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _typical(seconds: list[float]) -> float:
    """The typical epoch time: the median, leaving out the first epoch (it also builds the
    graph) once there are others."""
    return statistics.median_high(seconds[1:] or seconds)


class Progress(keras.callbacks.Callback):
    """One line per epoch: the figures, the epoch's time and the time left.

    The time left is the epochs still to run times the typical epoch time (the median of
    the epochs so far, leaving out the first, which also builds the graph, once there are
    others). It assumes every planned epoch runs: early stopping can only make it shorter.
    Use with ``verbose=0`` in ``fit`` (this replaces Keras' own lines). Each epoch's time
    also goes into the history, as ``seconds``, so it is saved with it, and so does its
    learning rate, as ``learning_rate`` (``ReduceLROnPlateau`` logs it itself; a schedule does not).
    """

    def __init__(self, stream=None, clock=time.perf_counter):
        super().__init__()
        self.stream = stream
        self.clock = clock
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = self.clock()
        self._lr = _learning_rate(self.model)

    def on_epoch_end(self, epoch, logs=None):
        took = self.clock() - self._start
        self.seconds.append(took)
        total = self.params.get("epochs") or epoch + 1
        typical = _typical(self.seconds)
        left = (total - epoch - 1) * typical
        figures = "  ".join(
            f"{key} {value:.3f}"
            for key, value in (logs or {}).items()
            if key not in ("learning_rate", "seconds")
        )
        if logs is not None:
            logs["seconds"] = took  # into the history (Keras records the logs after every callback)
            if self._lr is not None:  # the rate this epoch ran at, unless a callback logged it already
                logs.setdefault("learning_rate", self._lr)
        lr = f"  lr {self._lr:.0e}" if self._lr is not None else ""
        end = f"about {duration(left)} left" if left > 0 else "done"
        print(
            f"epoch {epoch + 1:>{len(str(total))}}/{total}  {figures}{lr}  {took:.0f} s  ({end})",
            file=self.stream or sys.stdout,
            flush=True,
        )


def _learning_rate(model) -> float | None:
    try:
        return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    except Exception:  # no optimizer yet, or a schedule object
        return None


@dataclass
class EpochEstimate:
    """What :func:`estimate_epoch_seconds` measured."""

    seconds_per_step: float
    steps_per_epoch: int
    validation_seconds: float
    start_seconds: float = 0.0  # from the epoch's start to its first batch (filling the shuffle buffer)

    @property
    def seconds_per_epoch(self) -> float:
        return self.start_seconds + self.seconds_per_step * self.steps_per_epoch + self.validation_seconds

    def describe(self, epochs: int) -> str:
        """A sentence for the learner: per epoch, and for ``epochs`` of them."""
        return (
            f"about {duration(self.seconds_per_epoch)} per epoch on this machine "
            f"({self.steps_per_epoch} batches at {self.seconds_per_step * 1000:.0f} ms, validation "
            f"{duration(self.validation_seconds)}): at most about {duration(epochs * self.seconds_per_epoch)} "
            f"for {epochs} epochs (early stopping or a time budget may end it sooner)"
        )

    def epochs_within(self, budget_seconds: float, *, most: int) -> int:
        """How many epochs fit in ``budget_seconds`` at this pace: at least 1, at most ``most``."""
        if budget_seconds <= 0:
            raise ValueError(f"the budget must be a positive number of seconds, got {budget_seconds}")
        return max(1, min(int(most), int(budget_seconds // self.seconds_per_epoch)))


class TimeBudget(keras.callbacks.Callback):
    """Stop training before an epoch that would end after ``seconds`` (counted from the start
    of ``fit``), judging by the typical epoch so far (the median, as :class:`Progress`).

    A guard for a run planned with :meth:`EpochEstimate.epochs_within`: if the machine turns
    out slower than the estimate (another program, a laptop on battery), the run still ends
    in time, keeping the best epoch so far. After a :class:`Resume` the budget starts again.
    """

    def __init__(self, seconds: float, stream=None, clock=time.perf_counter):
        super().__init__()
        self.seconds = float(seconds)
        self.stream = stream
        self.clock = clock
        self.stopped_after: int | None = None  # the epoch (1-based) after which it stopped the run

    def on_train_begin(self, logs=None):
        self._begin = self._last = self.clock()
        self._epochs: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        now = self.clock()
        self._epochs.append(now - self._last)
        self._last = now
        typical = _typical(self._epochs)
        total = self.params.get("epochs") or epoch + 1
        if epoch + 1 < total and now - self._begin + typical > self.seconds:
            self.model.stop_training = True
            self.stopped_after = epoch + 1
            print(
                f"time budget: another epoch of about {duration(typical)} would end after the "
                f"{duration(self.seconds)} budget; stopping after epoch {epoch + 1} of {total}",
                file=self.stream or sys.stdout,
                flush=True,
            )


class _BatchClock(keras.callbacks.Callback):
    """Times of the epoch's start and of each batch's start and end."""

    def __init__(self):
        super().__init__()
        self.epoch_start, self.starts, self.ends = None, [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start = time.perf_counter()

    def on_train_batch_begin(self, batch, logs=None):
        self.starts.append(time.perf_counter())

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(time.perf_counter())


def estimate_epoch_seconds(build, dataset, validation=None, *, steps: int = 20) -> EpochEstimate:
    """Time ``steps`` training batches of a throwaway model and scale them to one epoch.

    ``build()`` returns a compiled model like the one to be trained (it is thrown away
    afterwards: the real run starts from its own fresh weights); ``dataset`` is the batched
    training ``tf.data.Dataset`` (its length gives the batches per epoch); ``validation``,
    an ``(x, y)`` pair, adds the time of one evaluation pass. The graph is built first
    (not timed), and the pace is taken between batches, so the start of the epoch (filling
    the shuffle buffer) is counted once, as in a real epoch. Costs a few seconds.
    """
    steps_per_epoch = int(dataset.cardinality())
    if steps_per_epoch <= 0:
        raise ValueError(
            "the dataset's length is unknown: give estimate_epoch_seconds a batched, finite dataset"
        )
    model = build()
    model.fit(dataset.take(2), epochs=1, verbose=0, shuffle=False)  # graph building: not training speed
    clock = _BatchClock()
    timed = max(2, min(steps, steps_per_epoch))
    model.fit(dataset.take(timed), epochs=1, verbose=0, shuffle=False, callbacks=[clock])
    per_step = (clock.ends[-1] - clock.starts[1]) / (timed - 1)  # from the second batch on
    start_seconds = max(0.0, clock.starts[0] - clock.epoch_start)
    validation_seconds = 0.0
    if validation is not None:
        x_val, y_val = validation
        model.evaluate(x_val[:64], y_val[:64], verbose=0)  # build the evaluation graph
        begin = time.perf_counter()
        model.evaluate(x_val, y_val, verbose=0)
        validation_seconds = time.perf_counter() - begin
    return EpochEstimate(per_step, steps_per_epoch, validation_seconds, start_seconds)


def side_file(path) -> Path:
    """Where :func:`train_or_load` trains the model for ``path``: ``<name>.training.keras``."""
    path = Path(path)
    return path.with_name(path.stem + ".training.keras")


def planned_epochs(path) -> int | None:
    """The number of epochs a stopped training of ``path`` (by :func:`train_or_load`, with
    :class:`Resume`) was planned for, or ``None`` when there is none to go on with.

    A run sized to a time budget uses it on a restart to keep its first plan: a new estimate
    could give another number of epochs, and so another schedule, half-way through."""
    try:
        state = read_state(resume_folder(side_file(path)))
    except ResumeError:
        return None
    return int(state["epochs_planned"]) if state and state.get("epochs_planned") else None


def train_or_load(path, train, *, retrain: bool = False, verbose: bool = True):
    """Load the model saved at ``path``, or train it when there is none (or ``retrain``).

    ``train(checkpoint_path)`` must build, fit and return the Keras ``History``, saving its
    best model to ``checkpoint_path`` (a ``ModelCheckpoint`` callback). Training writes to a
    side file, ``<name>.training.keras``, which replaces ``path`` only when training finished:
    an interrupted run never destroys a finished model, and an existing model is replaced only
    when ``retrain=True``. The training history is kept beside the model as
    ``<name>.history.json``, so curves can be drawn again without retraining.

    A run that uses :class:`Resume` in the folder ``resume_folder(checkpoint_path)`` continues
    after an interruption: calling this again goes on from the last finished epoch, and the
    history covers every epoch. The folder is deleted once the finished model is in place.

    Returns ``(model, history, trained)``: the model as saved on disk, the history as a dict
    of lists (``None`` if no history was saved with a model someone else made), and whether
    it was trained just now.
    """
    path = Path(path)
    history_path = path.with_name(path.stem + ".history.json")
    training_file = side_file(path)
    state_folder = resume_folder(training_file)

    def saved_state():
        try:
            return read_state(state_folder)
        except ResumeError:  # damaged: Resume says what to do if a training tries to use it
            return None

    state = saved_state()
    interrupted = state["epoch"] if state else 0
    if path.exists() and not retrain:
        model = models.load_model(path)
        history = json.loads(history_path.read_text()) if history_path.is_file() else None
        if verbose:
            print(f"Loaded {path.name}, trained before (set RETRAIN = True to train it again).")
            if interrupted:
                print(
                    f"An interrupted retraining ({interrupted} epochs done) is saved in {state_folder.name}/: "
                    "set RETRAIN = True to finish it."
                )
        return model, history, False
    path.parent.mkdir(parents=True, exist_ok=True)
    if verbose and interrupted:
        print(f"Resuming the interrupted training after epoch {interrupted} (saved in {state_folder.name}/).")
    result = train(training_file)
    if not training_file.is_file():
        raise ModelFileError(
            f"training did not save {training_file.name}: give fit a ModelCheckpoint to that path"
        )
    history = {key: [float(v) for v in values] for key, values in result.history.items()}
    state = saved_state()
    if state:  # a resumable run: its history also covers the epochs before a stop
        ran = len(history.get("loss", []))
        # this run's state (its last epochs are the ones just run), not a stale folder
        if not ran or state["history"].get("loss", [])[-ran:] == history["loss"]:
            history = state["history"]
    files.move_into_place(training_file, path)  # the old model stays whole until this moment
    history_path.write_text(json.dumps(history, indent=1) + "\n")
    forget(state_folder)
    if verbose:
        print(f"Saved the best model to {path.name} and its history to {history_path.name}.")
    return models.load_model(path), history, True
