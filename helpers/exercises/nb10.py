"""Exercises of notebook 10 (the emotion CNN, end to end)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close

_LABELS = np.array([3, 3, 3, 6, 6, 0, 1, 4, 4, 3, 2, 5, 3, 6])  # happy (3) is the most common


def _test_majority_accuracy(fn):
    for labels, want in ((_LABELS, 5 / 14), (np.array([1, 1, 0]), 2 / 3), (np.array([5]), 1.0)):
        got = call(fn, labels)
        if not close(got, want):
            return (
                f"for labels {labels.tolist()} always answering the most common class is right "
                f"{want:.4f} of the time; your function returned {got!r}"
            )
    return None


def _solution_majority_accuracy():
    import numpy as np

    def majority_accuracy(labels):
        counts = np.bincount(labels)  # faces per class number
        # always answering the most common class is right for exactly its faces: their share
        return counts.max() / len(labels)

    return majority_accuracy


majority_accuracy = Exercise(
    key="10.1",
    title="the majority-class baseline",
    test=_test_majority_accuracy,
    hints=(
        "The baseline always answers the most frequent class; its accuracy is that class's share of the labels.",
        "Answers usually go wrong in one of three ways: returning the count instead of the share; assuming "
        "happy is always the most common class (it is in FER2013, not in every set of labels); or dividing "
        "1 by the number of classes, which is chance, not the majority.",
    ),
    solution=_solution_majority_accuracy,
    wrong_answers=[
        lambda labels: 1 / len(np.unique(labels)),  # chance among the classes present, not the majority
        lambda labels: float(np.bincount(labels).max()),  # a count, not a share
        lambda labels: float(np.mean(labels == 3)),  # happy is not always the majority
    ],
    other_answers=[lambda labels: max(np.mean(labels == c) for c in np.unique(labels))],
)


def _test_class_weights(fn):
    from sklearn.utils.class_weight import compute_class_weight

    for labels in (_LABELS, np.array([0, 0, 0, 1])):
        classes = np.unique(labels)
        want = dict(
            zip(classes.tolist(), compute_class_weight("balanced", classes=classes, y=labels), strict=True)
        )
        got = call(fn, labels)
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            return f"return a dict with one weight per class present ({sorted(want)}); got {got!r}"
        if not close([got[k] for k in want], list(want.values())):
            k = max(want, key=lambda c: abs(got[c] - want[c]))
            return f"for labels {labels.tolist()} class {k} should weigh {want[k]:.4f}; your function gave {got[k]!r}"
    return None


def _solution_class_weights():
    import numpy as np

    def class_weights(labels):
        classes, counts = np.unique(labels, return_counts=True)  # the classes present, and their sizes
        n, k = len(labels), len(classes)
        # a class's count times its weight is n / k, the same total for every class: rare ones weigh more
        return {int(c): n / (k * count) for c, count in zip(classes, counts, strict=True)}

    return class_weights


def _inverse_counts(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): 1 / count for c, count in zip(classes, counts, strict=True)}


def _share_weights(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): count / len(labels) for c, count in zip(classes, counts, strict=True)}


def _class_weights_sklearn(labels):
    from sklearn.utils.class_weight import compute_class_weight

    classes = np.unique(labels)
    weights = compute_class_weight("balanced", classes=classes, y=labels)
    return {int(c): float(w) for c, w in zip(classes, weights, strict=True)}


class_weights = Exercise(
    key="10.2",
    title="balanced class weights",
    test=_test_class_weights,
    hints=(
        "'Balanced' means every class adds up to the same total weight: a class with few faces gets a large weight.",
        "The usual slip is in what the letters count: n is the number of labels, k the number of classes "
        "present in them (not always 7), and a class's weight divides by its own count, so that a rare class "
        "weighs more. The keys are the class numbers.",
    ),
    solution=_solution_class_weights,
    wrong_answers=[_inverse_counts, _share_weights, lambda labels: {int(c): 1.0 for c in np.unique(labels)}],
    other_answers=[_class_weights_sklearn],
)


def _false_alarm_case():
    rng = np.random.default_rng(10)
    probs = rng.dirichlet(np.full(7, 0.4), size=60)
    y_true = rng.integers(0, 7, size=60)
    y_true[:20] = probs[:20].argmax(axis=1)  # a third of the answers are right
    return probs, y_true


def _reference_false_alarms(probs, y_true, predicted_class, k):
    predicted = probs.argmax(axis=1)
    rows = np.flatnonzero((predicted == predicted_class) & (y_true != predicted_class))
    return [int(i) for i in rows[np.argsort(-probs[rows, predicted_class], kind="stable")][:k]]


def _test_false_alarms(fn):
    probs, y_true = _false_alarm_case()
    for cls, k in ((2, 3), (6, 10), (1, 2)):
        want = _reference_false_alarms(probs, y_true, cls, k)
        got = call(fn, probs.copy(), y_true.copy(), cls, k)
        got = [int(i) for i in np.asarray(got).ravel()]
        if got != want:
            return (
                f"the {k} most confident wrong '{cls}' answers (faces predicted {cls} whose true class is another) are "
                f"rows {want}, most confident first; your function returned {got}"
            )
    return None


def _solution_false_alarms():
    import numpy as np

    def false_alarms(probs, y_true, predicted_class, k):
        predicted = probs.argmax(axis=1)  # what the model answered for each face
        # answered the class, but the face is another one: a false alarm
        rows = np.flatnonzero((predicted == predicted_class) & (y_true != predicted_class))
        order = np.argsort(-probs[rows, predicted_class])  # minus: highest probability first
        return rows[order][:k]  # slicing gives fewer when there are fewer

    return false_alarms


def _false_alarms_loop(probs, y_true, predicted_class, k):
    found = []
    for i, row in enumerate(probs):
        if row.argmax() == predicted_class and y_true[i] != predicted_class:
            found.append((-row[predicted_class], i))
    return [i for _, i in sorted(found)[:k]]


false_alarms = Exercise(
    key="10.3",
    title="the most confident false alarms of one class",
    test=_test_false_alarms,
    hints=(
        "Two conditions pick the faces: what the model answered, and that the answer is wrong. Only then order "
        "them by how sure it was.",
        "Answers usually go wrong in one of three ways: taking the faces whose true class is the given one "
        "(those are the missed faces, not the false alarms); keeping the right answers along with the wrong "
        "ones; or keeping the row order instead of ordering by the probability of the given class.",
    ),
    solution=_solution_false_alarms,
    wrong_answers=[
        lambda p, t, c, k: np.flatnonzero((t == c) & (p.argmax(axis=1) != c))[
            :k
        ],  # missed faces, not false alarms
        lambda p, t, c, k: np.flatnonzero((p.argmax(axis=1) == c) & (t != c))[
            :k
        ],  # not ordered by confidence
        lambda p, t, c, k: np.flatnonzero(p.argmax(axis=1) == c)[np.argsort(-p[p.argmax(axis=1) == c, c])][
            :k
        ],  # right ones too
    ],
    other_answers=[_false_alarms_loop],
)


_VAL_LOSSES = [1.00, 0.80, 0.85, 0.70, 0.75, 0.72, 0.90, 0.60, 0.55]  # the best so far at epochs 1, 2 and 4


def _test_make_callbacks(fn):
    """Runs the learner's callbacks as fit would, with a scripted validation loss, on a tiny model
    whose weights are set to the epoch number, so what was restored and saved can be read back."""
    import tempfile
    from pathlib import Path

    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "best.keras"
        callbacks = call(fn, path)
        if not isinstance(callbacks, list | tuple) or not all(
            isinstance(c, keras.callbacks.Callback) for c in callbacks
        ):
            return "return a list of Keras callbacks"
        handler = keras.callbacks.CallbackList(list(callbacks), model=model)
        handler.on_train_begin()
        stopped_after = None
        for epoch, val_loss in enumerate(_VAL_LOSSES):
            model.set_weights([np.full((2, 1), epoch + 1.0, "float32"), np.zeros(1, "float32")])
            handler.on_epoch_begin(epoch)
            handler.on_epoch_end(epoch, {"loss": 0.5 - epoch / 100, "val_loss": val_loss})
            if model.stop_training:
                stopped_after = epoch + 1
                break
        handler.on_train_end()
        if stopped_after is None:
            return "training ran all 9 epochs: add EarlyStopping watching the validation loss with a patience of 3"
        if stopped_after != 7:
            return (
                f"training stopped after epoch {stopped_after}; with the validation loss {_VAL_LOSSES} and a patience "
                "of 3 epochs without a new best, it stops after epoch 7 (the best, 0.70, came at epoch 4)"
            )
        if float(model.get_weights()[0][0, 0]) != 4.0:
            return "after stopping, the model should hold the weights of its best epoch (4), not of its last"
        if not path.exists():
            return f"no model was saved at {path.name}: add a ModelCheckpoint to that path"
        saved = keras.models.load_model(path)
        if float(saved.get_weights()[0][0, 0]) != 4.0:
            return "the saved model is not the one of the best epoch (4): save only when the validation loss improves"
    return None


def _solution_make_callbacks():
    import keras

    def make_callbacks(checkpoint_path):
        return [
            # saves only at a new best validation loss: the file ends up holding the best epoch
            keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_loss", save_best_only=True),
            # the validation loss, not the training loss, which keeps falling; at the end, the
            # weights go back to those of the best epoch instead of staying at the last one's
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
        ]

    return make_callbacks


def _callbacks(checkpoint=None, stop=None):
    def make(path):
        import keras

        return [
            keras.callbacks.ModelCheckpoint(path, **(checkpoint or {})),
            keras.callbacks.EarlyStopping(**(stop or {})),
        ]

    return make


make_callbacks = Exercise(
    key="10.4",
    title="callbacks that stop at the right epoch and keep the best model",
    test=_test_make_callbacks,
    hints=(
        "Two of the callbacks this notebook uses do the job; read again what each of their arguments means, "
        "above all which number they watch and what they do with the best epoch.",
        "Answers usually slip on one argument: watching the training loss, which keeps falling, so training "
        "never stops; not restoring the best weights at the end, so the model keeps its last epoch's; saving "
        "every epoch rather than only a new best; or leaving the patience at its default.",
    ),
    solution=_solution_make_callbacks,
    wrong_answers=[
        _callbacks({"monitor": "val_loss", "save_best_only": True}, {"monitor": "val_loss", "patience": 3}),
        _callbacks(  # watches the training loss, which keeps falling: it never stops
            {"monitor": "val_loss", "save_best_only": True},
            {"monitor": "loss", "patience": 3, "restore_best_weights": True},
        ),
        _callbacks(
            {"monitor": "val_loss"}, {"monitor": "val_loss", "patience": 3, "restore_best_weights": True}
        ),
        _callbacks(
            {"monitor": "val_loss", "save_best_only": True},
            {"monitor": "val_loss", "restore_best_weights": True},
        ),
    ],
    other_answers=[
        lambda path: [
            __import__("keras").callbacks.EarlyStopping(
                "val_loss", patience=3, mode="min", restore_best_weights=True
            ),
            __import__("keras").callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
            __import__("keras").callbacks.ModelCheckpoint(filepath=str(path), save_best_only=True),
        ],
    ],
)


def _test_tuning_split(answer):
    if not isinstance(answer, str):
        return f"answer with the split's name, a string; you gave {type(answer).__name__}"
    name = answer.strip().lower()
    if name in ("val", "validation", "valid", "publictest"):
        return None
    if name in ("test", "privatetest"):
        return (
            "choosing on the test split makes its score part of the training: it would no longer tell how the "
            "model does on faces nobody tuned for"
        )
    if name in ("train", "training"):
        return "on the training faces both settings look good: the model has seen them; choose on faces it has not seen"
    return f"{answer!r} is not one of the three splits: train, validation, test"


def _solution_tuning_split():
    # the split for steering: the training faces are known to the model, and the test split
    # stays untouched until the one final score
    return "validation"


tuning_split = Exercise(
    key="10.5",
    title="which split to choose a setting on",
    test=_test_tuning_split,
    hints=(
        "Each split has one job: one to learn from, one to steer by, one to report once at the end. Choosing "
        "between settings is steering.",
        "The split that early stopping and the learning-rate schedule in this notebook also watch.",
    ),
    solution=_solution_tuning_split,
    wrong_answers=["test", "train", "all of them"],
    other_answers=["val", " Validation "],
)
